"""Import a département's territory from the official files, as published.

Sources: INSEE COG communes and change history, INSEE legal populations, DGCL `epcicom.xlsx`
and commune polygons (GeoJSON, any vintage: codes are mapped through the change history). The
geometry of a merged commune is the union of its predecessors'; an EPCI's is the union of its
member communes present in the hub; a département's the union of its communes.
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.db import transaction
from django.db.models import F

from hub.imports import (
    ImportFileError,
    ImportReport,
    Progress,
    UniqueKeys,
    declared_srid,
    iter_csv,
    iter_xlsx,
    no_progress,
    read_json,
    remove_vanished,
    sync_rows,
    to_wgs84,
)

from ..models import EPCI, Commune, CommuneChange, CommunePart, Departement
from ..services import CommuneResolver, departement_of, normalize_departement_code, union

DEMO_DIR = Path(settings.BASE_DIR) / "data" / "demo" / "territory"


@dataclass
class TerritorySources:
    communes: Path
    mouvements: Path
    populations: Path
    epci: Path
    geometry: Path
    outline: Path | None = None
    departements: Path | None = None  # INSEE COG list of départements, for the name

    @classmethod
    def demo(cls) -> TerritorySources:
        """Eure-et-Loir's files, filtered from the national ones (see data/demo/README.md)."""
        return cls(
            communes=DEMO_DIR / "communes-cog2026-dep28.csv",
            mouvements=DEMO_DIR / "mouvements-communes-cog2026-dep28.csv",
            populations=DEMO_DIR / "populations-legales-dep28.csv",
            epci=DEMO_DIR / "epcicom-2025-dep28.xlsx",
            geometry=DEMO_DIR / "communes-28-eure-et-loir.geojson",
            outline=DEMO_DIR / "departement-28-eure-et-loir.geojson",
        )


