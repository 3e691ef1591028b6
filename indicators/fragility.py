"""The digital fragility index (IFN, La MedNum / Design4Green): read one edition's IRIS rows
and store one score per current commune (`FragilityScore`).

The file comes with its header line, or headerless with the header in a separate file (a
one-line CSV of column names, or one name per line). Columns are found by their text, folded
(case, accents and repeated spaces ignored, known typos accepted). A commune's value is the
mean of its IRIS rows, weighted by their population where the file gives one (`P16 Pop` in the
long editions), a plain mean otherwise; the weighting is stored per commune and said in the
report. Codes of communes merged since the edition are mapped to the current commune through
the COG history; its predecessors are then weighted by their population (the file's, the only
per-predecessor population the hub has), equally when the file gives none.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from cartography.importers.coverage import fold
from cartography.models import Commune, Departement
from cartography.services import CommuneResolver, departement_of
from hub.imports import (
    SEPARATORS,
    Header,
    ImportFileError,
    ImportReport,
    Progress,
    UniqueKeys,
    find_header,
    iter_rows,
    likely_separator,
    no_progress,
    parse_decimal,
    read_text,
    remove_vanished,
    split_line,
    sync_rows,
)

from .models import FragilityScore, FragilityWeighting
from .tasks import request_recompute

DEFAULT_EDITION = "2020"
PRECISION = 6  # decimals kept: the file gives 9, far below any visible difference

# axis key → (French name, the column's name in the file, folded, before the reference suffix)
AXES: dict[str, tuple[str, tuple[str, ...]]] = {
    "global": ("score global", ("score global",)),
    "information": ("accès à l’information", ("acces a l'information",)),
    "interfaces": ("accès aux interfaces numériques", ("acces aux interfaces numeriques",)),
    "administrative": (
        "compétences administratives",
        ("competences administatives", "competences administratives"),
    ),
    "digital": (
        "compétences numériques / scolaires",
        ("competences numeriques / scolaires", "competences numeriques/scolaires"),
    ),
    "access": ("accès (synthèse)", ("global acces",)),
    "skills": ("compétences (synthèse)", ("global competences",)),
}
# reference key → (French name, the column suffix, folded)
REFERENCES: dict[str, tuple[str, str]] = {
    "departement": ("département", "departement 1"),
    "epci": ("EPCI", "epci 1"),
    "region": ("région", "region 1"),
}
IRIS_COLUMNS = ("code iris", "iris", "code_iris")
COMMUNE_COLUMNS = ("insee com", "code commune", "insee_com", "depcom", "codgeo")
POPULATION = re.compile(r"^p\d{2}[ _]?pop$")  # P16 Pop, P17_POP…


def score_keys() -> list[str]:
    return [f"{axis}_{ref}" for axis in AXES for ref in REFERENCES]


def column_key(name: str) -> str:
    """'GLOBAL COMPETENCES  departement 1' → 'global competences departement 1'."""
    return " ".join(fold(name).replace("’", "'").split())


@dataclass
class Columns:
    """Where each field is in a row (0-based), with the names as the file writes them."""

    iris: int
    commune: int
    population: int | None
    scores: dict[str, int]
    names: list[str]

    @classmethod
    def find(cls, cells: list[str]) -> Columns | list[tuple[str, str]]:
        """The columns of a header, or those missing: (name, what it holds)."""
        keys = {column_key(c): i for i, c in reversed(list(enumerate(cells)))}

        def first(candidates) -> int | None:
            return next((keys[c] for c in candidates if c in keys), None)

        missing, scores = [], {}
        for axis, (label, names) in AXES.items():
            for ref, (ref_label, suffix) in REFERENCES.items():
                at = first(f"{name} {suffix}" for name in names)
                if at is None:
                    missing.append((f"{names[0].upper()} {suffix}", f"{label}, réf. {ref_label}"))
                else:
                    scores[f"{axis}_{ref}"] = at
        iris, commune = first(IRIS_COLUMNS), first(COMMUNE_COLUMNS)
        if iris is None:
            missing.insert(0, ("Code Iris", "code de l’IRIS"))
        if commune is None:
            missing.insert(0, ("Insee Com", "code de la commune"))
        if missing:
            return missing
        population = next((i for k, i in keys.items() if POPULATION.match(k)), None)
        return cls(iris, commune, population, scores, cells)


@dataclass
class IrisRow:
    line: int
    iris: str
    commune: str  # as the file writes it
    population: float | None
    scores: dict[str, float | None]


def by_source_code(rows: list[IrisRow]) -> dict[str, list[IrisRow]]:
    """A current commune's IRIS rows by the commune code the file gives (several codes: the
    communes merged into it since the edition)."""
    out: dict[str, list[IrisRow]] = defaultdict(list)
    for row in rows:
        out[row.commune].append(row)
    return dict(out)


def weighted_mean(pairs) -> float | None:
    """Σ w·v / Σ w over the (value, weight) pairs whose value is known; None without any."""
    pairs = [(v, w) for v, w in pairs if v is not None]
    total = sum(w for _, w in pairs)
    if not pairs or total <= 0:
        return None
    return sum(v * w for v, w in pairs) / total


def aggregate(rows: list[IrisRow], by_population: bool) -> tuple[dict[str, float | None], str]:
    """A commune's scores from its IRIS rows, and the weighting used.

    With populations: every IRIS weighted by its population (predecessors of a merged commune
    thus by theirs). Without: each predecessor is the plain mean of its IRIS, and predecessors
    count equally (the hub knows no population of a commune that no longer exists)."""
    population = sum(r.population or 0 for r in rows) if by_population else 0
    keys = score_keys()
    if population > 0:
        scores = {k: weighted_mean((r.scores[k], r.population or 0) for r in rows) for k in keys}
        return scores, FragilityWeighting.POPULATION
    groups = by_source_code(rows).values()
    scores = {}
    for k in keys:
        means = [weighted_mean((r.scores[k], 1) for r in group) for group in groups]
        scores[k] = weighted_mean((m, 1) for m in means)
    return scores, FragilityWeighting.MEAN


# --- reading ----------------------------------------------------------------------------------


def header_names(path) -> list[str]:
    """Column names of a separate header file: one CSV line, or one name per line."""
    path = Path(path)
    lines = [line.strip() for line in read_text(path).splitlines() if line.strip()]
    if not lines:
        raise ImportFileError(path, "fichier d'en-tête vide", line=1)
    if len(lines) == 1:
        return split_line(lines[0], likely_separator(lines[0]))
    return [line.strip('"').strip() for line in lines]


def headerless_header(path, text: str, names: list[str], headers) -> Header:
    """The header of a headerless file: the names of `headers`, and the separator that cuts the
    first data line into as many fields. Otherwise the header file is not this file's."""
    first = next((line for line in text.split("\n") if line.strip()), "").rstrip("\r")
    likeliest = sorted(SEPARATORS, key=first.count, reverse=True)
    counts = {sep: len(split_line(first, sep)) for sep in likeliest}
    separator = next((sep for sep, n in counts.items() if n == len(names)), None)
    if separator is None:
        seen = likeliest[0]
        raise ImportFileError(
            path,
            f"le fichier d'en-tête {Path(headers).name} nomme {len(names)} colonnes, la "
            f"première ligne de données en a {counts[seen]} (séparateur « {seen} ») : "
            "ce n'est pas l'en-tête de ce fichier",
            line=1,
        )
    return Header(0, separator, names)


