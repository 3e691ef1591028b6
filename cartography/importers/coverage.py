"""Import ARCEP's fixed broadband files as published: the observatoire (per commune, EPCI or
département, one column per quarter), "Ma connexion internet" per commune statistics, and the
per-building files (operators' IPE, ARCEP "immeubles").

The kind of file is recognised from its header. Old commune codes are mapped to current communes
through the COG history (their counts summed). Everything runs in one transaction: a file that
cannot be read raises `ImportFileError` with its line and column, and the database is unchanged.
Per-building files stream into PostgreSQL with COPY and are checked and converted there.
"""

from __future__ import annotations

import datetime
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

import psycopg
from django.db import connection, transaction

from hub.imports import (
    Encoding,
    Header,
    ImportFileError,
    ImportReport,
    Progress,
    UniqueKeys,
    detect_encoding,
    find_header,
    iter_rows,
    no_progress,
    read_text,
    secondary_indexes_rebuilt,
    staging_table,
    sync_rows,
    warn_mixed,
)

from ..coverage import QUARTER, Quarter
from ..models import Commune, CoverageLevel, Departement, EligibilitySnapshot
from ..services import CommuneResolver, departement_of

OBSERVATOIRE_DEPLOYMENT = "observatoire-deploiement"
OBSERVATOIRE_TERRITORIES = "observatoire-territoires"
MA_CONNEXION = "ma-connexion-internet"
IPE = "ipe"
IMMEUBLES = "immeubles"
KINDS = {
    OBSERVATOIRE_DEPLOYMENT: "ARCEP observatoire, locaux raccordables par trimestre (ftth…)",
    OBSERVATOIRE_TERRITORIES: "ARCEP observatoire, locaux et zonage par territoire (communes…)",
    MA_CONNEXION: "Ma connexion internet, statistiques par commune et technologie",
    IPE: "fichier IPE d'un opérateur (un immeuble par ligne ou par adresse)",
    IMMEUBLES: "fichier « immeubles » de l'ARCEP",
}
HEAD_LINES = 30
HEAD_CHARACTERS = 256 * 1024


def fold(text: str) -> str:
    """'Établissements ' → 'etablissements' — to compare column names as people read them."""
    text = unicodedata.normalize("NFD", str(text).strip().strip('"').lower())
    return "".join(c for c in text if not unicodedata.combining(c))


@dataclass
class FileShape:
    kind: str
    header: Header
    encoding: Encoding


def sniff(path: Path) -> FileShape:
    """Recognise the kind of a coverage file from its first lines (preamble lines skipped);
    its encoding is decided on the whole file."""
    encoding = detect_encoding(path)
    with open(path, encoding=encoding.codec, errors=encoding.errors, newline="") as f:
        head = f.read(HEAD_CHARACTERS)
    found = find_header(head, lambda cells: _kind_of([fold(c) for c in cells]), HEAD_LINES)
    if found is None:
        lines = len(head.splitlines()[:HEAD_LINES])
        raise ImportFileError(
            path,
            "type de fichier non reconnu : aucune ligne d'en-tête connue parmi les "
            f"{lines} premières. Types lus : " + " ; ".join(KINDS.values()),
            line=1,
        )
    header, kind = found
    return FileShape(kind, header, encoding)


def _kind_of(cells: list[str]) -> str | None:
    names = set(cells)
    if not cells or not cells[0]:
        return None
    if "identifiantimmeuble" in names:
        return IPE
    if "imb_id" in names:
        return IMMEUBLES
    if "code_insee" in names and ("nbr" in names or any(c.startswith("elig_") for c in names)):
        return MA_CONNEXION
    if cells[0].startswith("code") and len(cells) > 1 and cells[1] == "champ":
        return OBSERVATOIRE_DEPLOYMENT
    if cells[0].startswith("code") and "logements" in names and "etablissements" in names:
        return OBSERVATOIRE_TERRITORIES
    return None


