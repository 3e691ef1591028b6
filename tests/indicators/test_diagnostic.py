"""The gap diagnostic: communes ranked by combined need with named, versioned weights; the order
follows a weight changed by an administrator (in the admin or on the model), each row says why
and how many people are concerned, withheld figures are left out and said so, and the ranking
exports to CSV and XLSX."""

import csv
import io
import re
from html import unescape

import pytest
from openpyxl import load_workbook

from accounts.services import make_hub_admin
from cartography.models import Commune, Departement
from indicators.diagnostic import FACTORS
from indicators.models import DiagnosticWeights, Indicator, Level, Value, ValueStatus
from indicators.registry import sync_indicators


@pytest.fixture
def three(db):
    """Three communes of 28, each the neediest on one factor; school equipment withheld."""
    dep = Departement.objects.create(code="28", name="Eure-et-Loir")
    for code, name, population in [
        ("28001", "Fragile", 1000),
        ("28002", "Lointaine", 1000),
        ("28003", "Sans-Fibre", 1000),
    ]:
        Commune.objects.create(code=code, name=name, departement=dep, population=population)
    sync_indicators()
    figures = {  # factor: {commune: (value, numerator, denominator, status)}
        "fragility": {"28001": (130, None, None), "28002": (100, None, None), "28003": (90, None, None)},
        "distance": {"28001": (0, 0, 1000), "28002": (80, 800, 1000), "28003": (0, 0, 1000)},
        "fibre": {"28001": (100, 500, 500), "28002": (100, 400, 400), "28003": (20, 60, 300)},
    }  # fmt: skip
    for key, rows in figures.items():
        indicator = Indicator.objects.get(code=FACTORS[key].indicator)
        for code, (value, numerator, denominator) in rows.items():
            Value.objects.create(
                indicator=indicator, level=Level.COMMUNE, territory_code=code, period="2026",
                value=value, numerator=numerator, denominator=denominator,
                status=ValueStatus.COMPUTED,
            )  # fmt: skip
    equipment = Indicator.objects.get(code=FACTORS["equipment"].indicator)
    for code in ("28001", "28002", "28003"):
        Value.objects.create(
            indicator=equipment, level=Level.COMMUNE, territory_code=code, period="2025-2026",
            status=ValueStatus.WITHHELD, units=2,
        )  # fmt: skip


def ranking(client, **params):
    """(rank, commune name, why) of each row of the diagnostic's table, and the page."""
    response = client.get("/diagnostic/", params)
    assert response.status_code == 200
    html = unescape(response.content.decode())
    table = html[html.index('id="diagnostic-table"') :]
    rows = []
    for row in re.findall(r"<tr data-code[^>]*>(.*?)</tr>", table, re.S):
        cells = re.findall(r"<td>(.*?)</td>", row, re.S)
        why = [re.sub(r"<[^>]+>", "", li).strip() for li in re.findall(r"<li>(.*?)</li>", row)]
        rows.append((cells[0], re.sub(r"<[^>]+>", "", cells[1]).strip(), why))
    return rows, html