def _text_code(value, width: int) -> str:
    """Official codes are text; spreadsheets sometimes turn them into numbers."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text.zfill(width) if text.isdigit() else text.upper()


def _read_cog(path, dep: str, report: ImportReport):
    current: dict[str, str] = {}
    parts: dict[tuple[str, str], dict] = {}
    unique = UniqueKeys(path, "commune", "COM")
    for line, row in iter_csv(path, ["TYPECOM", "COM", "DEP", "LIBELLE", "COMPARENT"]):
        code = row["COM"]
        unique.add((row["TYPECOM"], code), line, f"{row['TYPECOM']} {code}")
        if len(code) != 5:
            raise ImportFileError(path, f"code commune invalide « {code} »", line, "COM")
        if row["TYPECOM"] == "COM":
            if row["DEP"] == dep:
                current[code] = row["LIBELLE"]
        elif departement_of(code) == dep or departement_of(row["COMPARENT"] or code) == dep:
            parts[(code, row["TYPECOM"])] = {
                "name": row["LIBELLE"],
                "parent_code": row["COMPARENT"],
            }
    if not current:
        raise ImportFileError(path, f"aucune commune actuelle (TYPECOM=COM) du département {dep}")
    return current, parts


def _read_changes(path, dep: str) -> dict[tuple, dict]:
    changes = {}
    columns = ["MOD", "DATE_EFF", "TYPECOM_AV", "COM_AV", "LIBELLE_AV"]
    columns += ["TYPECOM_AP", "COM_AP", "LIBELLE_AP"]
    for line, row in iter_csv(path, columns):
        if dep not in (departement_of(row["COM_AV"]), departement_of(row["COM_AP"])):
            continue
        try:
            date = datetime.date.fromisoformat(row["DATE_EFF"])
        except ValueError as exc:
            raise ImportFileError(
                path, f"date illisible « {row['DATE_EFF']} » (attendu AAAA-MM-JJ)", line, "DATE_EFF"
            ) from exc
        key = (row["MOD"], date, row["TYPECOM_AV"], row["COM_AV"], row["TYPECOM_AP"], row["COM_AP"])
        changes[key] = {"name_before": row["LIBELLE_AV"], "name_after": row["LIBELLE_AP"]}
    return changes


CHANGE_KEY = ("kind", "effective_date", "type_before", "code_before", "type_after", "code_after")


def _read_populations(path, dep, resolver, current, report) -> dict[str, int]:
    populations: dict[str, int] = defaultdict(int)
    unique = UniqueKeys(path, "commune", "COM")
    for line, row in iter_csv(path, ["DEP", "COM", "PMUN"]):
        if normalize_departement_code(row["DEP"]) != dep:
            continue
        unique.add(row["COM"], line)
        resolution = resolver.resolve(row["COM"])
        if resolution.current not in current:
            report.warn(resolution.reason or f"{row['COM']} hors du département", path, line)
            continue
        try:
            value = int(row["PMUN"].replace(" ", "").replace("\u202f", ""))
        except ValueError as exc:
            raise ImportFileError(
                path, f"population illisible « {row['PMUN']} »", line, "PMUN"
            ) from exc
        populations[resolution.current] += value  # merged communes: counts summed
    for code in sorted(set(current) - set(populations)):
        report.warn(f"pas de population pour {current[code]} ({code})", path)
    return populations


def _read_epci(path, dep, resolver, current, report):
    epcis: dict[str, dict] = {}
    membership: dict[str, str] = {}
    columns = ["DEPT", "SIREN", "RAISON_SOCIALE", "NATURE_JURIDIQUE", "DEP_COM", "INSEE"]
    unique = UniqueKeys(path, "commune membre", "insee")
    for line, row in iter_xlsx(path, columns):
        if _text_code(row["DEP_COM"], 2) != dep:
            continue
        unique.add(_text_code(row["INSEE"], 5), line)
        siren = _text_code(row["SIREN"], 9)
        if len(siren) != 9 or not siren.isdigit():
            raise ImportFileError(path, f"SIREN invalide « {row['SIREN']} »", line, "siren")
        resolution = resolver.resolve(_text_code(row["INSEE"], 5))
        if resolution.current not in current:
            report.warn(resolution.reason or f"{row['INSEE']} hors du département", path, line)
            continue
        epcis[siren] = {
            "name": str(row["RAISON_SOCIALE"]).strip(),
            "legal_form": str(row["NATURE_JURIDIQUE"] or "").strip(),
            "seat_departement_code": normalize_departement_code(_text_code(row["DEPT"], 2)),
        }
        previous = membership.setdefault(resolution.current, siren)
        if previous != siren:
            report.warn(
                f"{resolution.current} membre de deux EPCI ({previous}, {siren})", path, line
            )
    for code in sorted(set(current) - set(membership)):
        report.warn(f"{current[code]} ({code}) n'appartient à aucun EPCI", path)
    return epcis, membership


def _read_geometries(path, dep, resolver, current, report, progress):
    """Each current commune's outline in WGS84, from features in the file's declared system
    (a `crs` member, else WGS84), checked to lie in the département's part of France."""
    data = read_json(path, report)
    if not isinstance(data, dict):
        raise ImportFileError(path, "ni FeatureCollection ni Feature GeoJSON")
    srid = declared_srid(data, path)
    if srid != 4326:
        report.note(f"contours reprojetés de EPSG:{srid} en WGS84")
    if data.get("type") == "FeatureCollection":
        features = data.get("features") or []
    elif data.get("type") == "Feature":
        features = [data]
    else:
        raise ImportFileError(path, "ni FeatureCollection ni Feature GeoJSON")
    pieces = defaultdict(list)
    for number, feature in enumerate(progress(features, "Contours", len(features)), start=1):
        props = feature.get("properties") or {}
        raw_code = next(
            (props[k] for k in ("code", "insee", "INSEE_COM", "codgeo", "CODGEO") if props.get(k)),
            "",
        )
        code = _text_code(raw_code, 5)
        where = f"objet n° {number}"
        if not code:
            report.warn(f"{where} sans code commune", path)
            continue
        resolution = resolver.resolve(code)
        if resolution.current is None:
            if departement_of(code) == dep:
                report.warn(f"{where} : {resolution.reason}", path)
            continue
        if resolution.current not in current:
            continue  # another département's commune
        try:
            geometry = GEOSGeometry(json.dumps(feature["geometry"]))
            geometry.srid = srid  # GeoJSON is read as WGS84 whatever the file declared
        except (GEOSException, ValueError, KeyError, TypeError) as exc:
            raise ImportFileError(path, f"{where} ({code}) : géométrie illisible ({exc})") from exc
        geometry = to_wgs84(geometry, srid, path, f"{where} ({code})", dep)
        if not geometry.valid:
            reason = geometry.valid_reason
            geometry = geometry.make_valid()
            report.warn(f"{where} ({code}) : géométrie invalide réparée ({reason})", path)
        pieces[resolution.current].append(geometry)
    geometries = {code: union(parts, 4326) for code, parts in pieces.items()}
    if settings.STORAGE_SRID != 4326:
        for geometry in geometries.values():
            geometry.transform(settings.STORAGE_SRID)
    for code in sorted(set(current) - set(geometries)):
        report.warn(f"pas de contour pour {current[code]} ({code})", path)
    return geometries


def _outline_name(path, dep: str) -> str | None:
    """The département's name in its outline file, refused when the file is another's."""
    if path is None:
        return None
    data = read_json(path)
    if data.get("type") == "FeatureCollection":
        data = (data.get("features") or [{}])[0]
    properties = data.get("properties") or {}
    code = str(properties.get("code") or "")
    if code and normalize_departement_code(code) != dep:
        raise ImportFileError(
            path, f"contour du département {code} ({properties.get('nom')}), pas du {dep}"
        )
    return properties.get("nom")