def import_coverage(
    path,
    *,
    kind: str | None = None,
    edition: str | None = None,
    source_date: datetime.date | None = None,
    progress: Progress = no_progress,
) -> ImportReport:
    """Import one coverage file; `kind` (one of KINDS) is recognised when not given."""
    path = Path(path)
    shape = sniff(path)
    if kind and kind != shape.kind:
        raise ImportFileError(
            path,
            f"le fichier est du type « {shape.kind} » ({KINDS[shape.kind]}), "
            f"pas « {kind} » comme demandé",
            line=shape.header.line,
        )
    report = ImportReport(f"Import de couverture {path.name} ({KINDS[shape.kind]})")
    with transaction.atomic():
        if shape.kind in (OBSERVATOIRE_DEPLOYMENT, OBSERVATOIRE_TERRITORIES):
            ObservatoireImport(path, shape, report, progress, edition).run()
        elif shape.kind == MA_CONNEXION:
            _import_eligibility(path, shape, report, progress)
        else:
            BuildingImport(path, shape, report, progress, source_date).run()
    return report


# --- shared helpers --------------------------------------------------------------------------

NUMBER_SPACES = re.compile(r"[\s\u00a0\u202f]+")


def parse_count(text: str) -> int | None:
    """' 12 394    ' → 12394; '-' → 0; '' → None. ValueError for anything else."""
    if text.isdigit():  # the common case, millions of times in a national file
        return int(text)
    text = NUMBER_SPACES.sub("", text)
    if text == "":
        return None
    if text in ("-", "–"):
        return 0
    if text.endswith((".0", ",0")):
        text = text[:-2]
    if not text.isdigit():
        raise ValueError(f"nombre illisible « {text} »")
    return int(text)


def zoning_flag(text: str) -> bool | str:
    """A zoning cell: '-' or empty → False, '1' → True; any other text (the operator code of an
    L. 33-13 commitment, e.g. 'FRTE') is kept as it is."""
    text = text.strip()
    if text in ("", "-", "0"):
        return False
    return True if text == "1" else text


def commune_code(text: str) -> str:
    """A commune code as the file gives it, with the leading zero a spreadsheet drops put back
    (`1001` is `01001`): the key of a row, before any mapping of old codes."""
    code = text.strip().upper()
    return "0" + code if len(code) == 4 and code.isdigit() else code


class Territories:
    """Codes of the current territories known to the hub, to map a file's codes onto them."""

    def __init__(self):
        self.resolver = CommuneResolver.from_database()
        self.departements = set(Departement.objects.values_list("code", flat=True))
        self.names = dict(Commune.objects.values_list("code", "name").iterator())

    def commune(self, code: str, report: ImportReport, path, line: int) -> str | None:
        """The current commune of `code`, or None (outside the hub's départements: noted;
        unknown or split inside them: warned with the line)."""
        code = commune_code(code)
        resolution = self.resolver.resolve(code)
        if resolution.current:
            if resolution.current != code:
                report.note("codes de communes anciens rattachés à la commune actuelle")
            return resolution.current
        if departement_of(code) not in self.departements:
            report.note("lignes hors des départements présents dans le hub (ignorées)")
            return None
        report.warn(resolution.reason + " (ligne ignorée)", path, line)
        return None


# --- observatoire ---------------------------------------------------------------------------


def _level_of(first_column: str, path, line: int) -> str:
    name = fold(first_column)
    if "commune" in name:
        return CoverageLevel.COMMUNE
    if "epci" in name or "siren" in name:
        return CoverageLevel.EPCI
    if "departement" in name:
        return CoverageLevel.DEPARTEMENT
    raise ImportFileError(
        path,
        "échelon non reconnu (attendu « Code commune », « Code EPCI » ou « Code département »)",
        line=line,
        column=first_column,
    )


