"""Import the IPS (indice de position sociale) of schools, joined to schools by UAI.

The file has no coordinates: a school known only from it is created at a point inside its
commune, flagged approximate, until the Annuaire gives its position (the Annuaire importer then
replaces its values). A school the Annuaire already gave only has its IPS updated. When the file
holds several rentrées, the newest one of each school is kept.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from hub.imports import (
    ImportReport,
    Progress,
    UniqueKeys,
    no_progress,
    parse_decimal,
    sync_rows,
)

from ..models import School
from .common import (
    UAI,
    CommuneLocator,
    kind_from_name,
    open_school_file,
    sector_from,
)

COLUMNS = {
    "year": ("Rentrée scolaire",),
    "departement": ("Code du département",),
    "uai": ("UAI",),
    "name": ("Nom de l'établissment", "Nom de l'établissement"),  # the typo is the source's
    "commune_code": ("Code INSEE de la commune",),
    "sector": ("Secteur",),
    "ips": ("IPS",),
}
REQUIRED = ("year", "uai", "name", "commune_code", "ips")
KNOWN_UNUSED = ("Académie", "Département", "Nom de la commune")
IPS_RANGE = (Decimal(0), Decimal(300))
YEAR = re.compile(r"^\d{4}-\d{4}$")


def import_ips(
    path, *, departement: str | None = None, progress: Progress = no_progress
) -> ImportReport:
    """Import an IPS file of schools; see the module docstring. Returns the report.

    `departement` keeps only that département's rows. A bad IPS value rejects its row (line
    and column in the report); an unreadable file raises ImportFileError, database unchanged.
    """
    file = open_school_file(path, "IPS des écoles", COLUMNS, REQUIRED, KNOWN_UNUSED, departement)
    path, report, columns = file.path, file.report, file.columns
    newest: dict[str, tuple[int, dict]] = {}
    unique = UniqueKeys(path, "UAI et rentrée", columns["uai"])
    for line, row in progress(file.rows(), "IPS des écoles", columns.lines):
        code = file.departement(line, row)
        if code is None:
            continue
        uai = row["uai"].upper()
        if not UAI.match(uai):
            report.reject(line, columns["uai"], f"UAI invalide « {row['uai']} »")
            continue
        try:
            ips = parse_decimal(row["ips"])
        except ValueError:
            ips = None
        if ips is None or not IPS_RANGE[0] < ips < IPS_RANGE[1] or ips.as_tuple().exponent < -2:
            report.reject(line, columns["ips"], f"IPS illisible ou hors bornes « {row['ips']} »")
            continue
        if not YEAR.match(row["year"]):
            report.reject(line, columns["year"], f"rentrée illisible « {row['year']} »")
            continue
        if len(row["commune_code"]) != 5:
            report.reject(
                line,
                columns["commune_code"],
                f"code commune « {row['commune_code']} » : 5 caractères attendus",
            )
            continue
        unique.add((uai, row["year"]), line, f"{uai} {row['year']}")
        row = {**row, "uai": uai, "departement": code, "ips": ips}
        if uai in newest:
            report.note("Lignes d'une rentrée plus ancienne, ignorées")
            if newest[uai][1]["year"] >= row["year"]:
                continue
        newest[uai] = (line, row)
    file.done()

    with transaction.atomic():
        _write(path, newest, report)
    return report


def _write(path: Path, rows: dict[str, tuple[int, dict]], report: ImportReport) -> None:
    locator = CommuneLocator()
    known = dict(School.objects.filter(uai__in=list(rows)).values_list("uai", "source"))
    values: dict[str, dict] = {}
    for uai, (line, row) in rows.items():
        ips = {"ips": row["ips"], "ips_year": row["year"]}
        if known.get(uai) == School.Source.ANNUAIRE:
            values[uai] = ips
            continue
        commune_id = locator.commune_id(row["commune_code"], line)
        if commune_id is None:
            reason = locator.missing[row["commune_code"]][0]
            if uai in known:
                values[uai] = ips
            else:
                report.warn(f"{reason} : école {uai} non créée", path, line)
            continue
        values[uai] = {
            "name": row["name"],
            "kind": kind_from_name(row["name"]),
            "sector": sector_from(row["sector"]),
            "departement_code": row["departement"],
            "commune_id": commune_id,
            "commune_code": row["commune_code"],
            "location_precision": "",
            "location_approximate": True,
            "source": School.Source.IPS,
            **ips,
        }
    points = locator.points(v["commune_id"] for v in values.values() if "commune_id" in v)
    for value in values.values():
        if "commune_id" in value:
            value["location"] = points.get(value["commune_id"])
    sync_rows(School, "uai", values, report.count("Écoles"))