def _cog_name(path, dep: str) -> str | None:
    """The département's name in the INSEE COG list of départements (`v_departement_…`)."""
    if path is None:
        return None
    for _, row in iter_csv(path, ["DEP", "LIBELLE"]):
        if normalize_departement_code(row["DEP"]) == dep:
            return row["LIBELLE"]
    raise ImportFileError(path, f"département {dep} absent de la liste des départements")


def _remove_vanished_communes(dep: str, current: dict[str, str], report: ImportReport) -> None:
    """Communes of the hub missing from the COG file: removed only when the COG history says
    where they went (a merger); otherwise the file is cut short or of another edition, and
    the import is refused. Never removed while places, schools… still refer to them."""
    obsolete = Commune.objects.in_departement(dep).exclude(code__in=current)
    gone = set(
        CommuneChange.objects.filter(code_before__in=obsolete.values("code"))
        .exclude(code_after=F("code_before"))
        .values_list("code_before", flat=True)
    )
    unexplained = [c for c in obsolete.order_by("code") if c.code not in gone]
    if unexplained:
        shown = ", ".join(str(c) for c in unexplained[:10])
        more = f" et {len(unexplained) - 10} autres" if len(unexplained) > 10 else ""
        raise ImportFileError(
            None,
            f"{len(unexplained)} commune(s) du département {dep} absente(s) du fichier des "
            f"communes sans changement dans l'historique du COG qui l'explique : {shown}{more}. "
            "Fichier tronqué ou d'une autre édition ? Rien n'est supprimé.",
        )
    for commune in obsolete:
        report.warn(f"{commune} n'est plus une commune actuelle du COG : retirée")
    remove_vanished(obsolete, report.count("Communes"), "commune(s)")


def _sync_epci_geometries(sirens: set[str], report: ImportReport) -> None:
    rows = {}
    for epci in EPCI.objects.filter(siren__in=sirens):
        members = epci.communes.order_by("code").values_list("geometry", flat=True)
        rows[epci.siren] = {"geometry": union(members, settings.STORAGE_SRID)}
    sync_rows(EPCI, "siren", rows, report.count("Contours d'EPCI"))


def import_territory(
    departement: str, sources: TerritorySources, progress: Progress = no_progress
) -> ImportReport:
    """Create or update one département, its EPCI and communes; one transaction."""
    dep = normalize_departement_code(departement)
    report = ImportReport(f"Territoire du département {dep}")
    current, parts = _read_cog(sources.communes, dep, report)
    changes = _read_changes(sources.mouvements, dep)
    name = _cog_name(sources.departements, dep) or _outline_name(sources.outline, dep)

    with transaction.atomic():
        sync_rows(CommuneChange, CHANGE_KEY, changes, report.count("Changements de communes (COG)"))
        sync_rows(
            CommunePart,
            ("code", "kind"),
            parts,
            report.count("Communes déléguées, associées, arrondissements"),
        )
        resolver = CommuneResolver.from_database(extra_current=current)
        populations = _read_populations(sources.populations, dep, resolver, current, report)
        epcis, membership = _read_epci(sources.epci, dep, resolver, current, report)
        geometries = _read_geometries(sources.geometry, dep, resolver, current, report, progress)

        existing = Departement.objects.filter(code=dep).first()
        name = name or (existing.name if existing else f"Département {dep}")
        departement = sync_rows(
            Departement, "code", {dep: {"name": name}}, report.count("Départements")
        )[dep]
        epci_objects = sync_rows(EPCI, "siren", epcis, report.count("EPCI"))

        previous_epcis = set(
            Commune.objects.in_departement(dep)
            .exclude(epci=None)
            .values_list("epci__siren", flat=True)
        )
        rows = {
            code: {
                "name": commune_name,
                "departement_id": departement.pk,
                "epci_id": epci_objects[membership[code]].pk if code in membership else None,
                "population": populations.get(code),
                "geometry": geometries.get(code),
            }
            for code, commune_name in sorted(current.items())
        }
        counts = report.count("Communes")
        sync_rows(Commune, "code", dict(progress(rows.items(), "Communes", len(rows))), counts)
        _remove_vanished_communes(dep, current, report)

        touched = previous_epcis | set(epcis)
        empty = EPCI.objects.filter(siren__in=touched, communes=None)
        remove_vanished(empty, report.count("EPCI"), "EPCI")
        _sync_epci_geometries(touched, report)

        outline = union(
            departement.communes.order_by("code").values_list("geometry", flat=True),
            settings.STORAGE_SRID,
        )
        sync_rows(Departement, "code", {dep: {"geometry": outline}}, report.count("Contours"))
    return report
