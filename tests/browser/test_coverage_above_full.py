"""In Chromium: a commune whose rate is above 100 % explains it in its map popup (ARCEP's note),
a commune below does not."""

import pytest
from playwright.sync_api import expect

from cartography.coverage import ABOVE_FULL_NOTE
from cartography.importers.coverage import load_demo_coverage
from cartography.importers.territory import TerritorySources, import_territory
from tests.browser.helpers import wait_until_still
from tests.browser.test_coverage_map import map_point

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
GAS = (48.56597, 1.66939)  # a point inside Gas (28172): 361 premises ready for 348 counted
CHARTRES = (48.4469, 1.4890)


@pytest.fixture
def site(transactional_db, live_server):
    import_territory("28", TerritorySources.demo())
    load_demo_coverage()
    return live_server.url


def popup_of(page, lat, lng):
    page.evaluate(f"window['leafletmapcoverage-map'].setView([{lat}, {lng}], 12)")
    wait_until_still(page)
    page.mouse.click(*map_point(page, lat, lng))
    return page.locator("#coverage-map .leaflet-popup-content")


def test_the_popup_of_a_commune_above_100_percent_explains_it(page, site):
    page.goto(site + "/couverture/?periode=T1+2018")
    expect(page.locator("#map-status")).to_contain_text("363 communes")
    popup = popup_of(page, *GAS)
    expect(popup.locator("strong")).to_have_text("Gas")
    expect(popup).to_contain_text("103,7")
    expect(popup).to_contain_text(ABOVE_FULL_NOTE)
    page.evaluate("window['leafletmapcoverage-map'].closePopup()")
    expect(page.locator("#coverage-map .leaflet-popup")).to_have_count(0)
    popup = popup_of(page, *CHARTRES)
    expect(popup.locator("strong")).to_have_text("Chartres")
    expect(popup).not_to_contain_text("peut dépasser 100")