class ObservatoireImport:
    """Both observatoire files: the quarter columns of `ftth…` and the premises of `communes…`."""

    def __init__(self, path, shape: FileShape, report, progress, edition: str | None):
        self.path, self.shape, self.report, self.progress = path, shape, report, progress
        self.edition_override = edition
        self.level = _level_of(shape.header.cells[0], path, shape.header.line)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        text = read_text(self.path, self.report)
        for line, row in iter_rows(self.path, text, self.shape.header):
            self.report.rows_read += 1
            yield line, row

    def unique_keys(self, what: str) -> UniqueKeys:
        """The same territory (and field) twice is refused: summing would double its figures.
        Different old codes of one merged commune are still summed, after this check."""
        return UniqueKeys(self.path, what, self.shape.header.cells[0])

    def key(self, text: str) -> str:
        """A row's territory as a duplicate key: `1001` and `01001` are one commune."""
        code = commune_code(text) if self.level == CoverageLevel.COMMUNE else text.strip()
        return code.upper()

    def count(self, text: str, line: int, column: str) -> int | None:
        try:
            return parse_count(text)
        except ValueError as exc:
            raise ImportFileError(self.path, str(exc), line=line, column=column) from exc

    def code(self, text: str, line: int, territories: Territories) -> str | None:
        if self.level == CoverageLevel.COMMUNE:
            return territories.commune(text, self.report, self.path, line)
        code = text.strip().upper()
        if self.level == CoverageLevel.DEPARTEMENT:
            code = code[1:] if len(code) == 3 and code.startswith("0") else code.zfill(2)
        return code or None

    def quarter(self, text: str, column: str) -> Quarter:
        try:
            return Quarter.parse(text)
        except ValueError as exc:
            raise ImportFileError(
                self.path, str(exc), line=self.shape.header.line, column=column
            ) from exc

    def run(self) -> None:
        territories = Territories()
        if self.shape.kind == OBSERVATOIRE_DEPLOYMENT:
            edition, fields, values = self.read_deployment(territories)
        else:
            edition, fields, values = self.read_territories(territories)
        rows = [(code, period, *v) for (code, period), v in values.items()]
        label = {
            CoverageLevel.COMMUNE: "Relevés par commune",
            CoverageLevel.EPCI: "Relevés par EPCI",
            CoverageLevel.DEPARTEMENT: "Relevés par département",
        }[self.level]
        names = territories.names if self.level == CoverageLevel.COMMUNE else {}
        upsert_snapshots(
            self.level, edition, fields, rows, names, self.path.name, self.report.count(label)
        )
        self.report.title += f", édition {edition}"

    def read_deployment(self, territories):
        header = self.shape.header.cells
        quarters = [self.quarter(name, name) for name in header[2:]]
        if not quarters:
            raise ImportFileError(self.path, "aucune colonne de trimestre", self.shape.header.line)
        edition = Quarter.parse(self.edition_override) if self.edition_override else max(quarters)
        values: dict[tuple, list] = defaultdict(lambda: [None, None])
        unique = self.unique_keys("commune et champ")
        for line, row in self.progress(self.rows(), "Lecture des trimestres", None):
            field = fold(row[1])
            if field.startswith("locaux raccordables"):
                index = 0
            elif field.startswith("categorie"):
                index = 1
            else:
                self.report.note(f"lignes « {row[1].strip()} » ignorées")
                continue
            unique.add((self.key(row[0]), index), line, f"{row[0].strip()} {row[1].strip()}")
            code = self.code(row[0], line, territories)
            if code is None:
                continue
            for quarter, column, text in zip(quarters, header[2:], row[2:], strict=True):
                value = self.count(text, line, column)
                if value is None:
                    continue
                slot = values[(code, quarter.start)]
                if index == 0:
                    slot[0] = (slot[0] or 0) + value  # merged communes: summed
                else:
                    slot[1] = max(slot[1] or 0, value)
        return edition, ["ftth_ready", "category"], values

    def read_territories(self, territories):
        columns = {fold(name): i for i, name in enumerate(self.shape.header.cells)}
        edition_column = next((n for n in self.shape.header.cells if QUARTER.search(n)), None)
        if self.edition_override:
            edition = Quarter.parse(self.edition_override)
        elif edition_column:
            edition = self.quarter(edition_column, edition_column)
        else:
            raise ImportFileError(
                self.path,
                "trimestre de l'édition introuvable dans l'en-tête (colonne « OI <trimestre> ») ; "
                "indiquez-le avec --edition",
                line=self.shape.header.line,
            )
        flags = [
            (key, i)
            for key, i in columns.items()
            if key.startswith(("zones tres denses", "engagements", "intentions", "commune "))
        ]
        siren = next((i for k, i in columns.items() if k.startswith("siren")), None)
        values: dict[tuple, list] = {}
        unique = self.unique_keys("code")
        for line, row in self.progress(self.rows(), "Lecture des territoires", None):
            unique.add(self.key(row[0]), line, row[0].strip())
            code = self.code(row[0], line, territories)
            if code is None:
                continue
            dwellings = self.count(row[columns["logements"]], line, "Logements")
            businesses = self.count(row[columns["etablissements"]], line, "Établissements")
            zoning = {key: zoning_flag(row[i]) for key, i in flags}
            operators = (
                row[self.shape.header.cells.index(edition_column)].strip() if edition_column else ""
            )
            slot = values.get((code, edition.start))
            if slot is None:
                values[(code, edition.start)] = [
                    dwellings,
                    businesses,
                    row[siren].strip() if siren is not None else "",
                    json.dumps(zoning, ensure_ascii=False),
                    operators,
                ]
            else:  # an old commune merged into this one
                slot[0] = (slot[0] or 0) + (dwellings or 0)
                slot[1] = (slot[1] or 0) + (businesses or 0)
                slot[4] = " ".join(sorted(set(f"{slot[4]} {operators}".split())))
        fields = ["dwellings", "businesses", "epci_siren", "zoning", "operators"]
        return edition, fields, values


