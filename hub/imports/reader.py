"""The one reader of imported files: encoding, separator, header line, rows, duplicate keys.

The encoding is decided on the whole file: UTF-8 (with or without BOM), else Windows-1252,
else Latin-1. A UTF-8 file with a few stray bytes of another encoding (a line pasted from an
old spreadsheet) is not read as Windows-1252 as a whole, which would garble every accent:
its stray lines are read as Windows-1252 and named, in the report or in the error.
Every problem raises `ImportFileError` naming the file, the line and the reason.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .report import ImportFileError, ImportReport

SEPARATORS = (",", ";", "\t", "|")
HEAD_LINES = 30  # lines searched for the header, below an observatoire-style preamble
CHUNK = 1 << 22
BOM = codecs.BOM_UTF8
CP1252_UNDEFINED = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")
MIXED_SHOWN = 10
FALLBACK = "hub-cp1252-fallback"
# A cell may hold a whole polygon as WKT (the IRIS outlines of the long IFN editions), far
# beyond the csv module's default limit of 128 KiB per field.
csv.field_size_limit(1 << 30)


def _cp1252_fallback(error: UnicodeDecodeError) -> tuple[str, int]:
    """Decode the bytes UTF-8 refused as Windows-1252 (as Latin-1 where it has holes)."""
    raw = error.object[error.start : error.end]
    holes = any(bytes([b]) in CP1252_UNDEFINED for b in raw)
    return raw.decode("latin-1" if holes else "cp1252"), error.end


codecs.register_error(FALLBACK, _cp1252_fallback)


@dataclass
class Encoding:
    """How a file is decoded: a Python codec and error handler, and the lines of a UTF-8 file
    whose bytes are not UTF-8 (read as Windows-1252)."""

    codec: str
    errors: str = "strict"
    mixed_lines: list[int] = field(default_factory=list)

    @property
    def label(self) -> str:
        return {"utf-8-sig": "UTF-8", "cp1252": "Windows-1252", "latin-1": "Latin-1"}[self.codec]


def detect_encoding(path) -> Encoding:
    """Decide the encoding on the whole file, read in chunks (per-building files are large)."""
    path = Path(path)
    bad_lines: list[int] = []
    multibyte = bom = cp1252_holes = False
    line = 1
    try:
        with open(path, "rb") as f:
            first = True
            while chunk := f.read(CHUNK):
                chunk += f.readline()  # chunks end at a line's end
                if first:
                    bom, first = chunk.startswith(BOM), False
                    chunk = chunk[len(BOM) :] if bom else chunk
                if b"\x00" in chunk:
                    at = line + chunk[: chunk.index(b"\x00")].count(b"\n")
                    raise ImportFileError(
                        path, "octet nul : fichier binaire ou encodé en UTF-16, attendu UTF-8", at
                    )
                try:
                    multibyte |= not chunk.decode("utf-8").isascii()
                except UnicodeDecodeError:
                    for n, part in enumerate(chunk.split(b"\n")):
                        try:
                            multibyte |= not part.decode("utf-8").isascii()
                        except UnicodeDecodeError:
                            bad_lines.append(line + n)
                cp1252_holes = cp1252_holes or any(b in chunk for b in CP1252_UNDEFINED)
                line += chunk.count(b"\n")
    except OSError as exc:
        raise ImportFileError(path, f"fichier illisible ({exc.strerror})") from exc
    if not bad_lines:
        return Encoding("utf-8-sig")
    if multibyte or bom:  # UTF-8 for sure, with stray bytes of another encoding
        return Encoding("utf-8-sig", FALLBACK, bad_lines)
    return Encoding("latin-1" if cp1252_holes else "cp1252")


def decode(path, report: ImportReport | None = None) -> tuple[str, Encoding]:
    """The file's text and its encoding. Stray non-UTF-8 lines are warned in `report`, one
    warning each; without a report they refuse the file."""
    path = Path(path)
    encoding = detect_encoding(path)
    text = path.read_bytes().decode(encoding.codec, encoding.errors)
    warn_mixed(path, encoding, report, text.split("\n"))
    return text, encoding


def warn_mixed(path, encoding: Encoding, report: ImportReport | None, lines=None) -> None:
    """Name the lines of a UTF-8 file that held bytes of another encoding: one warning each in
    `report` (quoting the line as read when `lines` are given), or, without a report, an
    error refusing the file."""
    bad = encoding.mixed_lines
    if not bad:
        return
    reason = (
        "octets hors UTF-8 dans un fichier UTF-8 (caractères d'un autre encodage, "
        "Windows-1252 ou Latin-1 ?)"
    )
    if report is None:
        shown = ", ".join(map(str, bad[:MIXED_SHOWN])) + (" …" if len(bad) > MIXED_SHOWN else "")
        raise ImportFileError(
            path, f"{reason} lignes {shown} ; réenregistrez le fichier en UTF-8", bad[0]
        )
    for number in bad[:MIXED_SHOWN]:
        excerpt = lines[number - 1].strip()[:80] if lines and number <= len(lines) else ""
        quoted = f" « {excerpt} »" if excerpt else ""
        report.warn(f"{reason} : ligne lue en Windows-1252{quoted}", path, number)
    if len(bad) > MIXED_SHOWN:
        report.warn(f"{reason} : {len(bad) - MIXED_SHOWN} autres lignes", path)


def read_text(path, report: ImportReport | None = None) -> str:
    """The file's text, decoded as `decode` says."""
    return decode(path, report)[0]


