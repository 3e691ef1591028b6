"""The home page map in a real headless Chromium (Debian's), as DSDEN staff would use it."""

import re

import pytest
from playwright.sync_api import expect

from cartography.importers.territory import TerritorySources, import_territory
from tests.browser.helpers import wait_until_still

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def served_territory(transactional_db, live_server):
    import_territory("28", TerritorySources.demo())
    return live_server.url


def drawn_communes(page):
    return page.locator("#territory-map path.leaflet-interactive")


def test_the_map_draws_every_commune_without_a_tile_server(page, served_territory):
    page.goto(served_territory + "/")
    expect(page.locator("#map-status")).to_have_text("363 communes affichées.")
    expect(drawn_communes(page)).to_have_count(363)
    assert page.locator("#territory-map .leaflet-tile").count() == 0


def test_clicking_a_commune_tells_its_name_and_population(page, served_territory):
    page.goto(served_territory + "/?q=Chartres")
    expect(page.locator("#map-status")).to_contain_text("Commune sélectionnée : Chartres.")
    page.locator("#territory-map .leaflet-popup-close-button").click()
    wait_until_still(page)
    page.mouse.click(*map_point(page, 48.4469, 1.4890))  # the city centre of Chartres
    popup = page.locator("#territory-map .leaflet-popup-content")
    # No postal code loaded here: the name alone, never the INSEE code read as a postal code.
    expect(popup.locator("strong")).to_have_text("Chartres")
    expect(popup).to_contain_text("Population municipale : 38 324 habitants")


def map_point(page, lat, lng):
    """Page coordinates of a geographic point on the Leaflet map."""
    point = page.evaluate(
        "([lat, lng]) => window['leafletmapterritory-map'].latLngToContainerPoint([lat, lng])",
        [lat, lng],
    )
    box = page.locator("#territory-map").bounding_box()
    return box["x"] + point["x"], box["y"] + point["y"]


def test_searching_chartres_lands_on_it(page, served_territory):
    page.goto(served_territory + "/")
    expect(drawn_communes(page)).to_have_count(363)
    zoom_before = page.evaluate("window['leafletmapterritory-map'].getZoom()")

    page.get_by_label("Rechercher une commune (nom ou code postal)").fill("Chartres")
    page.get_by_role("button", name="Rechercher").click()

    expect(page).to_have_url(re.compile(r"q=Chartres"))
    expect(page.locator("#map-status")).to_contain_text("Commune sélectionnée : Chartres.")
    expect(page.locator("#selected-commune")).to_contain_text("38 324 habitants")
    view = page.evaluate(
        """() => {
            const map = window['leafletmapterritory-map'];
            const c = map.getCenter();
            return {lat: c.lat, lng: c.lng, zoom: map.getZoom()};
        }"""
    )
    # Chartres spans about 48.42–48.47 N, 1.44–1.53 E.
    assert 48.40 < view["lat"] < 48.49 and 1.42 < view["lng"] < 1.55
    assert view["zoom"] > zoom_before + 2


def test_epci_limits_on_a_toggle(page, served_territory):
    page.goto(served_territory + "/")
    expect(drawn_communes(page)).to_have_count(363)
    page.get_by_text("Limites des EPCI").click()
    expect(page.locator("#map-status")).to_have_text("12 EPCI affichés.")
    expect(page.locator("#territory-map path.hub-epci")).to_have_count(12)
    page.get_by_text("Limites des EPCI").click()
    expect(page.locator("#territory-map path.hub-epci")).to_have_count(0)


def test_home_page_has_no_accessibility_violation(page, served_territory, axe):
    page.goto(served_territory + "/?q=Chartres")
    expect(page.locator("#map-status")).to_contain_text("Chartres")
    assert axe(page) == []


def test_login_page_has_no_accessibility_violation(page, live_server, axe):
    page.goto(live_server.url + "/comptes/connexion/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")
    page.get_by_role("button", name="Se connecter").click()  # empty: errors beside the fields
    expect(page.locator(".fr-error-text").first).to_be_visible()
    assert axe(page) == []
