"""Maps that stand alone, in Chromium without a tile server (as behind an administration's
proxy): every map draws the hub's own communes, outlines and names; markers are named after
their place and reached by keyboard; the zoom buttons look like buttons; school levels are told
by shape and words as well as colour."""

import itertools
import math
import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from accounts import roles
from accounts.services import grant
from actors.models import Place
from cartography.importers.postal_codes import DEMO_FILE, import_postal_codes
from cartography.models import Commune
from tests.browser import test_territory_page
from tests.browser.helpers import wait_until_still
from tests.browser.test_schools import PASSWORD, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
site = test_territory_page.site  # Eure-et-Loir as the demo has it
DREUX_PLACE = "Conseiller numérique du CCAS de Dreux"


@pytest.fixture
def agent(site):
    """A DSDEN agent of 28, for the schools map."""
    user = get_user_model().objects.create_user("agent", "agent@dsden.fr", PASSWORD)
    grant(user, roles.DSDEN_STAFF, (roles.DEPARTEMENT, "28"))
    return "agent"


def map_pages():
    place = Place.objects.get(name=DREUX_PLACE)
    return [
        ("/", "territory-map"),
        ("/lieux/", "places-map"),
        (f"/lieux/{place.pk}/", "place-map"),
        ("/couverture/", "coverage-map"),
        ("/tableaux-de-bord/public/", "dashboard-map"),
        ("/diagnostic/", "diagnostic-map"),
        ("/ecoles/", "schools-map"),  # DSDEN staff only: last, once signed in
    ]


def test_every_map_shows_the_communes_and_their_names_without_a_tile_server(browser, site, agent):
    names = set(Commune.objects.values_list("name", flat=True))
    page = log_in(browser, site, agent)
    for path, map_id in map_pages():
        page.goto(site + path)
        container = page.locator(f"#{map_id}")
        expect(container).to_have_attribute("data-base-communes", "363")
        assert container.locator(".leaflet-tile").count() == 0, path
        outlines = container.locator(".leaflet-hubBase-pane path")
        assert outlines.count() == 363, path
        # Drawn, in the light grey of a background, not hidden beneath an empty box.
        drawn = outlines.evaluate_all(
            """paths => paths.filter(p => {
                const box = p.getBoundingClientRect();
                return box.width > 0 && box.height > 0 && p.getAttribute('stroke') === '#929292';
            }).length"""
        )
        assert drawn > 0, path
        labels = container.locator(".hub-base-label")
        expect(labels.first).to_be_visible()
        shown = set(labels.all_text_contents())
        assert shown and shown <= names, path
    # The place page shows the place among its commune and the neighbouring ones.
    page.goto(site + map_pages()[2][0])
    expect(
        page.locator("#place-map .hub-base-label", has_text=re.compile("^Dreux$"))
    ).to_be_visible()
    expect(page.locator("#place-map .hub-base-label")).not_to_have_count(1)


def test_a_place_marker_is_named_after_the_place_and_reached_by_keyboard(page, site):
    place = Place.objects.get(name=DREUX_PLACE)
    page.goto(site + f"/lieux/{place.pk}/")
    marker = page.get_by_role("button", name=DREUX_PLACE)
    expect(marker).to_be_visible()
    page.locator("#place-map").focus()
    page.keyboard.press("Tab")
    expect(marker).to_be_focused()
    assert page.get_by_role("button", name="Marker").count() == 0
    # Zoomed in, the outlines are asked again, finer (neighbours' borders would part), for the
    # communes around the view only.
    with page.expect_response(
        lambda r: "/api/communes/" in r.url and "zoom=1" in r.url and "bbox=" in r.url
    ):
        for _ in range(2):
            page.get_by_role("button", name="Zoom in").click()
            wait_until_still(page)
    expect(page.locator("#place-map .leaflet-hubBase-pane path")).to_have_count(363)