def read_json(path, report: ImportReport | None = None):
    path = Path(path)
    try:
        return json.loads(read_text(path, report))
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            path, f"JSON invalide ({exc.msg}, colonne {exc.colno})", line=exc.lineno
        ) from exc


# --- delimited files ---------------------------------------------------------------------------


@dataclass
class Header:
    line: int  # 1-based
    separator: str
    cells: list[str]  # as written, stripped of spaces, quotes and BOM


def split_line(line: str, separator: str) -> list[str]:
    cells = next(csv.reader([line], delimiter=separator), [])
    return [c.strip().strip("\ufeff").strip('"').strip() for c in cells]


def find_header(text: str, recognise: Callable[[list[str]], object], lines: int = 1):
    """The first of the first `lines` lines that, split by one of `SEPARATORS`, `recognise`
    accepts (returns something truthy): (the `Header`, what `recognise` said), else None."""
    for number, line in enumerate(text.split("\n", lines)[:lines], start=1):
        line = line.rstrip("\r")
        for separator in SEPARATORS:
            cells = split_line(line, separator)
            found = recognise(cells)
            if found:
                return Header(number, separator, cells), found
    return None


def likely_separator(line: str) -> str:
    return max(SEPARATORS, key=line.count)


def iter_rows(path, text: str, header: Header) -> Iterator[tuple[int, list[str]]]:
    """The rows below `header` as (line number, cells). Blank lines are skipped; a row whose
    field count differs from the header's is an error (a truncated file or a wrong separator),
    never guessed at."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=header.separator)
    width = len(header.cells)
    for row in reader:
        if reader.line_num <= header.line or not row or not any(c.strip() for c in row):
            continue
        if len(row) != width:
            raise ImportFileError(
                path,
                f"{len(row)} champ(s) au lieu de {width} "
                f"(ligne tronquée ou séparateur autre que « {header.separator} »)",
                line=reader.line_num,
            )
        yield reader.line_num, row


def _normalise(name: str) -> str:
    return name.strip().strip('"').upper()


def iter_csv(
    path, required: Iterable[str], report: ImportReport | None = None
) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a delimited file as (line number, {UPPER-CASE column: text}).

    The separator is the one that makes the header (the first line) hold every required
    column; see `iter_rows` for the rows."""
    path = Path(path)
    text = read_text(path, report)
    required = {_normalise(c) for c in required}
    found = find_header(text, lambda cells: required <= {_normalise(c) for c in cells})
    if found is None:
        first_line = text.split("\n", 1)[0].rstrip("\r")
        separator = likely_separator(first_line)
        header = [_normalise(c) for c in split_line(first_line, separator)]
        missing = [c for c in sorted(required) if c not in header]
        raise ImportFileError(
            path,
            f"colonnes attendues absentes de l'en-tête : {', '.join(missing)} "
            f"(séparateur vu : « {separator} », en-tête lu : {', '.join(header[:8])}…)",
            line=1,
        )
    header = found[0]
    names = [_normalise(c) for c in header.cells]
    for line, row in iter_rows(path, text, header):
        yield line, dict(zip(names, (v.strip() for v in row), strict=True))


