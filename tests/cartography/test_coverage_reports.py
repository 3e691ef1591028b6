"""The préfecture's coverage reports (CSV, XLSX, PDF, GeoJSON), the API and the report pages."""

import csv
import io
import json
import subprocess
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from openpyxl import load_workbook

from accounts import roles
from accounts.services import ensure_role_groups, grant
from cartography.importers.coverage import load_demo_coverage
from cartography.models import CoverageReport
from cartography.reports import ReportScope, ScopeError, render_report

DREUX_AGGLO = "200040277"


@pytest.fixture
def coverage(territory_28):
    load_demo_coverage()


def scope(**parameters):
    return ReportScope.from_parameters({"period": "T1 2018", **parameters})


@pytest.mark.django_db
def test_csv_report_has_the_total_the_epci_and_every_commune(coverage):
    text = render_report(scope(departement="28"), "csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    top = rows[0]
    assert (top["niveau"], top["nom"], top["locaux raccordables FttH"]) == (
        "département",
        "Eure-et-Loir",
        "60160",
    )
    assert top["taux de raccordabilité (%)"] == "27,1"
    communes = [r for r in rows if r["niveau"] == "commune"]
    assert len(communes) == 363
    assert sum(int(r["locaux raccordables FttH"]) for r in communes) == 60160
    assert sum(int(r["locaux"]) for r in communes) == int(top["locaux"])
    epcis = [r for r in rows if r["niveau"] == "EPCI"]
    assert sum(int(r["locaux"]) for r in epcis) == int(top["locaux"])


@pytest.mark.django_db
def test_xlsx_report_opens_with_a_sheet_per_level_and_right_totals(coverage):
    workbook = load_workbook(io.BytesIO(render_report(scope(departement="28"), "xlsx")))
    assert workbook.sheetnames == ["Synthèse", "EPCI", "Communes"]
    summary = workbook["Synthèse"]
    assert "Eure-et-Loir" in summary["A1"].value and "T1 2018" in summary["A1"].value
    assert summary["A2"].value.startswith("Source : ARCEP")
    assert [c.value for c in summary[6]][4:6] == [222056, 60160]
    communes = workbook["Communes"]
    rows = list(communes.iter_rows(min_row=6, values_only=True))
    assert rows[-1][0] == "total" and rows[-1][5] == 60160
    assert sum(r[5] for r in rows[:-1]) == 60160 and len(rows) == 364
    assert communes["F6"].number_format == "# ##0"


@pytest.mark.django_db
def test_pdf_report_renders_the_territory_its_totals_and_a_map(coverage, tmp_path):
    pdf = tmp_path / "rapport.pdf"
    call_command(
        "coverage_report",
        "--departement",
        "28",
        "--period",
        "T1 2018",
        "--format",
        "pdf",
        "-o",
        str(pdf),
    )
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.replace("\u202f", " ")
    assert "Eure-et-Loir (28)" in text and "T1 2018" in text
    assert "222 056" in text and "60 160" in text and "27,1" in text
    assert "+1,7" in text  # change since T4 2017
    subprocess.run(
        ["pdftoppm", "-f", "1", "-l", "1", "-r", "40", "-png", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    image = (tmp_path / "p-01.png").read_bytes()
    assert image.startswith(b"\x89PNG") and len(image) > 5000
    everything = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True)
    assert "Sources : ARCEP" in everything.stdout and "Yermenonville" in everything.stdout


@pytest.mark.django_db
def test_an_epci_report_and_a_geojson_report(coverage):
    data = json.loads(render_report(scope(epci=DREUX_AGGLO), "geojson"))
    assert data["metadata"]["total"]["nom"] == "CA Agglo du Pays de Dreux"
    assert len(data["features"]) == 75
    assert all(f["geometry"]["type"] == "MultiPolygon" for f in data["features"])
    ready = sum(f["properties"]["locaux raccordables FttH"] for f in data["features"])
    assert ready == data["metadata"]["total"]["locaux raccordables FttH"]


@pytest.mark.django_db
def test_a_report_request_that_cannot_be_answered_says_why(coverage):
    with pytest.raises(ScopeError, match="pas de données de couverture pour T1 2017"):
        scope(departement="28", period="T1 2017")
    with pytest.raises(ScopeError, match="commune inconnue"):
        scope(communes="28085, 99999")
    with pytest.raises(ScopeError, match="EPCI inconnu"):
        scope(epci="123")


@pytest.mark.django_db
def test_the_api_gives_communes_epci_and_departement(client, coverage):
    url = "/api/coverage/"
    communes = client.get(url, {"level": "commune", "departement": "28", "period": "T1 2018"})
    assert communes.status_code == 200
    body = communes.json()
    assert body["count"] == 363 and body["periods"] == ["T1 2018", "T4 2017", "T3 2017"]
    abondant = next(r for r in body["results"] if r["code"] == "28001")
    assert (abondant["ftth_ready"], abondant["category"]) == (857, 80)

    dep = client.get(url, {"level": "departement", "departement": "28"}).json()
    assert dep["results"][0]["ftth_ready"] == 60160

    geo = client.get(url, {"level": "epci", "departement": "28", "format": "geojson"})
    assert geo["Content-Type"] == "application/geo+json"
    features = geo.json()["features"]
    assert len(features) == 12 and features[0]["geometry"]["type"] == "MultiPolygon"
    assert sum(f["properties"]["ftth_ready"] for f in features) == 60160


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"departement": "28", "period": "T5 2018"}, "period"),
        ({"departement": "28", "period": "T1 2010"}, "period"),
        ({"departement": "999"}, "departement"),
        ({"level": "commune"}, "departement"),
        ({"level": "ville", "departement": "28"}, "level"),
    ],
)
def test_the_api_answers_bad_queries_with_a_readable_400(client, coverage, query, field):
    response = client.get("/api/coverage/", query)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.django_db
