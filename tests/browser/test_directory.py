"""The public directory in a real headless Chromium: find help for a need near a commune."""

import pytest
from playwright.sync_api import expect

from actors.demo import load_demo_places
from cartography.importers.territory import TerritorySources, import_territory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def served_directory(transactional_db, live_server):
    import_territory("28", TerritorySources.demo())
    load_demo_places()
    return live_server.url


def test_the_public_searches_by_need_and_commune_and_opens_a_place(page, served_directory):
    page.goto(served_directory + "/lieux/")
    page.get_by_label("Besoin").select_option("Aide aux démarches administratives")
    page.get_by_label("Commune, code INSEE ou adresse").fill("Dreux")
    page.get_by_label("Distance").select_option("10")
    page.get_by_role("button", name="Rechercher").click()

    results = page.locator("#results h3 a")
    expect(results.first).to_have_text("Conseiller numérique du CCAS de Dreux")
    expect(page.locator("#results-title")).to_contain_text("du plus proche au plus éloigné")
    expect(page.locator("#map-status")).to_contain_text("lieu(x) sur la carte")
    assert page.locator("#places-map .leaflet-marker-icon").count() >= 1

    results.first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Conseiller numérique du CCAS de Dreux"
    )
    expect(page.locator("#open-now")).to_contain_text("maintenant")
    expect(page.get_by_role("link", name="Signaler une erreur sur cette fiche")).to_be_visible()


def test_the_directory_list_works_without_javascript(browser, served_directory):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served_directory + "/lieux/?lieu=28134")
    expect(page.locator("#results h3 a")).to_have_count(3)
    context.close()


def test_directory_and_place_pages_have_no_accessibility_violation(page, served_directory, axe):
    page.goto(
        served_directory + "/lieux/?besoin=Aide+aux+d%C3%A9marches+administratives&lieu=Atlantide"
    )
    expect(page.locator(".fr-error-text")).to_contain_text("Atlantide")
    assert axe(page) == []
    page.goto(served_directory + "/lieux/?lieu=Chartres&distance=20")
    expect(page.locator("#map-status")).to_contain_text("sur la carte")
    assert axe(page) == []
    page.locator("#results h3 a").first.click()
    expect(page.locator("#open-now")).to_be_visible()
    assert axe(page) == []
