"""The demo's generated per-building file, in Chromium: the coverage map shows the buildings
of a few streets of Chartres from zoom 15."""

import pytest
from playwright.sync_api import expect

from cartography.demo_buildings import load_demo_buildings
from cartography.importers.coverage import load_demo_coverage
from cartography.importers.territory import TerritorySources, import_territory
from tests.browser.helpers import wait_until_still

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_coverage_map_shows_the_demo_buildings_at_zoom_15(page, live_server):
    import_territory("28", TerritorySources.demo())
    load_demo_coverage()
    load_demo_buildings()
    page.goto(live_server.url + "/couverture/")
    expect(page.locator("#map-status")).to_contain_text("363 communes")
    page.evaluate("window['leafletmapcoverage-map'].setView([48.4462, 1.4852], 12)")
    wait_until_still(page)
    expect(page.locator("#map-status")).to_contain_text("communes colorées")
    asked = []
    page.on("request", lambda r: asked.append(r.url) if "/coverage/buildings/" in r.url else None)
    page.evaluate("window['leafletmapcoverage-map'].setView([48.4462, 1.4852], 15)")
    expect(page.locator("#map-status")).to_have_text("72 immeubles affichés.")
    features = page.request.get(asked[-1]).json()["features"]
    assert len(features) == 72
    assert all(f["id"].startswith("IMB/28085/DEMO/") for f in features)