@dataclass
class CellReader:
    """Numbers of one row; an unreadable one refuses the file, naming line and column."""

    path: Path
    header: Header
    line: int
    cells: list[str]

    def number(self, index: int) -> float | None:
        try:
            value = parse_decimal(self.cells[index])
        except ValueError:
            raise ImportFileError(
                self.path,
                f"nombre illisible « {self.cells[index]} »",
                self.line,
                self.header.cells[index],
            ) from None
        return None if value is None else float(value)


def _found(columns) -> Columns | None:
    return columns if isinstance(columns, Columns) else None


def read_rows(path, headers=None, report: ImportReport | None = None, progress=no_progress):
    """(Columns, IRIS rows) of the file; every problem raises `ImportFileError`."""
    path = Path(path)
    text = read_text(path, report)
    if headers is not None:
        names = header_names(headers)
        header = headerless_header(path, text, names, headers)
        columns = Columns.find(names)
        where, at = Path(headers), 1
    else:
        found = find_header(text, lambda cells: _found(Columns.find(cells)))
        if found is None:
            first = text.split("\n", 1)[0].rstrip("\r")
            columns = Columns.find(split_line(first, likely_separator(first)))
            where, at = path, 1
        else:
            header, columns = found
            where, at = path, header.line
    if not isinstance(columns, Columns):
        raise ImportFileError(
            where,
            "colonne(s) attendue(s) absente(s) de l'en-tête : "
            + ", ".join(f"{name} ({what})" for name, what in columns),
            at,
            columns[0][0],
        )
    unique = UniqueKeys(path, "IRIS", header.cells[columns.iris])
    rows = []
    for line, cells in progress(iter_rows(path, text, header), "Lecture des IRIS", None):
        cells = [c.strip() for c in cells]
        iris = cells[columns.iris]
        commune = cells[columns.commune].upper()
        for value, index in ((iris, columns.iris), (commune, columns.commune)):
            if not value:
                raise ImportFileError(path, "code vide", line, header.cells[index])
        if len(commune) == 4 and commune.isdigit():
            commune = "0" + commune
        unique.add(iris, line)
        cell = CellReader(path, header, line, cells)
        population = cell.number(columns.population) if columns.population is not None else None
        if population is not None and population < 0:
            raise ImportFileError(
                path, "population négative", line, header.cells[columns.population]
            )
        scores = {key: cell.number(index) for key, index in columns.scores.items()}
        rows.append(IrisRow(line, iris, commune, population, scores))
    if report is not None:
        report.rows_read = len(rows)
    return columns, rows


