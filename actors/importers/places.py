"""Import places from a file of the national standard (v1.0.2 or legacy v0.1), CSV or JSON.

Rows are checked one by one against the official schema: a bad row is rejected with its line,
field and reason, the others are imported; a file that cannot be read at all changes nothing.
Idempotent on (source, id). A row that looks like a place already known (same SIRET within
100 m) is merged into it; one with a very similar name within 50 m waits for an administrator.
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.contrib.gis.geos import Point
from django.contrib.gis.measure import D
from django.contrib.postgres.fields import ArrayField
from django.db import transaction
from opening_hours import OpeningHours

from cartography.models import Commune
from cartography.services import CommuneResolver
from hub.imports import (
    ImportFileError,
    ImportReport,
    Progress,
    iter_csv,
    no_progress,
    read_json,
    same_value,
)

from .. import legacy, standard
from ..geocoding import geocode
from ..models import DuplicateCandidate, Offer, Place, PlaceSource, Structure

SAME_SIRET_METRES = 100
SIMILAR_NAME_METRES = 50
SIMILAR_NAME_RATIO = 0.85
COMMON_REQUIRED = ["id", "nom", "commune", "code_postal", "adresse", "date_maj"]

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
    if not text:
        return True
    try:
        OpeningHours(text)
    except Exception:  # noqa: BLE001 - the parser raises several kinds; any means unreadable
        return False
    return True


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


def read_places_file(path: Path) -> ReadFile:
    """The rows of a places file, CSV or JSON, with the standard's lower-case column names."""
    path = Path(path)
    head = path.read_bytes()[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] in (b"[", b"{"):
        data = read_json(path)
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
            for line, row in iter_csv(path, COMMON_REQUIRED)
        ]
        columns = set(rows[0][1]) if rows else set()
    version = "0.1" if columns & legacy.LEGACY_ONLY_COLUMNS else "1.0.2"
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
        self.by_name = {}
        for commune in self.communes.values():
            self.by_name.setdefault((commune.code[:2], standard.fold(commune.name)), commune)
        self.structures = {s.siret: s for s in Structure.objects.exclude(siret="")}
        self.check_duplicates = Place.objects.exists()
        self.known: dict[tuple[str, str], int] = {}

    def load_known(self, sources: set[str]) -> None:
        self.known = {
            (s, e): p
            for s, e, p in PlaceSource.objects.filter(source__in=sources).values_list(
                "source", "external_id", "place_id"
            )
        }

    # --- resolution -----------------------------------------------------------------------
    def commune_for(self, line, values, point) -> Commune | None:
        if values["code_insee"]:
            resolution = self.resolver.resolve(values["code_insee"])
            if resolution.current in self.communes:
                return self.communes[resolution.current]
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

    def location_for(self, line, values, commune) -> tuple[Point | None, bool]:
        if values["latitude"] is not None:
            return Point(values["longitude"], values["latitude"], srid=4326), False
        found = geocode(values["adresse"], values["code_postal"], values["commune"])
        if found:
            self.report.note("Lieux géocodés (API Adresse)")
            return Point(*found, srid=4326), False
        if commune is not None:
            self.report.note("Lieux placés au centre de leur commune (position approximative)")
            centre = Commune.objects.filter(pk=commune.pk).values_list("geometry", flat=True)[0]
            if centre is not None:
                return centre.point_on_surface, True
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
        services = values["services"] or ([""] if any(shared.values()) else [])
        return [{"service": s, "position": i, **shared} for i, s in enumerate(services)]

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
        parent = values["structure_parente"] or ""
        if structure.parent_network != parent:
            structure.parent_network = parent
            structure.save(update_fields=["parent_network"])
        return structure

    def sync_offers(self, place: Place, wanted: list[dict]) -> bool:
        current = [
            {"service": o.service, "position": o.position}
            | {f: getattr(o, f) for f in OFFER_FIELDS.values()}
            for o in place.offers.order_by("position")
        ]
        if current == wanted:
            return False
        place.offers.all().delete()
        Offer.objects.bulk_create(Offer(place=place, **offer) for offer in wanted)
        return True

    def import_row(self, line, values) -> None:
        source = self.source or values["source"] or "import"
        external_id = values["id"]
        point = None
        if values["latitude"] is not None:
            point = Point(values["longitude"], values["latitude"], srid=4326)
        commune = self.commune_for(line, values, point)
        point, approximate = self.location_for(line, values, commune)
        if point is None:
            self.report.reject(
                line, "latitude", "ni coordonnées, ni commune reconnue pour placer le lieu"
            )
            return
        if commune is None:
            self.report.warn("commune non reconnue (hors des territoires chargés ?)", line=line)
        if values["horaires"] and not opening_hours_valid(values["horaires"]):
            self.report.warn(
                f"horaires illisibles, gardés tels quels : « {values['horaires']} »", line=line
            )
        fields = self.place_values(values, commune, point, approximate)
        offers = self.offers_for(values)

        place_id = self.known.get((source, external_id))
        if (
            place_id is None
            and self.check_duplicates
            and self.queue_or_merge(line, source, values, point)
        ):
            return
        if place_id is None:
            structure = self.structure_for(values, None)
            place = Place.objects.create(structure=structure, **fields)
            PlaceSource.objects.create(place=place, source=source, external_id=external_id)
            Offer.objects.bulk_create(Offer(place=place, **offer) for offer in offers)
            self.known[(source, external_id)] = place.pk
            self.check_duplicates = True
            self.counts.created += 1
            return
        place = Place.objects.select_related("structure").get(pk=place_id)
        structure = self.structure_for(values, place)
        fields["structure_id"] = structure.pk
        changed = [f for f, v in fields.items() if not same_value(getattr(place, f), v)]
        for f in changed:
            setattr(place, f, fields[f])
        if changed:
            place.save(update_fields=changed)
        if self.sync_offers(place, offers) or changed:
            self.counts.updated += 1
        else:
            self.counts.unchanged += 1

    def queue_or_merge(self, line, source, values, point) -> bool:
        """True when the row was merged into a known place or queued for a person to decide."""
        siret = values["pivot"]
        if siret and siret != standard.NO_SIRET:
            twin = (
                Place.objects.filter(
                    structure__siret=siret, location__dwithin=(point, D(m=SAME_SIRET_METRES))
                )
                .order_by("pk")
                .first()
            )
            if twin:
                PlaceSource.objects.create(place=twin, source=source, external_id=values["id"])
                self.known[(source, values["id"])] = twin.pk
                self.report.note("Doublons fusionnés (même SIRET à moins de 100 m)")
                self.report.warn(f"« {values['nom']} » fusionné avec « {twin.name} »", line=line)
                return True
        name = standard.fold(values["nom"])
        for nearby in Place.objects.filter(location__dwithin=(point, D(m=SIMILAR_NAME_METRES))):
            ratio = difflib.SequenceMatcher(None, name, standard.fold(nearby.name)).ratio()
            if ratio >= SIMILAR_NAME_RATIO:
                raw = {k: standard.to_text(k, v) for k, v in values.items()}
                DuplicateCandidate.objects.update_or_create(
                    source=source,
                    external_id=values["id"],
                    defaults={
                        "place": nearby,
                        "row": raw,
                        "reason": f"nom proche à moins de {SIMILAR_NAME_METRES} m",
                    },
                )
                self.report.note("Doublons possibles mis en attente de modération")
                self.report.warn(
                    f"« {values['nom']} » ressemble à « {nearby.name} » : en attente", line=line
                )
                return True
        return False


