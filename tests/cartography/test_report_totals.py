"""The coverage report as préfecture staff read it, on the demo's T1 2018 figures: every total
row equals the sum of its column (XLSX, CSV, PDF); the 8 communes above 100 % carry ARCEP's
explanation in each format, on the map page and on their territory page; the report form takes
communes by name and never shows a command line."""

import csv
import io
import json
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from accounts import roles
from accounts.services import ensure_role_groups, grant
from cartography.coverage import ABOVE_FULL_NOTE
from cartography.importers.coverage import load_demo_coverage
from cartography.models import CoverageReport
from cartography.reports import ReportScope, pdf_html, render_report, report_data

ABOVE_100 = {
    "Champseru",
    "Chartainvilliers",
    "Droue-sur-Drouette",
    "Gas",
    "Hanches",
    "Havelu",
    "Houx",
    "Yermenonville",
}
SUMMED = ["locaux", "locaux raccordables FttH", "locaux non raccordables"]


@pytest.fixture
def coverage(territory_28):
    load_demo_coverage()


def scope(**parameters):
    return ReportScope.from_parameters({"period": "T1 2018", "departement": "28", **parameters})


def number(text) -> int:
    return int(re.sub(r"[^\d-]", "", str(text)))


@pytest.mark.django_db
def test_every_xlsx_total_row_is_the_sum_of_its_column(coverage):
    workbook = load_workbook(io.BytesIO(render_report(scope(), "xlsx")))
    summary = [r for r in workbook["Synthèse"].iter_rows(min_row=5, values_only=True) if r[0]]
    header = list(summary[0])
    for name in ("EPCI", "Communes"):
        rows = [r for r in workbook[name].iter_rows(min_row=6, values_only=True) if r[0]]
        *body, total = rows
        assert total[0] == "total"
        for column in SUMMED:
            j = header.index(column)
            assert total[j] == sum(r[j] for r in body if r[j] is not None), (name, column)
            # The summary's département row says the same.
            assert summary[1][j] == total[j], (name, column)
    j = header.index("locaux non raccordables")
    assert summary[1][j] == 161974  # was 161 896: premises minus ready of the sums