SNAPSHOT_TYPES = {
    "ftth_ready": "integer",
    "category": "smallint",
    "dwellings": "integer",
    "businesses": "integer",
    "epci_siren": "text",
    "zoning": "jsonb",
    "operators": "text",
}


def upsert_snapshots(level, edition: Quarter, fields, rows, names, source_file, counts) -> None:
    """Write one edition's values: update this edition's rows that changed, and add a row only
    where the newest earlier edition does not already say the same (history without copies)."""
    columns = {"code": "text", "name": "text", "period": "date"}
    columns |= {f: SNAPSHOT_TYPES[f] for f in fields}
    staged = ((code, names.get(code, ""), period, *values) for code, period, *values in rows)
    with staging_table("coverage_stage", columns, staged), connection.cursor() as cursor:
        params = {"level": level, "edition": edition.start, "file": source_file}
        assignments = ", ".join(f"{f} = st.{f}" for f in fields)
        own = ", ".join(f"s.{f}" for f in fields)
        staged = ", ".join(f"st.{f}" for f in fields)
        cursor.execute(
            f"""
            UPDATE cartography_coveragesnapshot s SET {assignments}, source_file = %(file)s
            FROM coverage_stage st
            WHERE s.level = %(level)s AND s.edition = %(edition)s AND s.code = st.code
              AND s.period = st.period AND ({own}) IS DISTINCT FROM ({staged})
            """,
            params,
        )
        counts.updated += cursor.rowcount
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM (SELECT DISTINCT code FROM coverage_stage) st "
            "WHERE EXISTS (SELECT 1 FROM cartography_coveragesnapshot s WHERE s.level = "
            "%(level)s AND s.code = st.code AND s.edition <= %(edition)s))",
            params,
        )
        # Against an empty history (a first import) the checks below are skipped, not run
        # a million times for nothing.
        known = cursor.fetchone()[0]
        defaults = {"epci_siren": "''", "zoning": "'{}'::jsonb", "operators": "''"}
        other = [f for f in defaults if f not in fields]
        insert_columns = ["level", "code", "name", "period", "edition", "source_file"]
        insert_columns += ["imported_at", *fields, *other]
        checks = f"""
            WHERE NOT EXISTS (
                SELECT 1 FROM cartography_coveragesnapshot s
                WHERE s.level = %(level)s AND s.code = st.code AND s.period = st.period
                  AND s.edition = %(edition)s)
              AND NOT EXISTS (
                SELECT 1 FROM (
                    SELECT {own} FROM cartography_coveragesnapshot s
                    WHERE s.level = %(level)s AND s.code = st.code AND s.period = st.period
                      AND s.edition < %(edition)s
                    ORDER BY s.edition DESC LIMIT 1) s
                WHERE ({own}) IS NOT DISTINCT FROM ({staged}))
        """
        cursor.execute(
            f"""
            INSERT INTO cartography_coveragesnapshot ({", ".join(insert_columns)})
            SELECT %(level)s, st.code, st.name, st.period, %(edition)s, %(file)s, now(),
                   {staged}{"".join(", " + defaults[f] for f in other)}
            FROM coverage_stage st
            {checks if known else ""}
            """,
            params,
        )
        counts.created += cursor.rowcount
        counts.unchanged += len(rows) - counts.created - counts.updated
        if counts.created > 1000:
            # Fresh planner statistics, or the next import's anti-join is planned for an empty
            # table and scans it once per row.
            cursor.execute("ANALYZE cartography_coveragesnapshot")


