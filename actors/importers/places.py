"""Import places from a file of the national standard (v1.0.2 or legacy v0.1), CSV or JSON.

Rows are checked one by one against the official schema: a bad row is rejected with its line,
field and reason, the others are imported; a file that cannot be read at all changes nothing.
Idempotent on (source, id). A row that looks like a place already known (same SIRET within
100 m) is merged into it; one with a very similar name within 50 m waits for an administrator.
"""

from __future__ import annotations

import difflib
import math
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from django.contrib.gis.geos import Point
from django.contrib.postgres.fields import ArrayField
from django.db import connection, transaction

from cartography.models import Commune, Departement
from cartography.services import CommuneResolver, departement_of
from hub.imports import (
    ImportFileError,
    ImportReport,
    Progress,
    UniqueKeys,
    copy_insert,
    in_france,
    iter_csv,
    no_progress,
    read_json,
    secondary_indexes_rebuilt,
    update_changed,
)

from .. import legacy, opening, standard
from ..geocoding import geocode
from ..models import DuplicateCandidate, Offer, Place, PlaceSource, Stop, Structure, offer_rows

SAME_SIRET_METRES = 100
SIMILAR_NAME_METRES = 50
SIMILAR_NAME_RATIO = 0.85
BATCH_SIZE = 1000
COMMON_REQUIRED = ["id", "nom", "commune", "code_postal", "adresse", "date_maj"]
OUTSIDE_NOTE = "Lieux hors des départements chargés (importés, hors de l’annuaire sauf demande)"

# Offer-level columns of the standard, and the Offer field each fills.
OFFER_FIELDS = {
    "publics_specifiquement_adresses": "publics",
    "prise_en_charge_specifique": "specific_support",
    "frais_a_charge": "fees",
    "modalites_accompagnement": "accompaniment_modes",
    "dispositif_programmes_nationaux": "programmes",
    "formations_labels": "labels",
}
# Place-level columns of the standard, and the Place field each fills.
PLACE_FIELDS = {
    "nom": "name",
    "adresse": "address",
    "complement_adresse": "address_complement",
    "code_postal": "postal_code",
    "commune": "commune_name",
    "typologie": "typologie",
    "telephone": "phone",
    "courriels": "emails",
    "site_web": "website",
    "horaires": "opening_hours",
    "presentation_resume": "summary",
    "presentation_detail": "description",
    "itinerance": "itinerance",
    "fiche_acces_libre": "acceslibre_url",
    "prise_rdv": "appointment_url",
    "modalites_acces": "access_modes",
    "autres_formations_labels": "other_labels",
    "date_maj": "updated_on",
}


def opening_hours_valid(text: str) -> bool:
    """Empty, or readable by the OSM parser (through the parse cache the pages use too)."""
    return not text or opening.parse(text) is not None


def accompaniment_level(services: list[str], modes: list[str]) -> int | None:
    """The level of accompaniment derived from the standard's services and modalities."""
    guided = {"Accompagnement individuel", "Dans un atelier collectif", "À distance"}
    if "Aide aux démarches administratives" in services and "Accompagnement individuel" in modes:
        return Place.Level.ON_BEHALF
    if guided & set(modes):
        return Place.Level.GUIDED_USE
    if "En autonomie" in modes or "Accès internet et matériel informatique" in services:
        return Place.Level.FREE_ACCESS
    return None


@dataclass
class ReadFile:
    version: str
    rows: list[tuple[int | str, dict[str, str]]]


def read_places_file(path: Path, report: ImportReport | None = None) -> ReadFile:
    """The rows of a places file, CSV or JSON, with the standard's lower-case column names."""
    path = Path(path)
    head = path.read_bytes()[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] in (b"[", b"{"):
        data = read_json(path, report)
        if isinstance(data, dict):
            data = data.get("data") or data.get("features") or data.get("lieux") or []
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            raise ImportFileError(path, "JSON : une liste d'objets (un par lieu) est attendue")
        rows = [
            (f"objet n° {n}", {k: _text(v) for k, v in (item.get("properties") or item).items()})
            for n, item in enumerate(data, start=1)
        ]
        columns = set().union(*(row.keys() for _, row in rows)) if rows else set()
    else:
        rows = [
            (line, {k.lower(): v for k, v in row.items()})
            for line, row in iter_csv(path, COMMON_REQUIRED, report)
        ]
        columns = set(rows[0][1]) if rows else set()
    version = "0.1" if columns & legacy.LEGACY_ONLY_COLUMNS else "1.0.2"
    # HTML entities left by the tool that wrote the file ("Caf&eacute; &amp; co"), decoded once
    # here, before anything splits values (v0.1 splits on ";", which "&#39;" holds) or checks them.
    rows = [
        (
            line,
            {k: standard.decode_entities(v) if isinstance(v, str) else v for k, v in row.items()},
        )
        for line, row in rows
    ]
    return ReadFile(version, rows)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "|".join(str(v) for v in value)
    return str(value)


