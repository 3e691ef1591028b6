"""Dashboards: one per role, scoped to the reader's territory; a withheld value never appears on
the page, its table, its charts or its export; the table sorts without JavaScript."""

import csv
import io
import re
from html import unescape

import pytest

from accounts import roles
from accounts.services import grant
from indicators.registry import recompute

TERMINALS = "terminaux-eleves-pour-100-eleves"
PASSWORD = "pw-dashboard-2026"


@pytest.fixture
def computed(two_schools):
    recompute([TERMINALS, "taux-reponse-recensement"])


def staff(django_user_model, username, role, territory=(roles.DEPARTEMENT, "28")):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", PASSWORD)
    grant(user, role, territory)
    return user


def main_text(response) -> str:
    html = response.content.decode()
    return unescape(html[html.index("<main") : html.index("</main>")])


def table_rows(response) -> list[list[str]]:
    """The comparison table's cells, as read on the page."""
    html = main_text(response)
    table = html[html.index('id="dashboard-table"') :]
    table = table[: table.index("</table>")]
    body = table[table.index("<tbody>") :]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


@pytest.mark.django_db
def test_a_withheld_value_never_appears_on_the_dashboard_its_table_or_export(
    client, computed, django_user_model
):
    from cartography.models import Commune

    # A commune without school has no value: counted, not listed.
    town = Commune.objects.get(code="28002")
    Commune.objects.create(code="28003", name="Hameau", departement=town.departement)
    client.force_login(staff(django_user_model, "agent", roles.DSDEN_STAFF))
    url = f"/tableaux-de-bord/dsden/?indicateur={TERMINALS}&echelon=commune"
    response = client.get(url)
    assert response.status_code == 200
    rows = table_rows(response)
    # Two schools in the town, one in the village: both withheld (fewer than three schools).
    assert sorted(rows) == [
        ["Bourg", "28002", "secret statistique"],
        ["Village", "28001", "secret statistique"],
    ]
    page = main_text(response)
    # The town's 50 terminals for 150 pupils (33.3) and the village's 0.0 are nowhere.
    assert "33,3" not in page and "33.3" not in page
    assert "2 territoires en « secret statistique »" in page
    assert "1 territoire sans valeur pour cet indicateur n’est pas listé." in page
    # The key figures give the département's value (three schools: shown).
    key = page[page.index('id="key-figures"') :]
    assert re.search(r"Terminaux[^<]*</a></td><td>2025-2026</td><td>29,4</td>", key)
    assert "<bar-chart" not in page  # nothing to draw
    export = re.search(r'href="([^"]*format=csv[^"]*)"', page).group(1)
    data = client.get(unescape(export)).content.decode("utf-8-sig")
    cells = list(csv.DictReader(io.StringIO(data), delimiter=";"))
    assert {(r["code du territoire"], r["valeur"]) for r in cells} == {("28001", ""), ("28002", "")}

    # The EPCI describes three schools: its figure is shown (50 terminals for 170 pupils).
    response = client.get(f"/tableaux-de-bord/dsden/?indicateur={TERMINALS}&echelon=epci")
    assert table_rows(response) == [["CC Test", "200000001", "29,4"]]


@pytest.mark.django_db
def test_the_table_sorts_through_query_parameters(client, small_epci):
    from actors.models import Place  # noqa: F401 - places make the indicator differ

    from .conftest import add_place

    village, town = small_epci
    add_place(village, "Médiathèque")
    recompute(["lieux-pour-10000-habitants"])
    base = "/tableaux-de-bord/public/?indicateur=lieux-pour-10000-habitants&echelon=commune"
    by_value = table_rows(client.get(base + "&tri=-valeur"))
    assert [r[0] for r in by_value] == ["Village", "Bourg"]  # 100 for 10 000, then 0
    assert by_value[0][2] == "100,0"
    assert [r[0] for r in table_rows(client.get(base + "&tri=valeur"))] == ["Bourg", "Village"]
    assert [r[0] for r in table_rows(client.get(base + "&tri=nom"))] == ["Bourg", "Village"]
    page = main_text(client.get(base + "&tri=-valeur"))
    # Each heading links to its sort; the current one says so to assistive technologies.
    assert 'aria-sort="descending"><a href="?departement=28' in page
    assert "tri=valeur" in page and "tri=nom" in page