# --- the import -------------------------------------------------------------------------------


def import_fragility(
    path,
    headers=None,
    edition: str = DEFAULT_EDITION,
    progress: Progress = no_progress,
) -> ImportReport:
    """Import one edition of the IFN; re-importing the same file changes nothing. Communes of
    the edition absent from the file lose their score (said in the report)."""
    path = Path(path)
    report = ImportReport(f"Indice de fragilité numérique {edition} ({path.name})")
    columns, rows = read_rows(path, headers, report, progress)
    by_population = columns.population is not None
    if not by_population:
        report.warn(
            "le fichier ne donne pas la population des IRIS : chaque commune reçoit la "
            "moyenne simple de ses IRIS"
        )

    resolver = CommuneResolver.from_database()
    loaded = set(Departement.objects.values_list("code", flat=True))
    names = dict(Commune.objects.values_list("code", "name"))
    communes: dict[str, list[IrisRow]] = defaultdict(list)
    outside: dict[str, int] = defaultdict(int)
    for row in rows:
        resolution = resolver.resolve(row.commune)
        if resolution.current is None:
            if departement_of(row.commune) not in loaded:
                outside[departement_of(row.commune)] += 1
            else:
                report.warn(f"{resolution.reason} (IRIS {row.iris} ignoré)", path, row.line)
            report.note("lignes IRIS non rattachées à une commune du hub (ignorées)")
            continue
        communes[resolution.current].append(row)
    for dep, n in sorted(outside.items()):
        report.warn(
            f"{n} ligne(s) du département {dep}, absent du territoire chargé, ignorée(s)", path
        )

    values = {}
    for code, iris_rows in communes.items():
        scores, weighting = aggregate(iris_rows, by_population)
        predecessors = sorted(by_source_code(iris_rows))
        if predecessors != [code]:
            report.note("communes fusionnées depuis l'édition (anciens codes rattachés)")
            if weighting == FragilityWeighting.MEAN and len(predecessors) > 1:
                report.warn(
                    f"{names.get(code, code)} ({code}) réunit {', '.join(predecessors)} : sans "
                    "population dans le fichier, chaque commune d'origine pèse autant"
                )
        label = FragilityWeighting(weighting).label
        if weighting == FragilityWeighting.POPULATION:
            label += f" (colonne « {columns.names[columns.population]} »)"
        report.note(f"communes en {label}")
        values[(edition, code)] = {
            "scores": {k: None if v is None else round(v, PRECISION) for k, v in scores.items()},
            "weighting": weighting,
            "iris_rows": len(iris_rows),
            "source_codes": predecessors,
            "population": sum(r.population or 0 for r in iris_rows) if by_population else None,
        }
    counts = report.count("indices communaux")
    with transaction.atomic():
        sync_rows(FragilityScore, ("edition", "commune_code"), values, counts)
        vanished = FragilityScore.objects.filter(edition=edition).exclude(
            commune_code__in=[code for _, code in values]
        )
        gone = list(vanished.values_list("commune_code", flat=True))
        remove_vanished(vanished, counts, "indices communaux")
        if counts.created or counts.updated or counts.removed:
            request_recompute([code for _, code in values] + gone)
    return report


def load_demo_fragility(progress: Progress = no_progress) -> ImportReport:
    """The 2020 edition for Eure-et-Loir (a `load_demo` step, after the territory)."""
    return import_fragility(DEMO_FILE, progress=progress)


DEMO_FILE = (
    Path(__file__).resolve().parent.parent
    / "data"
    / "demo"
    / "fragility"
    / "ifn-mednum-design4green2020-dep28.csv"
)