class PlaceImporter:
    def __init__(self, source: str | None, report: ImportReport):
        self.source = source
        self.report = report
        self.counts = report.count("Lieux")
        self.resolver = CommuneResolver.from_database()
        self.communes = {c.code: c for c in Commune.objects.only("code", "name", "departement_id")}
        self.departements = set(Departement.objects.values_list("code", flat=True))
        self.by_name = {}
        for commune in self.communes.values():
            self.by_name.setdefault((commune.code[:2], standard.fold(commune.name)), commune)
        self.structures = {s.siret: s for s in Structure.objects.exclude(siret="")}
        self.check_duplicates = Place.objects.exists()
        self.known: dict[tuple[str, str], int] = {}
        self.pending: list[NewRow] = []
        self.analyzed_at = 0
        self.centres: dict[int, Point | None] = {}

    def load_known(self, sources: set[str]) -> None:
        self.known = {
            (s, e): p
            for s, e, p in PlaceSource.objects.filter(source__in=sources).values_list(
                "source", "external_id", "place_id"
            )
        }

    # --- resolution -----------------------------------------------------------------------
    def outside(self, values) -> bool:
        """Whether the row's département (by its INSEE code, else its postal code) is not one
        the hub has loaded: such places are imported but left out of the directory."""
        code = (values["code_insee"] or "").strip()
        postal = (values["code_postal"] or "").strip()
        if code:
            asked = {departement_of(code)}
        elif postal[:2] == "20":
            asked = {"2A", "2B"}
        elif postal:
            asked = {postal[:3] if postal.startswith("97") else postal[:2]}
        else:
            return False
        return not asked & self.departements

    def commune_for(self, line, values, point) -> Commune | None:
        if values["code_insee"]:
            resolution = self.resolver.resolve(values["code_insee"])
            if resolution.current in self.communes:
                return self.communes[resolution.current]
            if not self.outside(values):  # outside: counted once the row is placed
                self.report.warn(
                    f"code_insee : {resolution.reason or 'commune non chargée'}", line=line
                )
        if point is not None:
            commune = Commune.objects.filter(geometry__contains=point).only("code").first()
            if commune:
                return self.communes[commune.code]
        postal = values["code_postal"] or ""
        departement = postal[:2]
        commune = self.by_name.get((departement, standard.fold(values["commune"] or "")))
        if commune is None and departement == "20":
            commune = self.by_name.get(("2A", standard.fold(values["commune"] or ""))) or (
                self.by_name.get(("2B", standard.fold(values["commune"] or "")))
            )
        return commune

    def location_for(self, line, values, commune, point=None) -> tuple[Point | None, bool]:
        if point is not None:  # the row's own coordinates
            return point, False
        if values["latitude"] is not None:
            return Point(values["longitude"], values["latitude"], srid=4326), False
        found = geocode(values["adresse"], values["code_postal"], values["commune"])
        if found:
            self.report.note("Lieux géocodés (API Adresse)")
            return Point(*found, srid=4326), False
        if commune is not None:
            self.report.note("Lieux placés au centre de leur commune (position approximative)")
            if commune.pk not in self.centres:
                outline = Commune.objects.values_list("geometry", flat=True).get(pk=commune.pk)
                self.centres[commune.pk] = outline.point_on_surface if outline else None
            if self.centres[commune.pk] is not None:
                return self.centres[commune.pk], True
        return None, False

    # --- writing --------------------------------------------------------------------------
    def place_values(self, values, commune, point, approximate) -> dict:
        out = {field: values[column] for column, field in PLACE_FIELDS.items()}
        for key, value in out.items():
            if value is None:
                out[key] = [] if isinstance(Place._meta.get_field(key), ArrayField) else ""
        if len(out["summary"]) > 280:
            out["summary"] = out["summary"][:279] + "…"
        out["opening_hours_valid"] = opening_hours_valid(out["opening_hours"])
        out["commune_id"] = commune.pk if commune else None
        out["location"] = point
        out["location_approximate"] = approximate
        out["accompaniment_level"] = accompaniment_level(
            values["services"], values["modalites_accompagnement"]
        )
        return out

    def offers_for(self, values) -> list[dict]:
        shared = {field: values[column] for column, field in OFFER_FIELDS.items()}
        return offer_rows(values["services"], shared)

    def structure_for(self, values, place: Place | None) -> Structure:
        siret = "" if values["pivot"] in (None, standard.NO_SIRET) else values["pivot"]
        if place is not None and place.structure.siret == siret:
            structure = place.structure
        elif siret in self.structures:
            structure = self.structures[siret]
        else:
            structure = Structure.objects.create(name=values["nom"], siret=siret)
            self.report.count("Structures").created += 1
            if siret:
                self.structures[siret] = structure
        update_changed(structure, {"parent_network": values["structure_parente"] or ""})
        return structure

    def import_row(self, line, values, keep_phone: bool = False) -> None:
        """Create (in the next batch) or update the place of one checked row. `keep_phone`:
        the row's phone was ignored (a number mangled by a spreadsheet, `3.30E+11`), which
        says nothing about the phone: the place keeps the one it has."""
        source = self.source or values["source"] or "import"
        external_id = values["id"]
        point = None
        if values["latitude"] is not None:
            point = Point(values["longitude"], values["latitude"], srid=4326)
        commune = self.commune_for(line, values, point)
        point, approximate = self.location_for(line, values, commune, point)
        if point is None:
            self.report.reject(
                line, "latitude", "ni coordonnées, ni commune reconnue pour placer le lieu"
            )
            return
        if commune is None:
            if self.outside(values):  # counted apart, as the coverage importer does
                self.report.note(OUTSIDE_NOTE)
            else:
                self.report.warn("commune non reconnue dans les territoires chargés", line=line)
        if values["horaires"] and not opening_hours_valid(values["horaires"]):
            self.report.warn(
                f"horaires illisibles, gardés tels quels : « {values['horaires']} »", line=line
            )
        fields = self.place_values(values, commune, point, approximate)
        offers = self.offers_for(values)
        if keep_phone:
            del fields["phone"]

        place_id = self.known.get((source, external_id))
        if place_id is None:
            self.pending.append(NewRow(line, source, external_id, values, fields, offers, point))
            if len(self.pending) >= BATCH_SIZE:
                self.flush()
            return
        origin = PlaceSource.objects.filter(place_id=place_id).order_by("pk")
        if origin.values_list("source", "external_id").first() != (source, external_id):
            # A merged look-alike: the place keeps the values of the source it came from.
            self.report.note("Lignes d’un doublon fusionné (le lieu garde sa source d’origine)")
            self.counts.unchanged += 1
            return
        place = Place.objects.select_related("structure").get(pk=place_id)
        structure = self.structure_for(values, place)
        fields["structure_id"] = structure.pk
        changed = update_changed(place, fields)
        shared = {field: values[column] for column, field in OFFER_FIELDS.items()}
        if place.replace_offers(values["services"], shared) or changed:
            self.counts.updated += 1
        else:
            self.counts.unchanged += 1

    # --- new places, by batches -----------------------------------------------------------
    def flush(self) -> None:
        """Create the pending new places in bulk, after merging or queueing look-alikes."""
        rows, self.pending = self.pending, []
        if not rows:
            return
        neighbours = self.known_neighbours(rows)
        accepted: list[NewRow] = []
        grid: dict[tuple[int, int], list[NewRow]] = {}
        alike: list[tuple[NewRow, object, str, str]] = []  # (row, twin, its name, what)
        for index, row in enumerate(rows):
            twin, name, kind = self.look_alike(row, neighbours.get(index, []), grid)
            if twin is None:
                accepted.append(row)
                grid.setdefault(_cell(row.xy), []).append(row)
            else:
                alike.append((row, twin, name, kind))
        self.create(accepted)  # first, so that look-alikes within the batch have their place
        self.settle_look_alikes(alike)

    def known_neighbours(self, rows: list[NewRow]) -> dict[int, list[tuple]]:
        """Places already in the hub near each row: one query for the whole batch."""
        if not self.check_duplicates:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT t.i, p.id, p.name, s.siret, ST_Distance(p.location, t.g)
                FROM (
                    SELECT i, ST_SetSRID(ST_MakePoint(x, y), 4326)::geography AS g
                    FROM unnest(%s::int[], %s::float8[], %s::float8[]) AS u(i, x, y)
                ) t
                JOIN actors_place p ON ST_DWithin(p.location, t.g, %s)
                JOIN actors_structure s ON s.id = p.structure_id
                ORDER BY t.i, p.id
                """,
                [
                    list(range(len(rows))),
                    [r.xy[0] for r in rows],
                    [r.xy[1] for r in rows],
                    SAME_SIRET_METRES,
                ],
            )
            found: dict[int, list[tuple]] = {}
            for i, place_id, name, siret, metres in cursor.fetchall():
                found.setdefault(i, []).append((place_id, name, siret, metres))
        return found

    def look_alike(self, row, known, grid):
        """(the place id or batch row it duplicates, its name, "merge" or "queue"), or Nones."""
        siret = row.values["pivot"]
        real_siret = bool(siret) and siret != standard.NO_SIRET
        name = standard.fold(row.values["nom"])
        candidates = [(pid, pname, psiret, metres) for pid, pname, psiret, metres in known]
        cx, cy = _cell(row.xy)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for other in grid.get((cx + dx, cy + dy), []):
                    candidates.append(
                        (
                            other,
                            other.values["nom"],
                            other.values["pivot"],
                            _metres(row.xy, other.xy),
                        )
                    )
        for target, other_name, other_siret, metres in candidates:
            if real_siret and other_siret == siret and metres <= SAME_SIRET_METRES:
                return target, other_name, "merge"
        for target, other_name, _, metres in candidates:
            if metres <= SIMILAR_NAME_METRES and _similar(name, standard.fold(other_name)):
                return target, other_name, "queue"
        return None, None, None

    def settle_look_alikes(self, alike) -> None:
        """Merge each look-alike into its twin, or queue it for a person: in bulk."""
        sources, queued = [], []
        for row, twin, name, kind in alike:
            place_id = twin.place.pk if isinstance(twin, NewRow) else twin
            if kind == "merge":
                sources.append(
                    PlaceSource(place_id=place_id, source=row.source, external_id=row.external_id)
                )
                self.known[(row.source, row.external_id)] = place_id
                self.report.note("Doublons fusionnés (même SIRET à moins de 100 m)")
                self.report.warn(f"« {row.values['nom']} » fusionné avec « {name} »", line=row.line)
            else:
                raw = {k: standard.to_text(k, v) for k, v in row.values.items()}
                reason = f"nom proche à moins de {SIMILAR_NAME_METRES} m"
                queued.append(
                    DuplicateCandidate(
                        place_id=place_id,
                        source=row.source,
                        external_id=row.external_id,
                        row=raw,
                        reason=reason,
                    )
                )
                self.report.note("Doublons possibles mis en attente de modération")
                self.report.warn(
                    f"« {row.values['nom']} » ressemble à « {name} » : en attente", line=row.line
                )
        PlaceSource.objects.bulk_create(sources)
        DuplicateCandidate.objects.bulk_create(
            queued,
            update_conflicts=True,
            unique_fields=["source", "external_id"],
            update_fields=["place", "row", "reason"],
        )

    def create(self, rows: list[NewRow]) -> None:
        structures: dict[str, Structure] = {}
        new_structures = []
        for row in rows:
            siret = "" if row.values["pivot"] == standard.NO_SIRET else row.values["pivot"]
            structure = self.structures.get(siret) or structures.get(siret) if siret else None
            if structure is None:
                structure = Structure(
                    name=row.values["nom"],
                    siret=siret,
                    parent_network=row.values["structure_parente"] or "",
                )
                new_structures.append(structure)
                if siret:
                    structures[siret] = structure
            row.structure = structure
        copy_insert(Structure, new_structures)
        self.structures |= structures
        self.report.count("Structures").created += len(new_structures)
        places = [Place(structure=row.structure, **row.fields) for row in rows]
        copy_insert(Place, places)
        offers = []
        for row, place in zip(rows, places, strict=True):
            row.place = place
            self.known[(row.source, row.external_id)] = place.pk
            offers += [Offer(place=place, **offer) for offer in row.offers]
        copy_insert(
            PlaceSource,
            [PlaceSource(place=r.place, source=r.source, external_id=r.external_id) for r in rows],
        )
        copy_insert(Offer, offers)
        self.counts.created += len(rows)
        self.check_duplicates = self.check_duplicates or bool(rows)
        if self.counts.created >= max(100, 2 * self.analyzed_at):
            self.analyze()

    def analyze(self, tables=("actors_place", "actors_structure")) -> None:
        """Rows COPY'd in bulk leave the planner's statistics behind: without a refresh, the
        next batch's neighbour query, and the directory's searches, may scan instead of using
        their indexes. Refreshed each time the import has doubled the rows (the tables the
        neighbour query reads), and at the end (those the directory reads too)."""
        self.analyzed_at = self.counts.created
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {table}")


@dataclass
class NewRow:
    line: int | str
    source: str
    external_id: str
    values: dict
    fields: dict
    offers: list[dict]
    point: Point
    structure: Structure | None = None
    place: Place | None = None

    def __post_init__(self):
        self.xy = self.point.coords  # read once: each GEOS access has a cost at scale


def _similar(a: str, b: str) -> bool:
    """Very similar names; the cheap upper bounds first, as most pairs are far apart."""
    matcher = difflib.SequenceMatcher(None, a, b)
    return (
        matcher.real_quick_ratio() >= SIMILAR_NAME_RATIO
        and matcher.quick_ratio() >= SIMILAR_NAME_RATIO
        and matcher.ratio() >= SIMILAR_NAME_RATIO
    )


def _cell(xy: tuple[float, float]) -> tuple[int, int]:
    """A grid cell of about 200 m, to find look-alikes within one batch without a query."""
    return int(xy[1] // 0.002), int(xy[0] // 0.003)


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance on a local flat approximation: right to within a metre at these distances."""
    dy = (a[1] - b[1]) * 111_320
    dx = (a[0] - b[0]) * 111_320 * math.cos(math.radians((a[1] + b[1]) / 2))
    return math.hypot(dx, dy)