def xlsx_rows(
    source, name=None, *, sheet: str | None = None, max_rows: int | None = None
) -> Iterator[tuple[int, tuple]]:
    """Every row of a workbook (a path or an uploaded file) as (row number, values): the sheet
    named `sheet` when it has one, else the first. An unreadable or damaged workbook, or one of
    more than `max_rows` rows, raises `ImportFileError` under `name` (the file's own name)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    name = name or getattr(source, "name", None) or "fichier"
    unreadable = (
        zipfile.BadZipFile,
        InvalidFileException,
        KeyError,
        OSError,
        ValueError,
        EOFError,
        SyntaxError,  # a damaged XML part
    )
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except unreadable as exc:
        raise ImportFileError(
            name,
            "Ce fichier n'est pas un classeur XLSX lisible (fichier tronqué ou d'un autre "
            "format) : enregistrez-le au format Excel .xlsx.",
        ) from exc
    try:
        chosen = workbook[sheet] if sheet in workbook.sheetnames else workbook.worksheets[0]
        for number, row in enumerate(chosen.iter_rows(values_only=True), start=1):
            if max_rows is not None and number > max_rows:
                raise ImportFileError(
                    name, f"Plus de {max_rows} lignes : ce n'est pas le classeur attendu."
                )
            yield number, row
    except unreadable as exc:
        raise ImportFileError(name, f"Classeur XLSX tronqué ou endommagé ({exc}).") from exc
    finally:
        workbook.close()


def iter_xlsx(path, required: Iterable[str]) -> Iterator[tuple[int, dict[str, object]]]:
    """Rows of the first sheet of a workbook as (row number, {UPPER-CASE column: value})."""
    rows = xlsx_rows(path, Path(path))
    header = [_normalise(str(c or "")) for c in next(rows, (1, ()))[1]]
    missing = [c for c in (_normalise(r) for r in required) if c not in header]
    if missing:
        rows.close()
        raise ImportFileError(
            path, f"colonnes attendues absentes de l'en-tête : {', '.join(missing)}", line=1
        )
    for number, row in rows:
        if any(v not in (None, "") for v in row):
            yield number, dict(zip(header, row, strict=False))


# --- values ------------------------------------------------------------------------------------


def parse_decimal(text: str) -> Decimal | None:
    """'115.7', '115,7' or '1 115,7' → Decimal; '' → None; anything else raises ValueError."""
    text = text.strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    text = text.replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not value.is_finite():
        raise ValueError(text)
    return value


class UniqueKeys:
    """Refuses a file that gives the same key twice, naming both lines: two rows for one key
    are a repeated or concatenated file, and summing or keeping either would be a guess."""

    def __init__(self, path, what: str, column: str | None = None):
        self.path, self.what, self.column = Path(path), what, column
        self.seen: dict = {}

    def add(self, key, line: int | str, shown: str | None = None) -> None:
        first = self.seen.setdefault(key, line)
        if first != line:
            where = f"lignes {first} et {line}" if isinstance(line, int) else f"{first} et {line}"
            raise ImportFileError(
                self.path,
                f"{self.what} « {shown or key} » en double ({where}) : chaque clé ne doit "
                "figurer qu'une fois (fichier répété ou concaténé ?)",
                line if isinstance(line, int) else None,
                self.column,
            )