# --- Ma connexion internet -------------------------------------------------------------------

ELIGIBILITY_KEYS = ["code_insee", "nom_com", "code_dep", "code_reg", "type", "date", "nbr"]
ELIGIBILITY_COUNTS = [
    "elig_ftth", "elig_coax", "elig_cu", "elig_cu_8", "elig_cu_30", "elig_thdr", "elig_hdr",
    "elig_4gf", "elig_sat", "nbr_elig_8", "inel_hd", "elig_hd3", "elig_bhd8", "elig_thd30",
    "elig_thd100", "elig_thd1g",
]  # fmt: skip


def parse_date(text: str) -> datetime.date:
    """'2024-03-31', '31/03/2024', 'T1 2024' (its first day) → a date."""
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%dT%H:%M:%S", "%Y%m%d"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            pass
    return Quarter.parse(text).start


def _import_eligibility(path, shape: FileShape, report: ImportReport, progress) -> None:
    header = [fold(c) for c in shape.header.cells]
    missing = [c for c in ("code_insee", "date", "nbr") if c not in header]
    if "code_insee" in missing or "date" in missing:
        raise ImportFileError(
            path, f"colonnes indispensables absentes : {', '.join(missing)}", shape.header.line
        )
    known = set(ELIGIBILITY_KEYS) | set(ELIGIBILITY_COUNTS)
    unknown = [c for c in header if c not in known]
    if unknown:
        report.warn(f"colonnes inconnues, lues comme des comptes : {', '.join(unknown)}", path)
    absent = [c for c in ELIGIBILITY_COUNTS + ["nbr"] if c not in header]
    if absent:
        report.note(f"colonnes absentes de ce fichier : {', '.join(absent)}", 1)
    counted = [c for c in header if c not in ELIGIBILITY_KEYS]
    territories = Territories()
    text = read_text(path, report)
    values: dict[tuple, dict] = {}
    unique = UniqueKeys(path, "commune, date et technologie", "code_insee")
    for line, row in progress(iter_rows(path, text, shape.header), "Éligibilités", None):
        report.rows_read += 1
        cells = dict(zip(header, row, strict=True))
        raw = (cells["code_insee"].strip().upper(), cells["date"].strip(), cells.get("type", ""))
        unique.add(raw, line, " ".join(v.strip() for v in raw if v.strip()))
        code = territories.commune(cells["code_insee"], report, path, line)
        if code is None:
            continue
        try:
            date = parse_date(cells["date"])
        except ValueError as exc:
            raise ImportFileError(
                path, f"date illisible « {cells['date']} »", line, "date"
            ) from exc
        counts = {}
        for column in counted + (["nbr"] if "nbr" in header else []):
            try:
                counts[column] = parse_count(cells[column])
            except ValueError as exc:
                raise ImportFileError(path, str(exc), line, column) from exc
        premises = counts.pop("nbr", None)
        key = (code, date, cells.get("type", "").strip())
        if key in values:  # an old commune merged into this one
            old = values[key]
            old["premises"] = (old["premises"] or 0) + (premises or 0)
            for column, n in counts.items():
                old["counts"][column] = (old["counts"].get(column) or 0) + (n or 0)
        else:
            values[key] = {
                "premises": premises,
                "counts": counts,
                "name": territories.names.get(code, cells.get("nom_com", "")),
            }
    counts = report.count("Éligibilités par commune")
    sync_rows(EligibilitySnapshot, ("code", "date", "theme"), values, counts)


# --- per-building files ----------------------------------------------------------------------