def test_the_order_follows_a_weight_changed_in_the_admin_and_the_page_names_the_version(
    client, three, django_user_model
):
    rows, html = ranking(client)
    # Equal weights: "Lointaine" (80 % far from help, fragility 100) leads.
    assert [name for _, name, _ in rows] == ["Lointaine", "Fragile", "Sans-Fibre"]
    assert "pondération version 1" in html

    admin = django_user_model.objects.create_user("admin", "admin@example.org", "pw-admin-2026")
    make_hub_admin(admin)
    client.force_login(admin)
    current = DiagnosticWeights.current()
    response = client.post(
        f"/admin/indicators/diagnosticweights/{current.pk}/change/",
        {"fragility": "5", "distance": "1", "fibre": "1", "equipment": "1", "note": "priorité"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(DiagnosticWeights.objects.values_list("version", "fragility")) == [(2, 5), (1, 1)]
    assert DiagnosticWeights.current().created_by == admin

    client.logout()
    rows, html = ranking(client)
    assert [name for _, name, _ in rows] == ["Fragile", "Lointaine", "Sans-Fibre"]
    assert "pondération version 2" in html and "« priorité »" in html
    _, _, why = rows[0]
    assert why[0] == "fragilité numérique (indice 130, référence 100) : 100 % du besoin"
    assert "sous-équipement des écoles : chiffre masqué (trop peu d’écoles), non compté" in why


def test_a_weight_changed_on_the_model_makes_a_new_version_and_reorders(client, three):
    first = DiagnosticWeights.current()
    first.fibre = 10
    first.save()
    assert DiagnosticWeights.objects.count() == 2  # version 1 kept as it was
    assert DiagnosticWeights.objects.get(version=1).fibre == 1
    rows, html = ranking(client)
    assert [name for _, name, _ in rows][0] == "Sans-Fibre"
    assert "pondération version 2" in html
    _, _, why = rows[0]
    # Each factor named with its figure and its share of the need.
    assert why[0] == "locaux sans fibre (80,0 % des locaux sans fibre) : 100 % du besoin"
    assert "fragilité numérique (indice 90, référence 100) : 0 % du besoin" in why


def test_rows_give_the_people_concerned_and_link_to_the_territory_page(client, three):
    rows, html = ranking(client)
    table = html[html.index('id="diagnostic-table"') :]
    lointaine = re.search(r'<tr data-code="28002">(.*?)</tr>', table, re.S).group(1)
    assert 'href="/territoires/commune/28002/"' in lointaine
    assert "800 habitants à plus de 10 km" in re.sub(r"\s+", " ", lointaine.replace("\u202f", " "))
    sans_fibre = re.search(r'<tr data-code="28003">(.*?)</tr>', table, re.S).group(1)
    assert "240 locaux non raccordables" in sans_fibre


def test_csv_and_xlsx_exports_carry_the_ranking_the_why_and_the_version(client, three):
    response = client.get("/diagnostic/", {"format": "csv"})
    assert 'filename="diagnostic-communes-28-v1.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [(r["rang"], r["nom"]) for r in rows] == [
        ("1", "Lointaine"), ("2", "Fragile"), ("3", "Sans-Fibre"),
    ]  # fmt: skip
    assert rows[0]["éloignement de l’aide : concernés"] == "800"
    assert "éloignement de l’aide" in rows[0]["pourquoi"]
    assert rows[0]["page du territoire"].endswith("/territoires/commune/28002/")

    response = client.get("/diagnostic/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert "pondération v1" in sheet["A1"].value
    assert [sheet.cell(row=r, column=3).value for r in (4, 5, 6)] == [
        "Lointaine", "Fragile", "Sans-Fibre",
    ]  # fmt: skip


def test_exported_names_are_neutralised(client, three):
    Commune.objects.filter(code="28002").update(name='=HYPERLINK("http://x")')
    response = client.get("/diagnostic/", {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0]["nom"].startswith("'=")


def test_the_public_cannot_rank_schools(client, three):
    assert client.get("/diagnostic/", {"rang": "ecoles"}).status_code == 404


def test_dsden_staff_rank_their_schools_with_the_reasons(client, two_schools, django_user_model):
    from accounts import roles
    from accounts.services import grant
    from equipment.models import CensusAnswer

    # The village's school (0 terminals for 20 pupils) is also the one without fibre.
    CensusAnswer.objects.filter(school__uai="0280003C").update(connection="copper")
    agent = django_user_model.objects.create_user("agent", "agent@example.org", "pw-agent-2026")
    grant(agent, roles.DSDEN_STAFF, (roles.DEPARTEMENT, "28"))
    client.force_login(agent)
    rows, html = ranking(client, rang="ecoles")
    assert [name for _, name, _ in rows][0] == "École 0280003CVillage"  # school, commune
    _, _, why = rows[0]
    assert "locaux sans fibre (école sans fibre) : 50 % du besoin" in why
    assert "sous-équipement des écoles (0,0 terminaux pour 100 élèves) : 50 % du besoin" in why
    assert 'href="/territoires/commune/28001/"' in html  # the school's commune page
    # A school's row gives its pupils as the people concerned.
    assert "20 élèves" in html
