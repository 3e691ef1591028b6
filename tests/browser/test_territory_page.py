"""A territory page in Chromium: reached by the public from a commune of the home map and of
the coverage map, and accessible."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from accounts import roles
from accounts.services import ensure_role_groups, grant
from actors.demo import load_demo_places
from cartography.importers.coverage import load_demo_coverage
from cartography.importers.territory import TerritorySources, import_territory
from equipment.demo import load_demo_census, load_demo_schools
from indicators.registry import recompute
from tests.browser.helpers import wait_until_still

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHARTRES = (48.4469, 1.4890)
PASSWORD = "un-mot-de-passe-2026"


@pytest.fixture
def site(transactional_db, live_server):
    """Eure-et-Loir as the demo has it: places, coverage, schools and their census, computed."""
    import_territory("28", TerritorySources.demo())
    load_demo_coverage()
    load_demo_places()
    load_demo_schools()
    load_demo_census()
    recompute()
    ensure_role_groups()
    return live_server.url


def click_on(page, map_id, lat, lng):
    page.locator(f"#{map_id}").scroll_into_view_if_needed()  # below the search on the home page
    point = page.evaluate(
        f"([lat, lng]) => window['leafletmap{map_id}'].latLngToContainerPoint([lat, lng])",
        [lat, lng],
    )
    box = page.locator(f"#{map_id}").bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


def test_the_public_clicks_a_commune_on_the_home_map_and_lands_on_its_page(page, site, axe):
    page.goto(site + "/")
    expect(page.locator("#map-status")).to_have_text("363 communes affichées.")
    page.evaluate(f"window['leafletmapterritory-map'].setView({list(CHARTRES)}, 12)")
    wait_until_still(page)
    click_on(page, "territory-map", *CHARTRES)
    popup = page.locator("#territory-map .leaflet-popup-content")
    expect(popup.locator("strong")).to_have_text("Chartres")
    popup.get_by_role("link", name="Portrait du territoire : Chartres").click()

    expect(page).to_have_url(site + "/territoires/commune/28085/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chartres")
    expect(page.locator("#bloc-population")).to_contain_text("38 324 habitants")
    expect(page.locator("#bloc-fibre")).to_contain_text("Part des locaux raccordables à la fibre")
    assert axe(page) == []


def test_a_commune_of_the_coverage_map_links_to_its_page(page, site):
    page.goto(site + "/couverture/")
    expect(page.locator("#map-status")).to_contain_text("363 communes")
    page.evaluate(f"window['leafletmapcoverage-map'].setView({list(CHARTRES)}, 12)")
    wait_until_still(page)
    click_on(page, "coverage-map", *CHARTRES)
    popup = page.locator("#coverage-map .leaflet-popup-content")
    expect(popup.locator("strong")).to_have_text("Chartres")
    popup.get_by_role("link", name="Portrait du territoire : Chartres").click()
    expect(page).to_have_url(site + "/territoires/commune/28085/")


def test_an_epci_page_has_no_accessibility_violation(page, site, axe):
    page.goto(site + "/territoires/epci/200033181/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chartres Métropole")
    assert axe(page) == []


def test_dsden_staff_see_the_schools_one_by_one_on_an_accessible_page(page, site, axe):
    user = get_user_model().objects.create_user("dsden", "dsden@ac-orleans-tours.fr", PASSWORD)
    grant(user, roles.DSDEN_STAFF, (roles.DEPARTEMENT, "28"))
    page.goto(site + "/comptes/connexion/")
    page.get_by_label("Nom d’utilisateur").fill("dsden")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se connecter")).to_have_count(0)
    page.goto(site + "/territoires/commune/28085/")
    expect(page.locator("#ecoles-detail tbody tr").first).to_be_visible()
    expect(page.locator("#bloc-equipement")).to_contain_text("Déploiements d’équipement")
    assert axe(page) == []