# The hub's field → the column name in each layout (compared folded).
BUILDING_COLUMNS = {
    IPE: {
        "identifier": "identifiantimmeuble",
        "state": "etatimmeuble",
        "x": "coordonneeimmeublex",
        "y": "coordonneeimmeubley",
        "insee": "codeinseeimmeuble",
        "dwellings": "nombrelogementsadresseipe",
        "number": "numerovoieimmeuble",
        "street_type": "typevoieimmeuble",
        "street": "nomvoieimmeuble",
        "postcode": "codepostalimmeuble",
        "city": "communeimmeuble",
        "pm_reference": "referencepm",
        "pm_state": "etatpm",
        "operator": "codeoi",
        "premises_class": "",
    },
    IMMEUBLES: {
        "identifier": "imb_id",
        "state": "imb_etat",
        "x": "x",
        "y": "y",
        "insee": "code_insee",
        "dwellings": "",
        "number": "num_voie",
        "street_type": "type_voie",
        "street": "nom_voie",
        "postcode": "code_poste",
        "city": "nom_com",
        "pm_reference": "pm_ref",
        "pm_state": "pm_etat",
        "operator": "",
        "premises_class": "catg_loc_imb",
    },
}
BUILDING_REQUIRED = ("identifier", "state", "x", "y", "insee")
COPY_LINE = re.compile(r"line (\d+)")
REJECTIONS_SHOWN = 50
NUMBER_SQL = r"'^\s*-?\d+([.,]\d+)?\s*$'"


