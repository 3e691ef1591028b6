"""Hostile values from files reach the public maps and pages as text, never as HTML: a street
name or a place name written as an HTML tag shows as written and runs nothing."""

import pytest
from django.contrib.gis.geos import Point
from playwright.sync_api import expect

from actors.demo import load_demo_places
from actors.models import Place
from cartography.importers.coverage import load_demo_coverage
from cartography.importers.territory import TerritorySources, import_territory
from cartography.models import Building, Commune
from tests.browser.helpers import wait_until_still

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PAYLOAD = "<img src=x onerror=alert(1)>"
CHARTRES = (48.4469, 1.4890)


@pytest.fixture
def dialogs(page):
    """Every JavaScript dialog the page opens (an injected `alert(1)` opens one)."""
    seen = []

    def dismiss(dialog):
        seen.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    return seen


@pytest.fixture
def territory(transactional_db, live_server):
    import_territory("28", TerritorySources.demo())
    return live_server.url


def container_point(page, map_id, lat, lng):
    point = page.evaluate(
        "([id, lat, lng]) => window['leafletmap' + id].latLngToContainerPoint([lat, lng])",
        [map_id, lat, lng],
    )
    box = page.locator("#" + map_id).bounding_box()
    return box["x"] + point["x"], box["y"] + point["y"]


def test_a_building_street_and_a_commune_name_show_as_text_on_the_coverage_map(
    page, territory, dialogs
):
    load_demo_coverage()
    Commune.objects.filter(code="28085").update(name=PAYLOAD)
    Building.objects.create(
        identifier="IMB/28085/X/0001",
        location=Point(CHARTRES[1], CHARTRES[0], srid=4326),
        commune_code="28085",
        state="deploye",
        state_label="déployé",
        address=PAYLOAD,
        source="ipe",
    )
    page.goto(territory + "/couverture/")
    expect(page.locator("#map-status")).to_contain_text("363 communes")

    # The commune's tooltip, on hover.
    page.evaluate("window['leafletmapcoverage-map'].setView([48.4469, 1.4890], 12)")
    wait_until_still(page)
    page.mouse.move(*container_point(page, "coverage-map", 48.452, 1.500))
    tooltip = page.locator("#coverage-map .leaflet-tooltip")
    expect(tooltip).to_have_text(PAYLOAD)

    # The building's popup, from zoom 15.
    page.evaluate("window['leafletmapcoverage-map'].setView([48.4469, 1.4890], 17)")
    expect(page.locator("#map-status")).to_have_text("1 immeubles affichés.")
    wait_until_still(page)
    page.mouse.click(*container_point(page, "coverage-map", *CHARTRES))
    popup = page.locator("#coverage-map .leaflet-popup-content")
    expect(popup).to_have_text(PAYLOAD + " — déployé")

    assert page.locator("#coverage-map img[src='x']").count() == 0
    page.wait_for_timeout(300)
    assert dialogs == []


def test_a_place_name_shows_as_text_on_the_directory_map_and_its_page(page, territory, dialogs):
    load_demo_places()
    place = Place.objects.order_by("pk").first()
    Place.objects.filter(pk=place.pk).update(name=PAYLOAD)

    page.goto(territory + "/lieux/")
    expect(page.locator("#map-status")).to_contain_text("sur la carte")
    # Zoom in on the place's marker, out of its cluster, and open its popup.
    marker = """id => {
        const map = window['leafletmapplaces-map'];
        const cluster = Object.values(map._layers).find(l => l.getVisibleParent);
        return cluster.getLayers().find(l => String(l.feature.id) === String(id));
    }"""
    page.evaluate(
        f"id => window['leafletmapplaces-map'].setView(({marker})(id).getLatLng(), 18, "
        "{animate: false})",
        place.pk,
    )
    wait_until_still(page)
    page.evaluate(
        f"""id => {{
            const marker = ({marker})(id);
            const parent = marker.__parent._group.getVisibleParent(marker);
            if (parent && parent !== marker) parent.spiderfy();
        }}""",
        place.pk,
    )
    wait_until_still(page)
    page.evaluate(f"id => ({marker})(id).openPopup()", place.pk)
    popup = page.locator("#places-map .leaflet-popup-content")
    expect(popup.get_by_role("link")).to_have_text(PAYLOAD)

    page.goto(territory + f"/lieux/{place.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(PAYLOAD)
    assert page.locator("main img[src='x']").count() == 0
    page.wait_for_timeout(300)
    assert dialogs == []


def test_javascript_addresses_never_become_links_on_a_place_page(page, territory, dialogs):
    load_demo_places()
    place = Place.objects.order_by("pk").first()
    # Written as rows from before the import check, or by hand in the admin, could be.
    Place.objects.filter(pk=place.pk).update(
        website="javascript:alert(1)",
        appointment_url="JavaScript:alert(2)",
        acceslibre_url="data:text/html,<script>alert(3)</script>",
    )
    page.goto(territory + f"/lieux/{place.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(place.name)
    hrefs = page.locator("a[href]").evaluate_all("links => links.map(a => a.href)")
    assert not [h for h in hrefs if h.lower().startswith(("javascript:", "data:"))]
    expect(page.get_by_text("Prendre rendez-vous en ligne")).to_have_count(0)
    page.wait_for_timeout(300)
    assert dialogs == []