@pytest.mark.django_db
def test_each_role_opens_its_dashboard_and_no_other(client, small_epci, django_user_model):
    client.force_login(staff(django_user_model, "prefet", roles.PREFECTURE_STAFF))
    assert client.get("/tableaux-de-bord/")["Location"] == "/tableaux-de-bord/prefecture/"
    assert client.get("/tableaux-de-bord/prefecture/").status_code == 200
    assert client.get("/tableaux-de-bord/dsden/").status_code == 404
    client.logout()
    assert client.get("/tableaux-de-bord/")["Location"] == "/tableaux-de-bord/public/"
    for key in ("dsden", "prefecture", "collectivite"):
        assert client.get(f"/tableaux-de-bord/{key}/").status_code == 404
    page = main_text(client.get("/tableaux-de-bord/public/"))
    assert "Tableau de bord public" in page
    # The public dashboard offers public indicators only.
    assert TERMINALS not in page and "taux-reponse-recensement" not in page


@pytest.mark.django_db
def test_a_dsden_of_another_departement_sees_none_of_28(client, computed, django_user_model):
    from cartography.models import Departement

    Departement.objects.create(code="35", name="Ille-et-Vilaine")
    client.force_login(
        staff(django_user_model, "agent35", roles.DSDEN_STAFF, (roles.DEPARTEMENT, "35"))
    )
    response = client.get("/tableaux-de-bord/dsden/?departement=28&echelon=epci")
    page = main_text(response)
    assert "Ille-et-Vilaine" in page and "Eure-et-Loir" not in page
    assert "CC Test" not in page and "29,4" not in page


@pytest.mark.django_db
def test_the_time_series_has_its_data_table_and_never_draws_a_withheld_period(client, small_epci):
    from indicators.models import Indicator, Level, Value, ValueStatus
    from indicators.registry import sync_indicators

    sync_indicators()
    fibre = Indicator.objects.get(code="part-locaux-raccordables-fibre")
    for period, value, status in [
        ("T3 2017", 20.2, ValueStatus.COMPUTED),
        ("T4 2017", None, ValueStatus.WITHHELD),
        ("T1 2018", 27.1, ValueStatus.COMPUTED),
    ]:
        Value.objects.create(
            indicator=fibre, level=Level.DEPARTEMENT, territory_code="28", period=period,
            value=value, status=status,
        )  # fmt: skip
    page = main_text(client.get(f"/tableaux-de-bord/public/?indicateur={fibre.code}"))
    chart = re.search(r"<line-chart ([^>]*)>", page).group(1)
    assert 'x="[["T3 2017", "T1 2018"]]"' in chart and 'y="[[20.2, 27.1]]"' in chart
    assert 'name="["Part des locaux raccordables à la fibre"]"' in chart  # JSON, as it reads
    table = page[page.index("Données du graphique : Part des locaux") :]
    cells = re.findall(r"<td>(.*?)</td>", table[: table.index("</table>")])
    assert cells == ["T3 2017", "20,2", "T4 2017", "secret statistique", "T1 2018", "27,1"]


@pytest.mark.django_db
def test_a_commune_sees_its_own_territory_only_with_a_link_to_its_page(
    client, small_epci, django_user_model
):
    from .conftest import add_place

    village, town = small_epci
    add_place(village, "Médiathèque")
    add_place(town, "France services")
    recompute(["lieux-pour-10000-habitants"])
    user = staff(django_user_model, "mairie", roles.LOCAL_AUTHORITY, (roles.COMMUNE, "28001"))
    client.force_login(user)
    assert client.get("/tableaux-de-bord/")["Location"] == "/tableaux-de-bord/collectivite/"
    response = client.get(
        "/tableaux-de-bord/collectivite/?indicateur=lieux-pour-10000-habitants&echelon=commune"
    )
    assert table_rows(response) == [["Village", "28001", "100,0"]]  # not the town
    assert '<a href="/territoires/commune/28001/">Village</a>' in main_text(response)


@pytest.mark.django_db
def test_staff_pick_a_partners_imported_indicator_the_public_dashboard_stays_reduced(
    client, small_epci, django_user_model
):
    from indicators.models import Indicator, Level, Obtained, Value, ValueStatus

    pix = Indicator.objects.create(
        code="certifications-pix", name="Certifications Pix pour 1 000 habitants",
        obtained=Obtained.IMPORTED, levels=[Level.COMMUNE], unit="pour 1 000", precision=1,
    )  # fmt: skip
    Value.objects.create(
        indicator=pix, level=Level.COMMUNE, territory_code="28001", period="2025",
        value=12.5, status=ValueStatus.IMPORTED,
    )  # fmt: skip
    client.force_login(staff(django_user_model, "prefet", roles.PREFECTURE_STAFF))
    response = client.get("/tableaux-de-bord/prefecture/?indicateur=certifications-pix")
    assert '<optgroup label="Autres indicateurs">' in main_text(response)
    assert table_rows(response) == [["Village", "28001", "12,5"]]
    client.logout()
    page = main_text(client.get("/tableaux-de-bord/public/?indicateur=certifications-pix"))
    assert "Certifications Pix" not in page
