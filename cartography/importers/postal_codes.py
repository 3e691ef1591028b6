"""Import La Poste's "base officielle des codes postaux" (the COG has no postal codes).

Both published layouts are read: `#Code_commune_INSEE;Nom_de_la_commune;Code_postal;
Libellé_d_acheminement;Ligne_5` (Latin-1, `;`) and the newer `code_commune_insee,
nom_de_la_commune,code_postal,libelle_d_acheminement,ligne_5` (UTF-8, `,`). Old INSEE codes
are mapped to the current commune through the COG history; rows of départements the hub has
not loaded are counted and skipped, as the coverage importer does. One transaction: a bad
postal or INSEE code stops the import with its line, and the database stays as it was. Rows
of the loaded départements that vanished from the file are removed.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from django.conf import settings
from django.db import transaction

from hub.imports import (
    ImportFileError,
    ImportReport,
    Progress,
    UniqueKeys,
    find_header,
    iter_rows,
    no_progress,
    read_text,
    remove_vanished,
    sync_rows,
)

from ..models import Commune, Departement, PostalCode
from ..services import CommuneResolver, departement_of

DEMO_FILE = Path(settings.BASE_DIR) / "data" / "demo" / "postal" / "laposte-hexasmal-dep28.csv"
COLUMNS = ("code_commune_insee", "nom_de_la_commune", "code_postal", "libelle_d_acheminement")
POSTAL_CODE = re.compile(r"^\d{5}$")
INSEE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$")


def _column(name: str) -> str:
    """'#Code_commune_INSEE', 'Libellé_d_acheminement' → 'code_commune_insee', …"""
    name = unicodedata.normalize("NFKD", name.lstrip("#").strip())
    return "".join(c for c in name if not unicodedata.combining(c)).lower()


def _header(cells: list[str]) -> dict[str, int] | None:
    positions = {_column(c): i for i, c in enumerate(cells)}
    return positions if all(c in positions for c in COLUMNS) else None


def import_postal_codes(path, progress: Progress = no_progress) -> ImportReport:
    path = Path(path)
    report = ImportReport(f"Codes postaux ({path.name})")
    text = read_text(path, report)
    found = find_header(text, _header)
    if found is None:
        raise ImportFileError(
            path,
            "en-tête de la base officielle des codes postaux attendu : "
            "#Code_commune_INSEE;Nom_de_la_commune;Code_postal;Libellé_d_acheminement;Ligne_5",
            line=1,
        )
    header, positions = found
    resolver = CommuneResolver.from_database()
    departements = set(Departement.objects.values_list("code", flat=True))
    communes = dict(Commune.objects.values_list("code", "pk"))
    unique = UniqueKeys(path, "ligne (code INSEE, code postal, ligne 5)")
    wanted: dict[tuple[str, str, str], dict] = {}
    rows = list(iter_rows(path, text, header))
    report.rows_read = len(rows)

    def cell(row, name):
        index = positions.get(name)
        return row[index].strip() if index is not None else ""

    for line, row in progress(rows, "Codes postaux", len(rows)):
        insee = cell(row, "code_commune_insee").upper()
        if len(insee) == 4 and insee.isdigit():
            insee = "0" + insee  # a spreadsheet dropped the leading zero
        postal = cell(row, "code_postal")
        if len(postal) == 4 and postal.isdigit():
            postal = "0" + postal
        if not INSEE_CODE.match(insee):
            raise ImportFileError(
                path, f"code INSEE illisible « {insee} »", line, "Code_commune_INSEE"
            )
        if not POSTAL_CODE.match(postal):
            raise ImportFileError(
                path,
                f"code postal illisible « {postal} » (5 chiffres attendus)",
                line,
                "Code_postal",
            )
        line_5 = cell(row, "ligne_5")
        key = (insee, postal, line_5)
        unique.add(key, line, f"{insee} {postal} {line_5}".strip())
        current = resolver.resolve(insee).current
        if current is None:
            if departement_of(insee) not in departements:
                report.note("lignes hors des départements présents dans le hub (ignorées)")
            else:
                report.warn(f"{resolver.resolve(insee).reason} (ligne ignorée)", path, line)
            continue
        if current != insee:
            report.note("codes de communes anciens rattachés à la commune actuelle")
        wanted[key] = {
            "commune_id": communes[current],
            "commune_name": cell(row, "nom_de_la_commune"),
            "delivery_label": cell(row, "libelle_d_acheminement"),
        }

    with transaction.atomic():
        counts = report.count("Codes postaux")
        sync_rows(PostalCode, ("insee_code", "code", "line_5"), wanted, counts)
        # What vanished from the file, in the départements the file covers.
        touched = Commune.objects.filter(pk__in={v["commune_id"] for v in wanted.values()})
        stale = PostalCode.objects.filter(commune__departement__in=touched.values("departement"))
        kept = set(wanted)
        vanished = [
            pk
            for pk, *key in stale.values_list("pk", "insee_code", "code", "line_5")
            if tuple(key) not in kept
        ]
        remove_vanished(PostalCode.objects.filter(pk__in=vanished), counts, "codes postaux")
    return report


def load_demo_postal_codes(progress: Progress = no_progress) -> ImportReport:
    """Eure-et-Loir's postal codes from the committed extract (a `load_demo` step)."""
    return import_postal_codes(DEMO_FILE, progress=progress)