BULK_ROWS = 5000


def import_places(
    path, source: str | None = None, progress: Progress = no_progress
) -> ImportReport:
    """Import a places file; see the module docstring. Returns the report."""
    path = Path(path)
    report = ImportReport(f"Lieux de médiation numérique ({path.name})")
    read = read_places_file(path, report)
    report.note(f"Lignes lues (standard v{read.version})", len(read.rows))
    report.rows_read = len(read.rows)
    rows = read.rows
    unique = UniqueKeys(path, "identifiant", "id")
    for line, raw in rows:
        external_id = (raw.get("id") or "").strip()
        if external_id:  # a row without one is rejected below, with its line
            row_source = source or (raw.get("source") or "").strip() or "import"
            unique.add((row_source, external_id), line, external_id)
    if read.version == "0.1":
        mapped, converted = Counter(), []
        for line, row in rows:
            unknown: list[tuple[str, str]] = []
            converted.append((line, legacy.to_v1(row, mapped, unknown)))
            for field_name, value in unknown:
                report.warn(
                    f"{field_name} v0.1 : valeur sans correspondance « {value} »", line=line
                )
        for field_name, n in mapped.items():
            report.note(f"Valeurs v0.1 converties en v1 ({field_name})", n)
        rows = converted

    checked = []
    for line, raw in rows:
        row = standard.check_row(raw)
        for field_name, reason in row.problems:
            report.reject(line, field_name, reason)
        if row.problems:
            continue
        lat, lon = row.values["latitude"], row.values["longitude"]
        if lat is not None and not in_france(lon, lat):
            reason = (
                f"coordonnées hors de France ({lat}, {lon}) : latitude et longitude inversées ?"
            )
            report.reject(line, "latitude", reason)
            continue
        phone_ignored = row.values["telephone"] is None and bool(
            (raw.get("telephone") or "").strip()
        )
        for field_name, message in row.warnings:
            if field_name == "pivot":  # the placeholder is common: counted, not listed
                report.note("Lignes sans SIRET (pivot 00000000000000)")
            else:
                report.warn(f"{field_name} : {message}", line=line)
        checked.append((line, row.values, phone_ignored))

    with transaction.atomic(), ExitStack() as rebuilt:
        if len(checked) >= BULK_ROWS and len(checked) >= Place.objects.count() / 2:
            # A first load or a national file: the history tables, never read during the
            # import, build their indexes once at the end instead of row by row.
            for model in (Structure, Place, Offer, Stop):
                rebuilt.enter_context(secondary_indexes_rebuilt(model.history.model._meta.db_table))
        importer = PlaceImporter(source, report)
        importer.load_known({key[0] for key in unique.seen})
        for line, values, phone_ignored in progress(checked, "Lieux", len(checked)):
            importer.import_row(line, values, keep_phone=phone_ignored)
        importer.flush()
        if importer.counts.created > 100:
            importer.analyze(
                ("actors_place", "actors_structure", "actors_offer", "actors_placesource")
            )
    return report


def create_from_row(raw: dict[str, str], source: str) -> Place:
    """Create a place from a row held for moderation, without looking for look-alikes again:
    a person decided it is a place of its own."""
    row = standard.check_row(raw)
    if row.problems:
        raise ValueError("; ".join(f"{field} : {reason}" for field, reason in row.problems))
    with transaction.atomic():
        importer = PlaceImporter(source, ImportReport("Modération"))
        importer.import_row("modération", row.values)
        pending, importer.pending = importer.pending, []
        importer.create(pending)
    return pending[0].place
