"""What the school importers share: columns found by name across layouts, and communes.

Official files rename columns between vintages (`Code postal` → `Code_postal`, `epsg` →
`epsg_origine`): each importer declares the names a field may have, compared without case,
accents, spaces, underscores or apostrophes, and reads rows keyed on its own field names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.gis.db.models.functions import PointOnSurface
from django.contrib.gis.geos import Point

from cartography.models import Commune
from cartography.services import CommuneResolver, departement_of, normalize_departement_code
from hub.imports import (
    ImportFileError,
    ImportReport,
    find_header,
    iter_csv,
    likely_separator,
    read_text,
    split_line,
)

from ..models import School

UAI = re.compile(r"^\d{7}[A-Z]$")


def fold(text: str) -> str:
    """'Nom de l'établissment' → 'nomdeletablissment': letters and digits, no accent, lower."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isalnum()).lower()


@dataclass
class Columns:
    """Which column of a file holds each field, and the columns nobody asked for."""

    path: Path
    fields: tuple[str, ...]  # every field the importer knows, found or not
    names: dict[str, str]  # field → the column's name as written in the file
    unknown: list[str] = field(default_factory=list)
    lines: int = 0  # lines in the file, for a progress bar

    def __getitem__(self, field_name: str) -> str:
        return self.names.get(field_name, field_name)

    def __contains__(self, field_name: str) -> bool:
        return field_name in self.names


def find_columns(
    path,
    aliases: dict[str, tuple[str, ...]],
    required: Iterable[str],
    known: Iterable[str] = (),
) -> Columns:
    """Map each field of `aliases` to the file's column of one of its names.

    A missing required field is an error naming what was looked for; columns neither mapped
    nor in `known` (documented but unused) are listed in `Columns.unknown`.
    """
    path = Path(path)
    text = read_text(path)
    wanted = {fold(name): field_name for field_name, names in aliases.items() for name in names}

    def mapped(cells: list[str]) -> dict[str, str] | None:
        names: dict[str, str] = {}
        for column in cells:
            field_name = wanted.get(fold(column))
            if field_name is not None:
                names.setdefault(field_name, column)
        return names if all(f in names for f in required) else None

    found = find_header(text, mapped)
    header_line = text.split("\n", 1)[0].rstrip("\r")
    if found is None:
        names = mapped(split_line(header_line, likely_separator(header_line))) or {}
        missing = [f for f in required if f not in names]
        expected = "; ".join(" ou ".join(aliases[f]) for f in missing)
        raise ImportFileError(
            path,
            f"colonnes attendues absentes de l'en-tête : {expected} "
            f"(en-tête lu : {header_line[:120]}…)",
            line=1,
        )
    header, names = found
    known_folded = {fold(name) for name in known}
    unknown = [
        c for c in header.cells if c and fold(c) not in wanted and fold(c) not in known_folded
    ]
    return Columns(path, tuple(aliases), names, unknown, lines=text.count("\n"))


@dataclass
class SchoolFile:
    """An official file of schools, opened: its report, its columns, the département kept."""

    path: Path
    report: ImportReport
    columns: Columns
    wanted: str | None  # only this département's rows, when given
    elsewhere: int = 0  # rows of other départements, skipped

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        return iter_fields(self.columns, self.report)

    def departement(self, line: int, row: dict) -> str | None:
        """The département of a row to keep; None for a row rejected (département unreadable,
        in the report) or of another département than the one wanted (counted)."""
        code = row_departement(row, line, self.columns["departement"], self.report)
        if code is not None and self.wanted and code != self.wanted:
            self.elsewhere += 1
            return None
        return code

    def done(self) -> None:
        if self.elsewhere:
            self.report.note(f"Lignes hors du département {self.wanted}, ignorées", self.elsewhere)


def open_school_file(
    path, title: str, aliases, required, known, departement: str | None
) -> SchoolFile:
    path = Path(path)
    wanted = normalize_departement_code(departement) if departement else None
    report = ImportReport(f"{title} ({path.name})")
    columns = find_columns(path, aliases, required, known)
    if columns.unknown:
        report.warn(f"colonnes inconnues, ignorées : {', '.join(columns.unknown)}", path)
    return SchoolFile(path, report, columns, wanted)


