"""The coverage map and the report pages in Chromium, as the public and the préfecture use them."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from accounts import roles
from accounts.services import ensure_role_groups, grant
from actors.demo import load_demo_places
from cartography.importers.coverage import import_coverage, load_demo_coverage
from cartography.importers.territory import TerritorySources, import_territory
from equipment.demo import load_demo_schools
from tests.browser.helpers import wait_until_still

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "coverage"
PASSWORD = "un-mot-de-passe-2026"
DARKEST, NONE = "#253494", "#ffffcc"


@pytest.fixture
def site(transactional_db, live_server):
    import_territory("28", TerritorySources.demo())
    load_demo_coverage()
    import_coverage(FIXTURES / "ma-connexion-internet-techno.csv")
    load_demo_places()
    load_demo_schools()
    ensure_role_groups()
    user = get_user_model().objects.create_user("agent", "agent@prefecture.fr", PASSWORD)
    grant(user, roles.PREFECTURE_STAFF, (roles.DEPARTEMENT, "28"))
    return live_server.url


def fills(page) -> list[str]:
    return page.locator("#coverage-map path.leaflet-interactive").evaluate_all(
        "paths => paths.map(p => p.getAttribute('fill'))"
    )


def map_point(page, lat, lng):
    point = page.evaluate(
        "([lat, lng]) => window['leafletmapcoverage-map'].latLngToContainerPoint([lat, lng])",
        [lat, lng],
    )
    box = page.locator("#coverage-map").bounding_box()
    return box["x"] + point["x"], box["y"] + point["y"]


def test_changing_the_period_recolours_the_communes(page, site, axe):
    page.goto(site + "/couverture/")
    expect(page.locator("#map-status")).to_have_text("363 communes colorées pour T1 2018.")
    t1 = fills(page)
    assert len(t1) == 363 and t1.count(DARKEST) > 10
    assert axe(page) == []

    page.get_by_label("Trimestre").select_option("T3 2017")
    expect(page.locator("#map-status")).to_have_text("363 communes colorées pour T3 2017.")
    t3 = fills(page)
    assert t3 != t1
    assert t3.count(NONE) > t1.count(NONE)  # fibre was ready in fewer communes then
    expect(page.locator("#summary-title")).to_have_text("Eure-et-Loir, T3 2017")
    expect(page.locator("#previous-label")).to_have_text("Évolution depuis T2 2017")
    expect(page).to_have_url(re.compile(r"periode=T3\+2017|periode=T3%202017"))

    page.get_by_label("Colorer par").select_option("epci")
    expect(page.locator("#map-status")).to_have_text("12 EPCI colorés pour T3 2017.")
    expect(page.locator("#coverage-map path.leaflet-interactive")).to_have_count(12)


def test_a_click_tells_the_rate_and_the_technology_mix(page, site):
    page.goto(site + "/couverture/")
    expect(page.locator("#map-status")).to_contain_text("363 communes")
    page.evaluate("window['leafletmapcoverage-map'].setView([48.4469, 1.4890], 12)")
    wait_until_still(page)
    page.mouse.click(*map_point(page, 48.4469, 1.4890))  # the centre of Chartres
    popup = page.locator("#coverage-map .leaflet-popup-content")
    expect(popup.locator("strong")).to_have_text("Chartres")  # no INSEE code read as postal
    expect(popup).to_contain_text("locaux raccordables à la fibre sur")
    expect(popup).to_contain_text("fibre (FttH) : 80 %")
    expect(popup).to_contain_text("4G fixe : 60 %")


def test_places_of_help_and_schools_in_communes_without_fibre(page, site):
    page.goto(site + "/couverture/")
    expect(page.locator("#map-status")).to_contain_text("363 communes")
    page.get_by_text("Lieux d’aide et écoles dans les communes sans fibre").click()
    status = page.locator("#map-status")
    expect(status).to_contain_text("communes sans fibre en T1 2018")
    words = status.inner_text().split()
    places, schools = int(words[0]), int(words[4])
    assert places > 0 and schools > 0
    # Told apart by shape (blue rounds, orange triangles) and named for a screen reader.
    place_markers = page.get_by_role("button", name=re.compile(", lieu d’aide$"))
    school_markers = page.get_by_role("button", name=re.compile(", école$"))
    expect(place_markers).to_have_count(places)
    expect(school_markers).to_have_count(schools)
    assert school_markers.first.locator("path").get_attribute("d") != (
        place_markers.first.locator("path").get_attribute("d")
    )
    wait_until_still(page)
    school_markers.first.click(force=True)
    expect(page.locator("#coverage-map .leaflet-popup-content")).to_contain_text("École, ")


def test_the_prefecture_asks_for_a_report_on_accessible_pages(page, site, axe):
    page.goto(site + "/comptes/connexion/?next=/couverture/rapport/")
    page.get_by_label("Nom d’utilisateur").fill("agent")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapport de couverture fibre")
    assert axe(page) == []

    page.get_by_label("Territoire").select_option("communes")
    page.get_by_label("Communes (si « une liste de communes »)").fill("28085, 99999")
    page.get_by_role("button", name="Préparer le rapport").click()
    field = page.get_by_label("Communes (si « une liste de communes »)")
    expect(field).to_have_value("28085, 99999")
    expect(page.get_by_text("commune inconnue : « 99999 »")).to_be_visible()
    assert axe(page) == []

    field.fill("28085, 28134")
    page.get_by_role("button", name="Préparer le rapport").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapport de couverture")
    expect(page.get_by_text("communes : Chartres, Dreux — T1 2018")).to_be_visible()
    assert axe(page) == []
