"""The places export checked as the national standard's own CI checks files:
`frictionless validate --schema` against the official schema committed in actors/schema/."""

import csv
import io
import json
import shutil
import subprocess
import sys

import pytest

from actors.demo import load_demo_places
from actors.importers.places import import_places
from actors.models import Membership, Place
from actors.standard import SCHEMA_PATH
from cartography.models import Commune

pytestmark = pytest.mark.django_db


def frictionless_errors(csv_text: str, folder) -> list[str]:
    """The errors `frictionless validate --schema` reports on the file (its own CLI, run in
    the file's folder: it refuses paths outside the working directory)."""
    (folder / "lieux.csv").write_text(csv_text, encoding="utf-8")
    shutil.copy(SCHEMA_PATH, folder / "schema.json")
    run = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "--json"]
        + ["--schema", "schema.json", "lieux.csv"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(run.stdout)
    errors = [
        f"ligne {e.get('rowNumber')}, {e.get('fieldName')} : {e['note']}"
        for task in report["tasks"]
        for e in task["errors"]
    ]
    assert report["valid"] == (not errors)
    return errors


@pytest.fixture
def member(territory_28, django_user_model, client):
    load_demo_places()
    fablab = Place.objects.get(name="Fablab de Chartres")
    user = django_user_model.objects.create_user("lea", "lea@fablab.fr", "pw-solide-123")
    Membership.objects.create(structure=fablab.structure, user=user, status="active")
    client.force_login(user)
    return fablab


def test_the_demo_export_with_places_edited_in_the_space_is_valid(
    member, client, tmp_path, places_v1, places_v01
):
    # Files of both versions of the standard, with their tolerated defects, beside the demo.
    assert not import_places(places_v1).rejections
    assert not import_places(places_v01).rejections
    # Another source using an id the first file uses, for another place.
    with places_v1.open(encoding="utf-8") as stream:
        reader = csv.DictReader(stream)
        columns, row = reader.fieldnames, next(reader)
    other = tmp_path / "autre-source.csv"
    with other.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=columns)
        writer.writeheader()
        writer.writerow(
            row
            | {"nom": "Maison France Services de Dreux", "source": "Autre source"}
            | {"latitude": "48.737", "longitude": "1.366", "pivot": "00000000000000"}
            | {"code_insee": "28134", "commune": "Dreux", "code_postal": "28100"}
        )
    assert import_places(other).counts["Lieux"].created == 1
    response = client.post(
        f"/espace/lieux/{member.pk}/modifier/",
        {
            "place-name": "Fablab de Chartres & co",
            "place-address": "5 rue du Bourg",
            "place-postal_code": "28000",
            "place-phone": "02 37 47 00 00",
            "hours-Mo_1_start": "9",
            "hours-Mo_1_end": "12h30",
            "offers-services": ["Loisirs et créations numériques"],
        },
    )
    assert response.status_code == 302
    chartres = Commune.objects.get(code="28085")
    response = client.post(
        f"/espace/structures/{member.structure_id}/lieux/nouveau/",
        {
            "where-commune": chartres.pk,
            "place-name": "Atelier numérique du quartier",
            "place-address": "2 rue de la Paix",
            "place-postal_code": "28000",
            "place-phone": "02.37.21.00.00",
        },
    )
    assert response.status_code == 302

    export = client.get("/api/places/export.csv").content.decode()
    assert "+33237470000" in export and "+33237210000" in export
    assert "02 37 47 00 00" not in export
    exported = list(csv.DictReader(io.StringIO(export)))
    assert len(exported) == Place.objects.count() >= 25
    assert [r["source"] for r in exported if r["id"].startswith(row["id"])] == [
        row["source"],
        "Autre source",
    ]
    assert frictionless_errors(export, tmp_path) == []


def test_the_check_is_the_schema_s_own(tmp_path):
    """The same validator refuses a phone as typed: the test above would see it."""
    header = ",".join(json.loads(SCHEMA_PATH.read_text())["fields"][i]["name"] for i in range(32))
    row = ["demo-1", "00000000000000", "Lieu", "Chartres", "28000", "28085", "1 rue"]
    row += [""] * 4 + ["02 37 47 00 00"] + [""] * 8 + ["2026-01-01"] + [""] * 11
    errors = frictionless_errors(header + "\n" + ",".join(row) + "\n", tmp_path)
    assert len(errors) == 1 and errors[0].startswith("ligne 2, telephone")