class BuildingImport:
    """Stream a per-building file into a staging table with COPY, then check, de-duplicate,
    convert coordinates and upsert in SQL."""

    CHUNK = 1 << 20

    def __init__(self, path, shape: FileShape, report, progress, source_date):
        self.path, self.shape, self.report, self.progress = path, shape, report, progress
        self.source_date = source_date
        folded = [fold(c) for c in shape.header.cells]
        self.columns = {}
        for field, name in BUILDING_COLUMNS[shape.kind].items():
            self.columns[field] = f"c{folded.index(name)}" if name and name in folded else None
        missing = [
            BUILDING_COLUMNS[shape.kind][f] for f in BUILDING_REQUIRED if not self.columns[f]
        ]
        if missing:
            raise ImportFileError(
                path, f"colonnes indispensables absentes : {', '.join(missing)}", shape.header.line
            )
        absent = [n for f, n in BUILDING_COLUMNS[shape.kind].items() if n and not self.columns[f]]
        if absent:
            report.warn(f"colonnes absentes de ce fichier (laissées vides) : {', '.join(absent)}")

    def run(self) -> None:
        encoding = self.shape.encoding
        if encoding.codec != "utf-8-sig":
            self.report.note(f"encodage lu : {encoding.codec}")
        warn_mixed(self.path, encoding, self.report)
        width = len(self.shape.header.cells)
        stage = {"line": "bigserial"} | {f"c{i}": "text" for i in range(width)}
        with staging_table("building_stage", stage), connection.cursor() as cursor:
            self.copy(cursor, encoding, width)
            with self.map_communes(cursor):
                self.check(cursor)
                with self.index_strategy(cursor):
                    self.upsert(cursor)

    def copy(self, cursor, encoding: Encoding, width: int) -> None:
        size = max(self.path.stat().st_size, 1)
        columns = ", ".join(f"c{i}" for i in range(width))
        sql = (
            f"COPY building_stage ({columns}) FROM STDIN "
            f"(FORMAT csv, DELIMITER '{self.shape.header.separator}', QUOTE '\"')"
        )
        try:
            with (
                open(self.path, encoding=encoding.codec, errors=encoding.errors, newline="") as f,
                cursor.cursor.copy(sql) as copy,
            ):
                for _ in range(self.shape.header.line):
                    f.readline()
                chunks = iter(lambda: f.read(self.CHUNK), "")
                total = size // self.CHUNK + 1
                for chunk in self.progress(chunks, "Chargement des immeubles (COPY)", total):
                    copy.write(chunk)
        except (psycopg.errors.BadCopyFileFormat, psycopg.errors.DataError) as exc:
            match = COPY_LINE.search(exc.diag.context or "")
            line = self.shape.header.line + int(match[1]) if match else None
            reason = {
                "missing data for column": "champs manquants (ligne tronquée ?)",
                "extra data after last expected column": "champs en trop (séparateur ?)",
                "unterminated CSV quoted field": "guillemet non fermé (fichier tronqué ?)",
            }
            message = exc.diag.message_primary or str(exc)
            text = next((v for k, v in reason.items() if message.startswith(k)), message)
            raise ImportFileError(
                self.path, f"{text}, {width} champs attendus séparés par « ; »", line
            ) from exc
        cursor.execute("ANALYZE building_stage")

    def map_communes(self, cursor):
        """A staging table of each commune code of the file and its current code."""
        territories = Territories()
        cursor.execute(f"SELECT DISTINCT upper(trim({self.columns['insee']})) FROM building_stage")
        mapping = []
        for (code,) in cursor.fetchall():
            current = territories.resolver.current_code(code or "")
            mapping.append((code, current or (code or "")[:5]))
            if current is None:
                self.report.warn(f"code commune « {code} » inconnu du hub, gardé tel quel")
        return staging_table("building_commune", {"code": "text", "current": "text"}, mapping)

    def check(self, cursor) -> None:
        """Reject rows without identifier or readable coordinates; report which system the
        coordinates were read in."""
        cursor.execute("SELECT count(*) FROM building_stage")
        self.report.rows_read = cursor.fetchone()[0]
        c = self.columns
        number = NUMBER_SQL
        cursor.execute(
            f"""
            SELECT line, CASE
                WHEN coalesce(trim({c["identifier"]}), '') = '' THEN 'identifiant vide'
                WHEN NOT ({c["x"]} ~ {number} AND {c["y"]} ~ {number})
                    THEN 'coordonnées illisibles « ' || coalesce({c["x"]}, '') || ' ; '
                         || coalesce({c["y"]}, '') || ' »'
                ELSE 'coordonnées ni en Lambert-93 ni en WGS84 en France' END
            FROM building_stage
            WHERE NOT (coalesce(trim({c["identifier"]}), '') <> ''
                       AND {c["x"]} ~ {number} AND {c["y"]} ~ {number})
               OR {self.system_sql()} IS NULL
            ORDER BY line
            """
        )
        rejected = cursor.fetchall()
        for line, reason in rejected[:REJECTIONS_SHOWN]:
            self.report.reject(self.shape.header.line + line, "coordonnées / identifiant", reason)
        if len(rejected) > REJECTIONS_SHOWN:
            self.report.note("rejets non détaillés", len(rejected) - REJECTIONS_SHOWN)
        if rejected:
            cursor.execute(
                "DELETE FROM building_stage WHERE line = ANY(%s)", [[r[0] for r in rejected]]
            )
        cursor.execute(
            f"SELECT {self.system_sql()}, count(*) FROM building_stage GROUP BY 1 ORDER BY 1"
        )
        for srid, n in cursor.fetchall():
            label = "WGS84 (degrés)" if srid == 4326 else "Lambert-93 (EPSG:2154, mètres)"
            self.report.note(f"coordonnées lues en {label}, d'après les valeurs", n)

    def system_sql(self) -> str:
        """4326 or 2154 from the value ranges (some editions put degrees in x/y), else NULL."""
        x, y = self.columns["x"], self.columns["y"]
        fx, fy = (f"replace(trim({c}), ',', '.')::float8" for c in (x, y))
        return (
            f"(CASE WHEN NOT ({x} ~ {NUMBER_SQL} AND {y} ~ {NUMBER_SQL}) THEN NULL "
            f"WHEN {fx} BETWEEN -180 AND 180 AND {fy} BETWEEN -90 AND 90 THEN 4326 "
            f"WHEN {fx} BETWEEN -400000 AND 1400000 AND {fy} BETWEEN 5900000 AND 7300000 "
            "THEN 2154 END)"
        )

    BULK = 50_000

    def index_strategy(self, cursor):
        """A file as large as the table it feeds (a first load, a national file) rebuilds the
        spatial and lookup indexes once instead of updating them row by row."""
        cursor.execute("SELECT count(*) FROM building_stage")
        staged = cursor.fetchone()[0]
        cursor.execute(
            "SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = 'cartography_building'::regclass"
        )
        existing = cursor.fetchone()[0]
        if staged >= self.BULK and staged >= existing / 2:
            self.report.note("index des immeubles reconstruits après l'écriture (gros fichier)")
            return secondary_indexes_rebuilt("cartography_building")
        return nullcontext()

    def col(self, field: str, alias: str = "") -> str:
        """`field`'s staging column as trimmed text (NULL when the file lacks the column)."""
        column = self.columns[field]
        return f"trim({alias}{column})" if column else "NULL::text"

    def upsert(self, cursor) -> None:
        col = self.col
        x = f"replace({col('x', 'f.')}, ',', '.')::float8"
        y = f"replace({col('y', 'f.')}, ',', '.')::float8"
        state = f"translate(lower({col('state', 'f.')}), 'éèêàç', 'eeeac')"
        address = ", ".join(
            f"nullif({col(f)}, '')" for f in ("number", "street_type", "street", "postcode", "city")
        )
        dwellings = f"nullif(regexp_replace({col('dwellings')}, '\\D', '', 'g'), '')::integer"
        text = {
            f: f"left(coalesce({col(f, 'f.')}, ''), {n})"
            for f, n in (("premises_class", 30), ("pm_reference", 80), ("pm_state", 40))
            + (("operator", 40), ("state", 60))
        }
        updated = [
            "location", "commune_code", "state", "state_label", "dwellings", "premises_class",
            "address", "pm_reference", "pm_state", "operator", "source", "source_date",
        ]  # fmt: skip
        cursor.execute(
            f"""
            WITH rows AS (
                SELECT line, {col("identifier")} AS identifier,
                       concat_ws(' ', {address}) AS address, {dwellings} AS dwellings
                FROM building_stage
            ), dwellings AS (
                SELECT identifier, sum(d)::integer AS dwellings FROM (
                    SELECT identifier, address, max(dwellings) AS d FROM rows
                    GROUP BY identifier, address) a
                GROUP BY identifier
            ), first AS (
                SELECT DISTINCT ON (r.identifier) r.identifier, r.address, s.*
                FROM rows r JOIN building_stage s ON s.line = r.line
                ORDER BY r.identifier, r.line
            ), written AS (
                INSERT INTO cartography_building AS b (identifier, {", ".join(updated)}, updated_at)
                SELECT f.identifier,
                       CASE WHEN {x} BETWEEN -180 AND 180
                            THEN ST_SetSRID(ST_MakePoint({x}, {y}), 4326)
                            ELSE ST_Transform(ST_SetSRID(ST_MakePoint({x}, {y}), 2154), 4326)
                       END,
                       coalesce(m.current, ''),
                       CASE WHEN {state} LIKE 'deploy%%' THEN 'deploye'
                            WHEN {state} LIKE 'raccordable%%' THEN 'raccordable_demande'
                            WHEN {state} LIKE '%%en cours%%' THEN 'en_cours'
                            WHEN {state} LIKE 'sign%%' THEN 'signe'
                            WHEN {state} LIKE 'cible%%' THEN 'cible'
                            WHEN {state} LIKE 'abandon%%' THEN 'abandonne'
                            ELSE 'inconnu' END,
                       {text["state"]}, d.dwellings, {text["premises_class"]},
                       left(f.address, 300), {text["pm_reference"]}, {text["pm_state"]},
                       {text["operator"]}, %(source)s, %(date)s, now()
                FROM first f
                JOIN dwellings d ON d.identifier = f.identifier
                LEFT JOIN building_commune m ON m.code = upper({col("insee", "f.")})
                ON CONFLICT (identifier) DO UPDATE SET
                    {", ".join(f"{n} = EXCLUDED.{n}" for n in updated)}, updated_at = now()
                WHERE ({", ".join(f"b.{n}" for n in updated)})
                  IS DISTINCT FROM ({", ".join(f"EXCLUDED.{n}" for n in updated)})
                RETURNING (xmax = 0) AS created
            )
            SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created),
                   (SELECT count(*) FROM first), (SELECT count(*) FROM building_stage)
            FROM written
            """,
            {"source": self.shape.kind, "date": self.source_date},
        )
        created, updated, buildings, rows = cursor.fetchone()
        counts = self.report.count("Immeubles")
        counts.created, counts.updated = created, updated
        counts.unchanged = buildings - created - updated
        if rows > buildings:
            self.report.note(
                "lignes fusionnées (un immeuble sur plusieurs lignes)", rows - buildings
            )
        cursor.execute("ANALYZE cartography_building")


DEMO_DIR = Path(__file__).resolve().parents[2] / "data" / "demo" / "coverage"
DEMO_FILES = [
    DEMO_DIR / "arcep-thd-T1-2018-ftthCommunes-dep28.csv",
    DEMO_DIR / "arcep-thd-T1-2018-communes-dep28.csv",
]


def load_demo_coverage(progress: Progress = no_progress) -> list[ImportReport]:
    """ARCEP's observatoire, edition T1 2018, Eure-et-Loir rows (see data/demo/README.md)."""
    return [import_coverage(path, progress=progress) for path in DEMO_FILES]