@pytest.mark.django_db
def test_every_csv_total_is_the_sum_of_the_rows_below_it(coverage):
    text = render_report(scope(), "csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    top = rows[0]
    for level in ("EPCI", "commune"):
        members = [r for r in rows if r["niveau"] == level]
        for column in SUMMED:
            assert number(top[column]) == sum(number(r[column]) for r in members if r[column])


class Tables(HTMLParser):
    """The cells of each table of an HTML page, row by row."""

    def __init__(self):
        super().__init__()
        self.tables, self.cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append(self.cell.strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


@pytest.mark.django_db
def test_every_pdf_table_total_row_is_the_sum_of_its_column(coverage):
    parser = Tables()
    parser.feed(pdf_html(report_data(scope())))
    assert len(parser.tables) == 2  # by EPCI, by commune
    summed = ("Communes", "Locaux", "Raccordables", "Locaux raccordables")
    for table in parser.tables:
        header, *body, total = table
        assert total[0].startswith("Total")
        numeric = [j for j, h in enumerate(header) if h in summed]
        assert numeric
        for j in numeric:
            # "857 sur 1 010": each figure of the cell summed apart.
            parts = [[number(p) for p in cell[j].split(" sur ")] for cell in (*body, total)]
            *rows, sums = parts
            for k, figure in enumerate(sums):
                assert figure == sum(r[k] for r in rows), (header[j], k)


@pytest.mark.django_db
def test_rates_above_100_percent_carry_arceps_explanation_in_each_format(coverage):
    data = report_data(scope())
    assert {c.name for c in data.communes if c.above_full} == ABOVE_100

    text = render_report(scope(), "csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    noted = {r["nom"] for r in rows if r["remarque"]}
    assert noted == ABOVE_100
    assert all(r["remarque"] == ABOVE_FULL_NOTE for r in rows if r["nom"] in ABOVE_100)

    sheet = load_workbook(io.BytesIO(render_report(scope(), "xlsx")))["Communes"]
    header = [c.value for c in sheet[5]]
    remarks = {r[2]: r[header.index("remarque")] for r in sheet.iter_rows(6, values_only=True)}
    assert {name for name, remark in remarks.items() if remark} == ABOVE_100

    html = pdf_html(data)
    note = re.search(r'<p id="note-plus-de-100">(.*?)</p>', html, re.S)[1]
    assert "peut dépasser 100" in note and "ARCEP" in note
    assert all(name in note for name in ABOVE_100)
    assert re.search(r"<td>Gas</td><td>[^<]*</td><td>103,7\s% \*</td>", html)


@pytest.fixture
def prefecture(client, coverage):
    ensure_role_groups()
    user = get_user_model().objects.create_user("prefecture")
    grant(user, roles.PREFECTURE_STAFF, (roles.DEPARTEMENT, "28"))
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_coverage_map_page_explains_rates_above_100_percent(prefecture):
    html = prefecture.get("/couverture/", {"periode": "T1 2018"}).content.decode()
    note = re.search(r'<p[^>]*id="note-plus-de-100"[^>]*>(.*?)</p>', html, re.S)[1]
    assert "peut dépasser 100" in note
    # The popup of a commune above 100 % writes the same explanation (static/js/coverage-map.js).
    config = re.search(r'<script id="map-config" type="application/json">(.*?)</script>', html)
    assert json.loads(config[1])["aboveFullNote"] == ABOVE_FULL_NOTE


@pytest.mark.django_db
def test_report_form_takes_communes_by_name_and_shows_no_command_line(
    prefecture, django_capture_on_commit_callbacks
):
    page = prefecture.get("/couverture/rapport/").content.decode()
    assert "manage.py" not in page and "python" not in page
    assert "Écrosnes" in page  # the example of names in the hint
    with django_capture_on_commit_callbacks():
        response = prefecture.post(
            "/couverture/rapport/",
            {
                "territory": "communes",
                "communes": "ecrosnes, FRESNAY L'EVEQUE\nDreux (28)",
                "period": "T1 2018",
                "format": "csv",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    report = CoverageReport.objects.get()
    assert report.parameters["communes"] == ["28137", "28164", "28134"]


@pytest.mark.django_db
def test_an_unknown_commune_name_is_named_with_suggestions_and_nothing_requested(prefecture):
    response = prefecture.post(
        "/couverture/rapport/",
        {"territory": "communes", "communes": "Dreux, Chartre", "period": "T1 2018"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "« Chartre » : aucune commune de ce nom" in html
    assert "Vouliez-vous dire : Chartres (28)" in html
    assert not CoverageReport.objects.exists()
    # A commune outside the person's départements is not found by name either.
    response = prefecture.post(
        "/couverture/rapport/",
        {"territory": "communes", "communes": "Paris", "period": "T1 2018"},
    )
    assert "« Paris » : aucune commune de ce nom dans votre périmètre" in response.content.decode()


@pytest.mark.django_db
def test_territory_page_of_a_commune_above_100_percent_explains_it(coverage, client):
    from indicators.builtins.coverage import FIBRE_SHARE
    from indicators.registry import recompute

    recompute([FIBRE_SHARE.code])
    html = client.get("/territoires/commune/28172/").content.decode()  # Gas, 103,7 %
    assert "103,7" in html
    note = re.search(r'<p[^>]*id="note-plus-de-100"[^>]*>(.*?)</p>', html, re.S)[1]
    assert ABOVE_FULL_NOTE in note.replace("&#x27;", "'")
    # A commune below 100 % reads no such note.
    assert 'id="note-plus-de-100"' not in client.get("/territoires/commune/28134/").content.decode()


@pytest.mark.django_db
def test_a_name_two_communes_share_asks_for_the_departement(territory_28):
    from cartography.coverage_views import commune_by_name
    from cartography.models import Commune, Departement

    loiret = Departement.objects.create(code="45", name="Loiret")
    Commune.objects.create(code="45999", name="Écrosnes", departement=loiret)
    code, problem = commune_by_name("Écrosnes", Commune.objects.all())
    assert code == "" and "plusieurs communes portent ce nom" in problem
    assert "Écrosnes (28)" in problem and "Écrosnes (45)" in problem
    assert commune_by_name("ecrosnes (45)", Commune.objects.all()) == ("45999", "")
