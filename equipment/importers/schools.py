"""Import schools from the Annuaire de l'éducation (`fr-en-annuaire-education`), any layout.

Columns are found by name, so the 2026 layout (`Code_postal`, `coordX_origine`, `multi_uai`,
`code_circonscription`) and the older ones (`Code postal`, `coordonnee_X`, `Nombre_d_eleves`,
`etablissement_multi_lignes`) both read. A UAI on two lines is one school (the second line fills
the first one's blanks). Schools are never deleted: `etat` says which are closing or closed.
A file re-saved by a spreadsheet (SIRET as `1.93E+13`, dates as `01/02/1967`, leading zeros
lost) is refused as a whole, before anything is written.
"""

from __future__ import annotations

import datetime
import math
import re

from django.contrib.gis.gdal import CoordTransform, GDALException, SpatialReference
from django.contrib.gis.geos import Point
from django.db import transaction

from hub.imports import (
    ImportFileError,
    ImportReport,
    Progress,
    UniqueKeys,
    in_france,
    no_progress,
    sync_rows,
    update_changed,
)

from ..models import Circonscription, School
from .common import (
    UAI,
    Columns,
    CommuneLocator,
    SchoolFile,
    fold,
    kind_from_name,
    open_school_file,
    sector_from,
)

COLUMNS = {
    "uai": ("Identifiant_de_l_etablissement", "UAI"),
    "name": ("Nom_etablissement",),
    "type": ("Type_etablissement",),
    "sector": ("Statut_public_prive",),
    "postal_code": ("Code_postal",),
    "commune_code": ("Code_commune",),
    "departement": ("Code_departement",),
    "maternelle": ("Ecole_maternelle",),
    "elementaire": ("Ecole_elementaire",),
    "voie_generale": ("Voie_generale",),
    "voie_technologique": ("Voie_technologique",),
    "voie_professionnelle": ("Voie_professionnelle",),
    "nature": ("libelle_nature",),
    "priority": ("Appartenance_Education_Prioritaire",),
    "siret": ("SIREN_SIRET",),
    "pupils": ("Nombre_d_eleves",),
    "latitude": ("latitude",),
    "longitude": ("longitude",),
    "x": ("coordX_origine", "coordonnee_X"),
    "y": ("coordY_origine", "coordonnee_Y"),
    "epsg": ("epsg_origine", "epsg"),
    "position": ("position",),
    "precision": ("precision_localisation",),
    "circonscription_code": ("code_circonscription",),
    "circonscription_name": ("nom_circonscription",),
    "opened_on": ("date_ouverture",),
    "updated_on": ("date_maj_ligne",),
    "status": ("etat",),
}
REQUIRED = ("uai", "name", "type", "commune_code")
# Published columns the hub does not keep: read without a warning.
KNOWN_UNUSED = (
    "Adresse_1 Adresse_2 Adresse_3 Nom_commune Code_academie Code_region Telephone Fax Web Mail "
    "Restauration Hebergement ULIS Apprentissage Segpa Section_arts Section_cinema "
    "Section_theatre Section_sport Section_internationale Section_europeenne Lycee_Agricole "
    "Lycee_militaire Lycee_des_metiers Post_BAC GRETA Fiche_onisep Type_contrat_prive "
    "Libelle_departement Libelle_academie Libelle_region ministere_tutelle rpi_concentre "
    "rpi_disperse code_nature Code_type_contrat_prive PIAL etablissement_mere "
    "type_rattachement_etablissement_mere code_zone_animation_pedagogique "
    "libelle_zone_animation_pedagogique code_bassin_formation libelle_bassin_formation "
    "multi_uai etablissement_multi_lignes"
).split()

APPROXIMATE_PRECISIONS = {"ville", "lieudit"}
STATUSES = {
    "ouvert": School.Status.OPEN,
    "afermer": School.Status.CLOSING,
    "ferme": School.Status.CLOSED,
    "fermee": School.Status.CLOSED,
}
PRIORITIES = {"": "", "REP": "REP", "REP+": "REP+"}
BATCH = 500

# Signs of a file opened and saved again by a spreadsheet.
SCIENTIFIC = re.compile(r"^-?\d+(?:[.,]\d+)?E[+-]?\d+$", re.IGNORECASE)
SLASHED_DATE = re.compile(r"^\d{1,2}/\d{1,2}/\d{2,4}")
SHORT_UAI = re.compile(r"^\d{6}[A-Za-z]$")
CODE_WIDTHS = {"commune_code": 5, "postal_code": 5, "departement": 3}
LAT_LON = re.compile(r"-?\d+(?:\.\d+)?")


