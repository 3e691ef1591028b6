"""Partners' figures the hub cannot compute (connections to the school platform, Pix
certifications, attendance of places…), imported from a simple CSV file.

Columns (header names, any separator): `indicateur` (code of an indicator whose values are
imported, created in the admin), `echelon` (commune, epci, departement, circonscription,
france), `code_territoire` (INSEE code, SIREN, circonscription code, FR), `periode` ("2025",
"T1 2025", "2025-2026"), `valeur` (decimal point or comma). The whole file is checked first:
a duplicated key is refused naming both lines, bad rows are listed with their line and reason,
and then nothing is written.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from cartography.models import EPCI, Commune, Departement
from hub.imports import ImportFileError, ImportReport
from hub.imports.reader import UniqueKeys, iter_csv, parse_decimal
from hub.imports.report import no_progress
from hub.imports.writer import sync_rows

from .models import Indicator, Level, Obtained, Value, ValueStatus, circonscription_code
from .registry import FRANCE_CODE, geography_vintage

COLUMNS = ("indicateur", "echelon", "code_territoire", "periode", "valeur")
SHOWN_REJECTIONS = 20


def known_territories(level: str) -> set[str]:
    from equipment.models import Circonscription

    if level == Level.COMMUNE:
        return set(Commune.objects.values_list("code", flat=True))
    if level == Level.EPCI:
        return set(EPCI.objects.values_list("siren", flat=True))
    if level == Level.DEPARTEMENT:
        return set(Departement.objects.values_list("code", flat=True))
    if level == Level.CIRCONSCRIPTION:
        return {circonscription_code(c) for c in Circonscription.objects.all()}
    return {FRANCE_CODE}


def _check_row(line, row, indicators, territories, report) -> tuple | None:
    """The row's key and value, or None after rejecting it (line, column and reason)."""
    code, level = row["INDICATEUR"], row["ECHELON"].lower()
    territory, period = row["CODE_TERRITOIRE"].upper(), " ".join(row["PERIODE"].split())
    indicator = indicators.get(code)
    if indicator is None:
        report.reject(line, "indicateur", f"indicateur inconnu : « {code} »")
        return None
    if indicator.obtained != Obtained.IMPORTED:
        report.reject(
            line,
            "indicateur",
            f"« {code} » est calculé par le hub : ses valeurs ne s’importent pas",
        )
        return None
    if level not in Level.values or (indicator.levels and level not in indicator.levels):
        allowed = ", ".join(indicator.levels or Level.values)
        report.reject(
            line, "echelon", f"échelon « {level} » inconnu pour cet indicateur ({allowed})"
        )
        return None
    if level not in territories:
        territories[level] = known_territories(level)
    if territory not in territories[level]:
        report.reject(line, "code_territoire", f"{level} « {territory} » inconnu du hub")
        return None
    if not period:
        report.reject(line, "periode", "période vide")
        return None
    try:
        value = parse_decimal(row["VALEUR"])
    except ValueError:
        report.reject(line, "valeur", f"nombre illisible : « {row['VALEUR']} »")
        return None
    if value is None:
        report.reject(line, "valeur", "valeur vide")
        return None
    return (indicator.pk, level, territory, period), float(value)


def import_indicator_values(path, *, progress=no_progress, **_options) -> ImportReport:
    """Import partners' values; returns the report, or raises `ImportFileError` (nothing
    written) when the file cannot be read, gives a key twice or has a bad row."""
    path = Path(path)
    report = ImportReport(f"Valeurs d’indicateurs importées ({path.name})")
    indicators = {i.code: i for i in Indicator.objects.all()}
    territories: dict[str, set[str]] = {}
    keys = UniqueKeys(path, "Valeur (indicateur, échelon, territoire, période)")
    rows = {}
    for line, row in progress(iter_csv(path, COLUMNS, report), "Lecture"):
        report.rows_read += 1
        checked = _check_row(line, row, indicators, territories, report)
        if checked is None:
            continue
        key, value = checked
        keys.add(key, line, " ; ".join(str(part) for part in (row["INDICATEUR"], *key[1:])))
        rows[key] = value
    if report.rejections:
        shown = "\n".join(str(r) for r in report.rejections[:SHOWN_REJECTIONS])
        more = len(report.rejections) - SHOWN_REJECTIONS
        raise ImportFileError(
            path,
            f"{len(report.rejections)} ligne(s) refusée(s), rien n’a été importé :\n{shown}"
            + (f"\n… et {more} autre(s)" if more > 0 else ""),
        )
    if not rows:
        raise ImportFileError(path, "aucune valeur dans le fichier")
    methods = {i.pk: i.method_version for i in indicators.values()}
    cog, now = geography_vintage(), timezone.now()
    values = {
        key: {
            "value": value,
            "numerator": None,
            "denominator": None,
            "units": None,
            "status": ValueStatus.IMPORTED,
            "data_vintage": f"fichier {path.name}"[:250],
            "geography_vintage": cog,
            "missing_inputs": [],
            "method_version": methods[key[0]],
            "input_state": hashlib.sha256(repr((key, value)).encode()).hexdigest(),
        }
        for key, value in rows.items()
    }
    existing = {
        (v.indicator_id, v.level, v.territory_code, v.period): v.input_state
        for v in Value.objects.filter(indicator_id__in={key[0] for key in rows})
    }
    for key, fields in values.items():
        if existing.get(key) != fields["input_state"]:
            fields["computed_at"] = now  # new or changed: when it arrived
    with transaction.atomic():
        sync_rows(
            Value,
            ("indicator_id", "level", "territory_code", "period"),
            values,
            report.count("valeurs"),
        )
    return report