def test_the_buildings_api_needs_a_valid_box(client, territory_28):
    assert client.get("/api/coverage/buildings/").status_code == 400
    bad = client.get("/api/coverage/buildings/", {"bbox": "2,49,1,48"})
    assert bad.status_code == 400 and "dans le désordre" in bad.json()["bbox"][0]


@pytest.fixture
def users(db):
    ensure_role_groups()
    made = {}
    for name, role in [("prefecture", roles.PREFECTURE_STAFF), ("mediateur", roles.MEDIATEURS)]:
        user = get_user_model().objects.create_user(name, f"{name}@example.org", "pw-2026-x")
        grant(user, role, *([(roles.DEPARTEMENT, "28")] if role == roles.PREFECTURE_STAFF else []))
        made[name] = user
    return made


@pytest.mark.django_db
def test_only_prefecture_dsden_and_administrators_ask_for_reports(client, coverage, users):
    page = "/couverture/rapport/"
    assert client.get(page).status_code == 302  # to the sign-in page
    client.force_login(users["mediateur"])
    assert client.get(page).status_code == 403
    client.force_login(users["prefecture"])
    response = client.get(page)
    assert response.status_code == 200
    assert "Préparer le rapport" in response.content.decode()


@pytest.mark.django_db
def test_a_bad_report_request_is_shown_next_to_the_field_with_what_was_typed(
    client, coverage, users
):
    client.force_login(users["prefecture"])
    response = client.post(
        "/couverture/rapport/",
        {"territory": "communes", "communes": "28085, 99999", "period": "T1 2018", "format": "pdf"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "commune inconnue : « 99999 »" in html
    assert "28085, 99999</textarea>" in html  # what was typed, kept
    assert 'aria-invalid="true"' in html
    assert not CoverageReport.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_report_is_built_by_a_real_celery_worker(celery_worker_process, client, users):
    from cartography.importers.territory import TerritorySources, import_territory

    import_territory("28", TerritorySources.demo())
    load_demo_coverage()
    client.force_login(users["prefecture"])
    response = client.post(
        "/couverture/rapport/",
        {"territory": "epci", "epci": DREUX_AGGLO, "period": "T1 2018", "format": "xlsx"},
    )
    report = CoverageReport.objects.get()
    assert response.url == f"/couverture/rapport/{report.pk}/"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        state = client.get(response.url, {"format": "json"}).json()
        if state["status"] in ("done", "failed"):
            break
        time.sleep(0.3)
    assert state["status"] == "done", state
    assert state["progress"] == 100
    download = client.get(state["download"])
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert workbook["Synthèse"]["C6"].value == "CA Agglo du Pays de Dreux"
    other = get_user_model().objects.create_user("autre", "a@example.org", "pw-2026-x")
    grant(other, roles.PREFECTURE_STAFF, (roles.DEPARTEMENT, "28"))
    client.force_login(other)
    assert client.get(state["download"]).status_code == 404  # not their report


@pytest.mark.django_db
def test_the_public_map_page_shows_the_departement_figures(client, coverage):
    html = client.get("/couverture/", {"periode": "T4 2017"}).content.decode()
    assert "Eure-et-Loir, T4 2017" in html
    assert '<option value="T4 2017" selected>' in html
    assert "CA Agglo du Pays de Dreux" in html  # the EPCI table, readable without the map