def import_schools(
    path, *, departement: str | None = None, progress: Progress = no_progress
) -> ImportReport:
    """Import an Annuaire de l'éducation file; see the module docstring. Returns the report.

    `departement` ('28', '028', '2A'…) keeps only that département's rows. Raises
    ImportFileError (database unchanged) for a file that cannot be imported as a whole.
    """
    file = open_school_file(
        path, "Annuaire de l'éducation", COLUMNS, REQUIRED, KNOWN_UNUSED, departement
    )
    rows = _read(file, progress)
    with transaction.atomic():
        _Writer(file.columns, file.report).write(rows, progress)
    return file.report


def _read(file: SchoolFile, progress) -> dict[str, tuple[int, dict]]:
    """The rows to import, one per UAI, after checking the whole file."""
    columns, report = file.columns, file.report
    rows: dict[str, tuple[int, dict]] = {}
    # A UAI on two lines is one school published on two lines; the same line twice is a
    # repeated file, refused.
    repeated = UniqueKeys(columns.path, "UAI (ligne répétée à l'identique)", columns["uai"])
    for line, row in progress(file.rows(), "Annuaire de l'éducation (lecture)", columns.lines):
        repeated.add(tuple(row.values()), line, row["uai"])
        damage = _spreadsheet_damage(row)
        if damage is not None:
            field_name, what = damage
            raise ImportFileError(
                columns.path,
                f"fichier réenregistré par un tableur : {what}. Importez le fichier tel que publié.",
                line,
                columns[field_name],
            )
        uai = row["uai"].upper()
        if not UAI.match(uai):
            report.reject(line, columns["uai"], f"UAI invalide « {row['uai']} »")
            continue
        if len(row["commune_code"]) > 5:
            report.reject(line, columns["commune_code"], f"code commune « {row['commune_code']} »")
            continue
        if not row["name"]:
            report.reject(line, columns["name"], "nom de l'établissement vide")
            continue
        code = file.departement(line, row)
        if code is None:
            continue
        row = {**row, "uai": uai, "departement": code}
        if uai in rows:
            first = rows[uai][1]
            for key, value in row.items():
                if value and not first[key]:
                    first[key] = value
            report.note("Lignes d'un UAI déjà lu, fusionnées avec sa première ligne")
            continue
        rows[uai] = (line, row)
    file.done()
    return rows


def _spreadsheet_damage(row: dict) -> tuple[str, str] | None:
    """The first value a spreadsheet has altered, as (field, what): its codes are unsafe."""
    if SCIENTIFIC.match(row["siret"]):
        return "siret", f"SIRET en notation scientifique « {row['siret']} »"
    for field_name in ("opened_on", "updated_on"):
        if SLASHED_DATE.match(row[field_name]):
            return field_name, f"date « {row[field_name]} » au lieu de AAAA-MM-JJ"
    for field_name, width in CODE_WIDTHS.items():
        value = row[field_name]
        if value.isdigit() and len(value) < width:
            return field_name, f"code « {value} » de {len(value)} chiffres au lieu de {width}"
    if SHORT_UAI.match(row["uai"]):
        return "uai", f"UAI « {row['uai']} » de 7 caractères (zéro de tête perdu)"
    return None


def _flag(text: str) -> bool:
    return text.strip().lower() in {"1", "1.0", "oui", "o", "true", "vrai"}


def _kind(row: dict) -> str:
    kind = fold(row["type"])
    if kind == "ecole":
        maternelle, elementaire = _flag(row["maternelle"]), _flag(row["elementaire"])
        if maternelle and elementaire:
            return School.Kind.PRIMAIRE
        if maternelle:
            return School.Kind.MATERNELLE
        if elementaire:
            return School.Kind.ELEMENTAIRE
        return kind_from_name(row["name"])
    if kind == "college":
        return School.Kind.COLLEGE
    if kind == "lycee":
        general = _flag(row["voie_generale"]) or _flag(row["voie_technologique"])
        vocational = _flag(row["voie_professionnelle"]) and not general
        if vocational or fold(row["nature"]).startswith("lyceeprofessionnel"):
            return School.Kind.LYCEE_PRO
        return School.Kind.LYCEE
    return School.Kind.OTHER


