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
