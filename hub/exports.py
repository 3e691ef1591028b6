"""Cells written to CSV and XLSX files: a text a spreadsheet would read as a formula (it starts
with `=`, `+`, `-`, `@`, a tab or a carriage return) is prefixed with a single quote (OWASP's
rule against formula injection). Every CSV/XLSX writer of the hub passes its rows through here.

Numbers written as text (`-12`, `+33 2 37 23 81 00`) are left alone: they carry no formula, and
phone numbers in the international format would otherwise all change.
"""

import re
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?[\d\s.,]+")


def safe_cell(value):
    """The value, neutralised if it is a text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(values: Iterable) -> list:
    return [safe_cell(v) for v in values]


def unneutralised(value: str) -> str:
    """A value read back from a file the hub wrote: the neutralising quote removed, so that
    export → import → export gives the same file."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def french_csv(header: Iterable, rows: Iterable[Iterable]) -> bytes:
    """A CSV that opens as is in a French spreadsheet: `;`, CRLF, UTF-8 with BOM, decimal
    commas, empty cells for None, and every cell neutralised."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for cells in rows:
        writer.writerow(
            safe_row(
                "" if v is None else str(v).replace(".", ",") if isinstance(v, float) else v
                for v in cells
            )
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def titled_sheet(title: str, sheet_name: str, header: Iterable):
    """A workbook whose first sheet starts with a bold title, a blank line and a bold header
    (row 3): (workbook, sheet). Rows appended after it go through `safe_row`."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append(list(header))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    return workbook, sheet


def workbook_bytes(workbook) -> bytes:
    import io

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
