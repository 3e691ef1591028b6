"""The import toolkit every importer uses: one reader (`reader`), one writer (`writer`), one
report (`report`), and coordinates checked against their system (`geo`).

Importers are plain functions `import_xxx(path, ...) -> ImportReport` running in one
transaction: an `ImportFileError` leaves the database as it was.
"""

from .geo import declared_srid, in_france, to_wgs84
from .reader import (
    SEPARATORS,
    Encoding,
    Header,
    UniqueKeys,
    decode,
    detect_encoding,
    find_header,
    iter_csv,
    iter_rows,
    iter_xlsx,
    likely_separator,
    parse_decimal,
    read_json,
    read_text,
    split_line,
    warn_mixed,
    xlsx_rows,
)
from .report import Counts, ImportFileError, ImportReport, Progress, Rejection, no_progress
from .writer import (
    changed_fields,
    copy_insert,
    copy_rows,
    references,
    remove_vanished,
    same_value,
    secondary_indexes_rebuilt,
    staging_table,
    sync_rows,
    update_changed,
)

__all__ = [
    "SEPARATORS",
    "Counts",
    "Encoding",
    "Header",
    "ImportFileError",
    "ImportReport",
    "Progress",
    "Rejection",
    "UniqueKeys",
    "changed_fields",
    "copy_insert",
    "copy_rows",
    "declared_srid",
    "decode",
    "detect_encoding",
    "find_header",
    "in_france",
    "iter_csv",
    "iter_rows",
    "iter_xlsx",
    "likely_separator",
    "no_progress",
    "parse_decimal",
    "read_json",
    "read_text",
    "references",
    "remove_vanished",
    "same_value",
    "secondary_indexes_rebuilt",
    "split_line",
    "staging_table",
    "sync_rows",
    "to_wgs84",
    "update_changed",
    "warn_mixed",
    "xlsx_rows",
]