def import_places(
    path, source: str | None = None, progress: Progress = no_progress
) -> ImportReport:
    """Import a places file; see the module docstring. Returns the report."""
    path = Path(path)
    report = ImportReport(f"Lieux de médiation numérique ({path.name})")
    read = read_places_file(path)
    report.note(f"Lignes lues (standard v{read.version})", len(read.rows))
    rows = read.rows
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
    seen = set()
    for line, raw in rows:
        row = standard.check_row(raw)
        for field_name, reason in row.problems:
            report.reject(line, field_name, reason)
        if row.problems:
            continue
        key = (source or row.values["source"] or "import", row.values["id"])
        if key in seen:
            report.reject(line, "id", f"identifiant « {row.values['id']} » déjà vu plus haut")
            continue
        seen.add(key)
        for field_name, message in row.warnings:
            if field_name == "pivot":  # the placeholder is common: counted, not listed
                report.note("Lignes sans SIRET (pivot 00000000000000)")
            else:
                report.warn(f"{field_name} : {message}", line=line)
        checked.append((line, row.values))

    with transaction.atomic():
        importer = PlaceImporter(source, report)
        importer.load_known({key[0] for key in seen})
        for line, values in progress(checked, "Lieux", len(checked)):
            importer.import_row(line, values)
    return report
