"""The dashboards and the gap diagnostic in Chromium: a DSDEN agent of 28 opens their dashboard,
picks an indicator, sees the choropleth, the table and the DSFR chart (drawn under the CSP),
clicks a commune and lands on its territory page; axe-core finds no violation on the dashboard
and the diagnostic."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from accounts import roles
from accounts.services import ensure_role_groups, grant
from cartography.importers.territory import TerritorySources, import_territory
from cartography.models import Commune
from equipment.models import Campaign, Circonscription, School
from indicators.registry import recompute, sync_indicators
from tests.browser.test_schools import PASSWORD, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
RESPONSE_RATE = "taux-reponse-recensement"


@pytest.fixture
def site(transactional_db, live_server):
    """Eure-et-Loir, three schools in two communes asked by a campaign, every indicator
    computed, and a DSDEN agent of 28."""
    import_territory("28", TerritorySources.demo())
    ensure_role_groups()
    sync_indicators()
    circo = Circonscription.objects.create(name="Chartres 1", departement_code="28")
    for uai, code in [("0280001A", "28085"), ("0280002B", "28085"), ("0280003C", "28134")]:
        commune = Commune.objects.get(code=code)
        School.objects.create(
            uai=uai, name=f"École {uai}", kind="elementaire", departement_code="28",
            commune=commune, commune_code=code, circonscription=circo, source="annuaire",
            location=commune.geometry.point_on_surface,
        )  # fmt: skip
    Campaign.objects.create(
        school_year="2025-2026", title="Recensement 2025", opens_on=datetime.date(2025, 9, 1),
        closes_on=datetime.date(2025, 12, 19), kinds=["elementaire"],
    )  # fmt: skip
    recompute()
    grant(
        get_user_model().objects.create_user("agent", "agent@dsden.fr", PASSWORD),
        roles.DSDEN_STAFF,
        (roles.DEPARTEMENT, "28"),
    )
    return live_server.url


def test_a_dsden_agent_picks_an_indicator_and_clicks_a_commune_to_its_page(browser, site, axe):
    page = log_in(browser, site, "agent")
    errors = []  # a CSP refusal, a chart failing to read its data…
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(site + "/tableaux-de-bord/")
    expect(page).to_have_url(site + "/tableaux-de-bord/dsden/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tableau de bord DSDEN")

    page.get_by_label("Indicateur", exact=True).select_option(RESPONSE_RATE)  # submits on change
    expect(page).to_have_url(re.compile(rf"/tableaux-de-bord/dsden/\?.*indicateur={RESPONSE_RATE}"))
    expect(page.locator("#map-status")).to_have_text("2 territoires colorés pour 2025-2026.")
    chartres = page.locator('#dashboard-map path[data-code="28085"]')
    expect(chartres).to_have_count(1)
    # Coloured by its class (no answer yet: 0 %), not the grey of "no figure".
    assert chartres.get_attribute("fill") not in (None, "#bbbbbb")
    row = page.locator('#dashboard-table tr[data-code="28085"]')
    expect(row).to_contain_text("Chartres")
    expect(row).to_contain_text("0,0")
    # The DSFR bar chart is drawn (a canvas inside the web component), without an error, once
    # scrolled to (it is loaded then).
    page.locator("#bar-title").scroll_into_view_if_needed()
    expect(page.locator("bar-chart canvas")).to_have_count(1)
    assert errors == []
    assert axe(page) == []

    chartres.click()
    page.wait_for_url(site + "/territoires/commune/28085/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chartres")


def test_the_diagnostic_passes_axe_and_a_commune_opens_its_page(browser, site, axe):
    page = log_in(browser, site, "agent")
    page.goto(site + "/diagnostic/")
    expect(page.locator("#map-status")).to_contain_text("communes colorées par besoin combiné")
    expect(page.locator("#weights-version")).to_contain_text("pondération version 1")
    assert axe(page) == []
    page.get_by_label("Classer").select_option("ecoles")
    page.get_by_role("button", name="Afficher").click()
    expect(page.locator("#diagnostic-table tbody tr")).to_have_count(3)
    assert axe(page) == []
    row = page.locator('#diagnostic-table tr[data-code="0280003C"]')
    row.get_by_role("link", name="École 0280003C", exact=True).click()
    page.wait_for_url(site + "/territoires/commune/28134/")


def test_a_hostile_commune_name_is_shown_as_text_in_the_map_tooltip(browser, site):
    payload = '<img src=x onerror="window.pwned=1">Chartres'
    Commune.objects.filter(code="28085").update(name=payload)
    page = log_in(browser, site, "agent")
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{site}/tableaux-de-bord/dsden/?indicateur={RESPONSE_RATE}")
    chartres = page.locator('#dashboard-map path[data-code="28085"]')
    expect(chartres).to_have_count(1)
    chartres.hover()
    expect(page.locator(".leaflet-tooltip")).to_contain_text(payload)
    expect(page.locator('#dashboard-table tr[data-code="28085"]')).to_contain_text(payload)
    assert page.evaluate("window.pwned") is None and dialogs == []
    assert page.locator(".leaflet-tooltip img, #dashboard-table img").count() == 0


def test_the_public_sees_the_time_series_drawn_by_the_dsfr_line_chart(page, site, axe):
    from indicators.models import Indicator, Level, Value, ValueStatus

    fibre = Indicator.objects.get(code="part-locaux-raccordables-fibre")
    for period, value in [("T3 2017", 20.2), ("T4 2017", 25.4), ("T1 2018", 27.1)]:
        Value.objects.update_or_create(
            indicator=fibre, level=Level.DEPARTEMENT, territory_code="28", period=period,
            defaults={"value": value, "status": ValueStatus.COMPUTED},
        )  # fmt: skip
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{site}/tableaux-de-bord/public/?indicateur={fibre.code}")
    page.locator("#series-title").scroll_into_view_if_needed()  # the chart loads when seen
    expect(page.locator("line-chart canvas")).to_have_count(1)
    expect(page.get_by_role("table", name=re.compile("Données du graphique"))).to_contain_text(
        "25,4"
    )
    assert errors == []
    assert axe(page) == []