class _Writer:
    def __init__(self, columns: Columns, report: ImportReport):
        self.columns = columns
        self.path = columns.path
        self.report = report
        self.locator = CommuneLocator()
        self.transforms: dict[int, CoordTransform | None] = {}

    def write(self, rows: dict[str, tuple[int, dict]], progress: Progress) -> None:
        circonscriptions = self.sync_circonscriptions(rows)
        values: dict[str, dict] = {}
        at_commune: list[str] = []
        for uai, (line, row) in rows.items():
            values[uai] = self.values(line, row, circonscriptions)
            if values[uai]["location"] is None:
                at_commune.append(uai)
        self.place_at_communes(values, at_commune, rows)

        counts = self.report.count("Établissements scolaires")
        items = list(values.items())
        batches = range(0, len(items), BATCH)
        for start in progress(batches, "Annuaire de l'éducation (écriture)", len(batches)):
            sync_rows(School, "uai", dict(items[start : start + BATCH]), counts)
        self.locator.warn_missing(
            self.report, self.path, "établissement(s) importé(s) sans commune"
        )

        departements = {row["departement"] for _, row in rows.values()}
        absent = (
            School.objects.filter(source=School.Source.ANNUAIRE, departement_code__in=departements)
            .exclude(uai__in=list(rows))
            .count()
        )
        if absent:
            self.report.note("Établissements connus absents du fichier (gardés tels quels)", absent)

    def values(self, line: int, row: dict, circonscriptions: dict) -> dict:
        precision = row["precision"]
        out = {
            "name": row["name"],
            "kind": _kind(row),
            "sector": sector_from(row["sector"]),
            "departement_code": row["departement"],
            "commune_id": self.locator.commune_id(row["commune_code"], line)
            if row["commune_code"]
            else None,
            "commune_code": row["commune_code"],
            "location": self.position(line, row),
            "location_precision": precision,
            "location_approximate": fold(precision) in APPROXIMATE_PRECISIONS,
            "education_priority": self.priority(line, row["priority"]),
            "opened_on": self.date(line, row, "opened_on"),
            "source_updated_on": self.date(line, row, "updated_on"),
            "source": School.Source.ANNUAIRE,
        }
        # Fields of columns some layouts lack are left as they are when the file lacks them.
        if "circonscription_code" in self.columns or "circonscription_name" in self.columns:
            out["circonscription_id"] = circonscriptions.get(_circonscription_key(row))
        if "pupils" in self.columns:
            out["pupils"] = self.integer(line, row, "pupils")
        status = STATUSES.get(fold(row["status"]))
        if status is not None:
            out["status"] = status
        elif row["status"]:
            self.report.warn(f"état inconnu « {row['status']} », ignoré", self.path, line)
        return out

    # --- positions -----------------------------------------------------------------------
    def position(self, line: int, row: dict) -> Point | None:
        """Latitude/longitude, else X/Y in their EPSG, else `position` ("lat, lon"): the first
        that lies in the row's département (a value outside it is said and passed over)."""
        departement = row["departement"]
        lat, lon = self.number(line, row, "latitude"), self.number(line, row, "longitude")
        if self.inside(line, lon, lat, departement, "latitude/longitude"):
            return Point(lon, lat, srid=4326)
        x, y = self.number(line, row, "x"), self.number(line, row, "y")
        if x is not None and y is not None and row["epsg"]:
            point = self.projected(line, x, y, row["epsg"])
            if point is not None and self.inside(line, *point.coords, departement, "X/Y"):
                return point
        found = LAT_LON.findall(row["position"])
        if len(found) == 2:
            lat, lon = float(found[0]), float(found[1])
            if self.inside(line, lon, lat, departement, "position"):
                return Point(lon, lat, srid=4326)
        return None

    def inside(self, line: int, lon, lat, departement: str, what: str) -> bool:
        if lon is None or lat is None or (lon, lat) == (0, 0):
            return False
        if in_france(lon, lat, departement):
            return True
        self.report.warn(
            f"{what} ({lat:.5f}, {lon:.5f}) hors du département {departement} : système de "
            "coordonnées ou ordre latitude/longitude erroné ? Position ignorée",
            self.path,
            line,
        )
        return False

    def projected(self, line: int, x: float, y: float, epsg_text: str) -> Point | None:
        match = re.search(r"\d{4,5}", epsg_text)
        if match is None:
            self.report.warn(f"EPSG illisible « {epsg_text} »", self.path, line)
            return None
        epsg = int(match.group())
        if epsg not in self.transforms:
            try:
                self.transforms[epsg] = CoordTransform(
                    SpatialReference(epsg), SpatialReference(4326)
                )
            except GDALException:
                self.transforms[epsg] = None
                self.report.warn(f"projection EPSG:{epsg} inconnue, X/Y ignorés", self.path, line)
        if self.transforms[epsg] is None:
            return None
        point = Point(x, y, srid=epsg)
        point.transform(self.transforms[epsg])
        return point

    def place_at_communes(self, values: dict, uais: list[str], rows: dict) -> None:
        """Schools without a position go to a point inside their commune, flagged approximate."""
        points = self.locator.points(values[uai]["commune_id"] for uai in uais)
        for uai in uais:
            point = points.get(values[uai]["commune_id"])
            if point is None:
                self.report.warn(
                    "ni coordonnées ni commune connue : établissement importé sans position",
                    self.path,
                    rows[uai][0],
                )
                continue
            values[uai]["location"] = point
            values[uai]["location_approximate"] = True
            self.report.note("Établissements placés dans leur commune (position approximative)")

    # --- values --------------------------------------------------------------------------
    def number(self, line: int, row: dict, field_name: str) -> float | None:
        text = row[field_name].replace(",", ".")
        if not text:
            return None
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            self.report.warn(
                f"colonne « {self.columns[field_name]} » : nombre illisible « {row[field_name]} »",
                self.path,
                line,
            )
            return None
        return value

    def integer(self, line: int, row: dict, field_name: str) -> int | None:
        text = row[field_name].replace(" ", "").replace("\u202f", "")
        if not text:
            return None
        if text.isdigit():
            return int(text)
        self.report.warn(
            f"colonne « {self.columns[field_name]} » : entier illisible « {text} », ignoré",
            self.path,
            line,
        )
        return None

    def date(self, line: int, row: dict, field_name: str) -> datetime.date | None:
        text = row[field_name]
        if not text:
            return None
        try:
            return datetime.date.fromisoformat(text[:10])
        except ValueError:
            self.report.warn(
                f"colonne « {self.columns[field_name]} » : date illisible « {text} », ignorée",
                self.path,
                line,
            )
            return None

    def priority(self, line: int, text: str) -> str:
        value = text.replace(" ", "").upper()
        if value in PRIORITIES:
            return PRIORITIES[value]
        if not fold(value).startswith("hors"):
            self.report.warn(f"éducation prioritaire inconnue « {text} », ignorée", self.path, line)
        return ""

    # --- circonscriptions ------------------------------------------------------------------
    def sync_circonscriptions(self, rows: dict) -> dict[tuple, int]:
        """Create or update the circonscriptions the rows name; their ids by row key.

        Keyed on the code when there is one; a circonscription first known by its name only
        (older layouts) gets its code when a newer file gives it.
        """
        counts = self.report.count("Circonscriptions")
        keys = {_circonscription_key(row) for _, row in rows.values()} - {None}
        known = list(Circonscription.objects.all())
        by_code = {c.code: c for c in known if c.code}
        by_name = {
            (c.departement_code, c.name): c for c in sorted(known, key=lambda c: bool(c.code))
        }
        ids = {}
        for key in sorted(keys):
            code, name, departement = key
            circonscription = by_code.get(code) if code else None
            if circonscription is None:
                circonscription = by_name.get((departement, name))
                if circonscription is not None and code and circonscription.code:
                    circonscription = None  # another one with the same name
            values = {"name": name or code, "departement_code": departement}
            if code:
                values["code"] = code
            if circonscription is None:
                circonscription = Circonscription.objects.create(**values)
                counts.created += 1
            else:
                update_changed(circonscription, values, counts)
            by_code[circonscription.code] = circonscription
            by_name[(circonscription.departement_code, circonscription.name)] = circonscription
            ids[key] = circonscription.pk
        return ids


def _circonscription_key(row: dict) -> tuple[str, str, str] | None:
    code, name = row["circonscription_code"].upper(), row["circonscription_name"]
    return (code, name, row["departement"]) if code or name else None