def iter_fields(columns: Columns, report: ImportReport) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows as (line number, {field: text}); a field absent from the file reads as ''.
    Counted in `report.rows_read`; lines of another encoding warned there."""
    rows = iter_csv(columns.path, list(columns.names.values()), report)
    keys: dict[str, str] | None = None
    for line, row in rows:
        report.rows_read += 1
        if keys is None:  # iter_csv's own spelling of each column, found once
            by_fold = {fold(key): key for key in row}
            keys = {f: by_fold[fold(name)] for f, name in columns.names.items()}
        yield line, {f: row[keys[f]] if f in keys else "" for f in columns.fields}


def kind_from_name(name: str) -> str:
    """A primary school's kind from its name, as the IPS file writes it ('E E' is élémentaire).

    Without any hint, `primaire`: the IPS file only lists schools with élémentaire classes,
    and 'école primaire' is the generic name of the premier degré.
    """
    words = fold(name)
    maternelle, elementaire = "maternelle" in words, "elementaire" in words
    initials = " ".join(name.upper().split()[:2])
    if "primaire" in words or (maternelle and elementaire) or initials == "E P":
        return School.Kind.PRIMAIRE
    if maternelle:
        return School.Kind.MATERNELLE
    if elementaire or initials == "E E":
        return School.Kind.ELEMENTAIRE
    return School.Kind.PRIMAIRE


def sector_from(text: str) -> str:
    """'Public', 'public' → public; 'Privé', 'privé sous contrat' → private; else ''."""
    folded = fold(text)
    if folded == "public":
        return School.Sector.PUBLIC
    if folded.startswith("prive"):
        return School.Sector.PRIVATE
    return ""


class CommuneLocator:
    """The current commune of any published commune code, and a point inside it.

    Codes that match no commune of the database are remembered, to be reported once each
    rather than once per school.
    """

    def __init__(self):
        self.resolver = CommuneResolver.from_database()
        self.ids = dict(Commune.objects.values_list("code", "pk"))
        self.missing: dict[str, tuple[str, int, int]] = {}  # code → (reason, first line, n)
        self._points: dict[int, Point | None] = {}

    def commune_id(self, code: str, line: int) -> int | None:
        resolution = self.resolver.resolve(code)
        pk = self.ids.get(resolution.current)
        if pk is None:
            reason = resolution.reason or f"commune {resolution.current} absente de la base"
            _, first, n = self.missing.get(code, (reason, line, 0))
            self.missing[code] = (reason, first, n + 1)
        return pk

    def points(self, ids: Iterable[int]) -> dict[int, Point | None]:
        """A point inside each commune (on its surface, unlike a centroid), in one query."""
        todo = set(ids) - set(self._points) - {None}
        if todo:
            self._points |= dict(
                Commune.objects.filter(pk__in=todo)
                .annotate(inside=PointOnSurface("geometry"))
                .values_list("pk", "inside")
            )
        return self._points

    def warn_missing(self, report: ImportReport, path, consequence: str, listed: int = 30) -> None:
        """One warning per missing commune code, the first `listed` of them; then a total."""
        missing = sorted(self.missing.items())
        for _code, (reason, line, n) in missing[:listed]:
            report.warn(f"{reason} ; {n} {consequence}", path, line)
        if len(missing) > listed:
            rest = sum(n for _, _, n in dict(missing[listed:]).values())
            report.warn(
                f"et {len(missing) - listed} autres codes communes absents de la base ; "
                f"{rest} {consequence}",
                path,
            )


def row_departement(row: dict, line: int, column: str, report) -> str | None:
    """The row's département (its own column, else from its commune code), or None with the
    row rejected, naming its line, when neither can be read."""
    try:
        return normalize_departement_code(row["departement"] or departement_of(row["commune_code"]))
    except ValueError as exc:
        report.reject(line, column, str(exc))
        return None
