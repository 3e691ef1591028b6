"""What the importers' tests share: damaged copies of files, the indexes of a table."""

from pathlib import Path


def every_row_twice(
    source: Path, tmp_path: Path, *, preamble: int = 1, encoding: str = "utf-8"
) -> tuple[Path, list[str], int]:
    """`source` with its data rows (below `preamble` lines) repeated below themselves, as a
    file concatenated with itself: (the copy, the data rows, the line of the first repeat)."""
    lines = source.read_text(encoding=encoding).splitlines()
    head, rows = lines[:preamble], lines[preamble:]
    doubled = tmp_path / f"double-{source.name}"
    doubled.write_text("\n".join(head + rows + rows) + "\n", encoding=encoding)
    return doubled, rows, preamble + len(rows) + 1


def table_indexes(table_like: str) -> list[str]:
    """The names of the indexes of the tables whose name is LIKE `table_like`."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename LIKE %s", [table_like])
        return sorted(row[0] for row in cursor.fetchall())
