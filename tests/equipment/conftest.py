import csv
import io
import os
from pathlib import Path

import pytest
from django.conf import settings

from equipment.demo import DEMO_IPS
from equipment.models import Circonscription, School

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "schools"
# The national files are not committed; the sibling `shared/data` checkout holds them.
SHARED_DATA = Path(
    os.environ.get("HUB_SHARED_DATA", Path(settings.BASE_DIR).parent / "shared" / "data")
)


@pytest.fixture
def annuaire_2026():
    """The published 2026 Annuaire extract (Val-de-Marne, 613 schools), byte for byte."""
    return FIXTURES / "annuaire-education-94-extract-2026.csv"


@pytest.fixture
def annuaire_2023():
    """A small Eure-et-Loir file in the layout of 2023 and before (see the README next to it)."""
    return FIXTURES / "annuaire-education-28-layout-2023.csv"


@pytest.fixture
def ips_28():
    return DEMO_IPS


@pytest.fixture
def ips_national():
    path = SHARED_DATA / "ips-ecoles-national.csv"
    if not path.exists():
        pytest.skip(f"fichier national absent : {path} (HUB_SHARED_DATA)")
    return path


def rewrite(source: Path, target: Path, edit=None, *, encoding="utf-8-sig") -> Path:
    """Copy a `;` file, letting `edit(line, row)` change each data row (a dict) in place."""
    text = source.read_text(encoding="utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    header = next(reader)
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in reader:
        values = dict(zip(header, row, strict=True))
        if edit is not None:
            edit(reader.line_num, values)
        writer.writerow([values[h] for h in header])
    target.write_text(out.getvalue(), encoding=encoding, newline="")
    return target


def snapshot():
    """What the importers write, to compare before and after a refused import."""
    return {
        "schools": sorted(
            School.objects.values_list(
                "uai", "name", "kind", "commune_id", "location", "ips", "status", "updated_at"
            ),
            key=lambda row: row[0],
        ),
        "circonscriptions": sorted(
            Circonscription.objects.values_list("code", "name", "departement_code")
        ),
    }
