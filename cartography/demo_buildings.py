"""A small generated ARCEP per-building file for a few streets of Chartres, loaded through the
coverage importer like a real one (a `load_demo` step, declared in cartography/apps.py), so the
buildings layer of /couverture/ shows something from zoom 15.

No per-building file is committed (a département's is tens of MB): these buildings are made up
along real streets, with identifiers `IMB/28085/DEMO/…` and a commune name saying so.
"""

from __future__ import annotations

import csv
import random
import tempfile
from pathlib import Path

from hub.imports import ImportReport, Progress, no_progress

from .importers.coverage import import_coverage

# The layout of ARCEP's "immeubles" file, as published.
COLUMNS = [
    "x", "y", "imb_id", "num_voie", "cp_no_voie", "type_voie", "nom_voie", "batiment",
    "code_insee", "code_poste", "nom_com", "catg_loc_imb", "imb_etat", "pm_ref", "pm_etat",
    "code_l331", "geom_mod", "type_imb",
]  # fmt: skip
# Streets of Chartres: (type, name, first end (lon, lat), other end, buildings).
STREETS = [
    ("RUE", "Noël Ballay", (1.4840, 48.4440), (1.4868, 48.4462), 20),
    ("BD", "Chasles", (1.4836, 48.4440), (1.4820, 48.4478), 16),
    ("RUE", "du Cloître Notre-Dame", (1.4868, 48.4474), (1.4893, 48.4483), 12),
    ("RUE", "du Soleil d'Or", (1.4858, 48.4466), (1.4873, 48.4470), 10),
    ("AV", "Jehan de Beauce", (1.4815, 48.4478), (1.4836, 48.4466), 14),
]
# ARCEP's states as written in the file, and how often the demo draws each.
STATES = [
    ("deploye", 12),
    ("raccordable demande", 3),
    ("en cours de deploiement", 2),
    ("signe", 1),
    ("cible", 1),
]
CATEGORIES = ["individuel", "entre 4 et 11", "entre 12 et 35", "plus de 35"]
COMMUNE_NAME = "Chartres (données de démonstration)"


def rows(seed: int = 28) -> list[dict[str, str]]:
    """The same buildings on every run: both sides of each street, numbers odd and even."""
    rng = random.Random(seed)
    out, number = [], 0
    for street, (kind, name, (x1, y1), (x2, y2), count) in enumerate(STREETS, start=1):
        for i in range(count):
            t = (i // 2 + 0.5) / ((count + 1) // 2)
            side = 1 if i % 2 else -1
            # A few metres off the street's axis, on its side (perpendicular offset in degrees).
            dx, dy = y2 - y1, -(x2 - x1)
            norm = (dx * dx + dy * dy) ** 0.5
            lon = x1 + t * (x2 - x1) + side * 0.00009 * dx / norm
            lat = y1 + t * (y2 - y1) + side * 0.00006 * dy / norm
            number += 1
            state = rng.choices([s for s, _ in STATES], [w for _, w in STATES])[0]
            category = rng.choices(CATEGORIES, [6, 3, 2, 1])[0]
            out.append(
                {
                    "x": f"{lon:.6f}",
                    "y": f"{lat:.6f}",
                    "imb_id": f"IMB/28085/DEMO/{number:04d}",
                    "num_voie": str(2 * (i // 2) + (1 if side < 0 else 2)),
                    "cp_no_voie": "",
                    "type_voie": kind,
                    "nom_voie": name,
                    "batiment": "",
                    "code_insee": "28085",
                    "code_poste": "28000",
                    "nom_com": COMMUNE_NAME,
                    "catg_loc_imb": category,
                    "imb_etat": state,
                    "pm_ref": f"PM-DEMO-28085-{street:02d}",
                    "pm_etat": "deploye" if state != "cible" else "en cours de deploiement",
                    "code_l331": "",
                    "geom_mod": "",
                    "type_imb": "pavillon" if category == "individuel" else "immeuble",
                }
            )
    return out


def load_demo_buildings(progress: Progress = no_progress) -> ImportReport:
    """Write the generated file and import it as any ARCEP per-building file. Idempotent:
    a second run reports 0 created, 0 updated."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "immeubles-demo-chartres.csv"
        with path.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.DictWriter(stream, fieldnames=COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows())
        return import_coverage(path, progress=progress)