def test_directory_markers_and_clusters_by_keyboard(page, site):
    place = Place.objects.get(name=DREUX_PLACE)
    page.goto(site + "/lieux/")
    expect(page.locator("#map-status")).to_contain_text("sur la carte")
    wait_until_still(page)
    # Clusters say how many places they hold; Enter zooms into one as a click does.
    cluster = page.get_by_role("button", name=re.compile(r"^\d+ lieux : zoomer pour les voir$"))
    expect(cluster.first).to_be_visible()
    zoom = page.evaluate("window['leafletmapplaces-map'].getZoom()")
    cluster.first.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("z => window['leafletmapplaces-map'].getZoom() > z", arg=zoom)
    assert page.get_by_role("button", name="Marker").count() == 0

    # Close to the place, its marker stands alone: Tab reaches it, Enter opens its popup with
    # the focus on its link, Escape closes it and gives the focus back.
    lat, lng = place.location.y, place.location.x
    page.evaluate(f"window['leafletmapplaces-map'].setView([{lat}, {lng}], 18)")
    wait_until_still(page)
    marker = page.get_by_role("button", name=DREUX_PLACE)
    expect(marker).to_be_visible()
    page.locator("#places-map").focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        if marker.evaluate("m => m === document.activeElement"):
            break
    expect(marker).to_be_focused()
    page.keyboard.press("Enter")
    link = page.locator("#places-map .leaflet-popup-content").get_by_role("link", name=DREUX_PLACE)
    expect(link).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#places-map .leaflet-popup")).to_have_count(0)
    expect(marker).to_be_focused()


def test_the_home_popup_gives_postal_codes_and_a_list_sits_beside_the_map(page, site):
    import_postal_codes(DEMO_FILE)
    cintray = Commune.objects.get(name="Cintray")  # INSEE 28100, postal code 28300
    point = cintray.geometry.point_on_surface.transform(4326, clone=True)
    page.goto(site + "/")
    expect(page.locator("#map-status")).to_contain_text("communes affichées")
    page.evaluate(f"window['leafletmapterritory-map'].setView([{point.y}, {point.x}], 12)")
    wait_until_still(page)
    test_territory_page.click_on(page, "territory-map", point.y, point.x)
    popup = page.locator("#territory-map .leaflet-popup-content")
    expect(popup.locator("strong")).to_have_text("Cintray (28300)")
    expect(popup).not_to_contain_text(cintray.code)
    # The map's list, folded beside it, one click away.
    communes = page.locator("#communes-list")
    expect(communes.get_by_role("link", name="Cintray (28300)")).to_be_hidden()
    page.get_by_text("Les 363 communes de Eure-et-Loir en liste").click()
    expect(communes.get_by_role("link", name="Cintray (28300)")).to_be_visible()


def test_the_zoom_buttons_look_like_buttons(page, site):
    page.goto(site + "/lieux/")
    for name in ("Zoom in", "Zoom out"):
        button = page.locator(f"#places-map a[title='{name}']")
        style = button.evaluate(
            "b => { const s = getComputedStyle(b); return [s.backgroundImage, s.textDecorationLine]; }"
        )
        assert style == ["none", "none"], name  # the DSFR's link underline struck them through


def test_school_levels_are_told_by_shape_and_words_as_well_as_colour(browser, site, agent):
    page = log_in(browser, site, agent)
    page.goto(site + "/ecoles/")
    expect(page.locator("#map-status")).to_contain_text("écoles sur la carte")
    legend = page.locator("#schools-legend li")
    texts = legend.all_text_contents()
    assert texts[0] == "sans réponse" and texts[1].startswith("niveau 0 : ")
    shapes = legend.locator("svg path").evaluate_all("paths => paths.map(p => p.getAttribute('d'))")
    assert len(shapes) == len(texts) == len(set(shapes))  # one distinct shape per class
    # A marker's shape is its class's in the legend, and a screen reader hears the class.
    level_2 = page.get_by_role("button", name=re.compile(r", niveau 2 : Équipée$")).first
    expect(level_2).to_be_visible()
    assert level_2.locator("path").get_attribute("d") == shapes[3]
    # Colour-blind safe: any two classes stay apart as a deuteranope or a protanope sees them
    # (the former red-to-green scale came as close as 22).
    colours = legend.locator("svg path").evaluate_all(
        "paths => paths.map(p => p.getAttribute('fill'))"
    )
    for deficiency in DEFICIENCIES.values():
        seen = [as_seen(colour, deficiency) for colour in colours]
        assert min(math.dist(a, b) for a, b in itertools.combinations(seen, 2)) > 50


# Viénot, Brettel and Mollon's dichromat simulation in linear RGB: red and green become one
# axis (weights of red and green), blue barely moves (weight of red minus green).
DEFICIENCIES = {
    "deuteranopia": (0.29275, 0.70725, -0.02234),
    "protanopia": (0.11238, 0.88762, 0.00401),
}


def as_seen(colour: str, deficiency: tuple) -> list[float]:
    """An sRGB colour (#rrggbb) as a dichromat sees it, in sRGB (0–255)."""

    def linear(c):
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    def encoded(c):
        c = min(max(c, 0.0), 1.0)
        return 255 * (12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055)

    r, g, b = (linear(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    kr, kg, kb = deficiency
    red_green = kr * r + kg * g
    return [encoded(red_green), encoded(red_green), encoded(kb * r - kb * g + b)]
