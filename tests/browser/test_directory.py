"""The public directory in a real headless Chromium: find help for a need near a commune."""

import pytest
from playwright.sync_api import expect

from actors.demo import load_demo_places
from cartography.importers.postal_codes import load_demo_postal_codes
from cartography.importers.territory import TerritorySources, import_territory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def served_directory(transactional_db, live_server):
    import_territory("28", TerritorySources.demo())
    load_demo_postal_codes()
    load_demo_places()
    return live_server.url


CHARTRES_PLACES = [
    "Conseiller numérique du CCAS de Chartres",
    "Espace public numérique de la médiathèque de Chartres",
    "Fablab de Chartres",
]


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 375, "height": 812})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.mark.parametrize("typed", ["28000", "Chartre", "chartres"])
def test_on_a_phone_a_postal_code_or_a_typo_finds_chartres_and_focus_is_on_the_results(
    phone, served_directory, typed
):
    phone.goto(served_directory + "/lieux/")
    phone.get_by_label("Commune ou code postal").fill(typed)
    phone.get_by_role("button", name="Rechercher").click()
    heading = phone.locator("#resultats")
    expect(heading).to_contain_text("3 lieux pour")
    expect(heading).to_be_focused()
    assert sorted(phone.locator("#results h3 a").all_text_contents()) == CHARTRES_PLACES
    # The results are in view, not below a screen and a half of form.
    box = phone.locator("#results h3").first.bounding_box()
    assert 0 <= box["y"] < 812
    # The next Tab reaches the results, not the header's links.
    for _ in range(6):
        phone.keyboard.press("Tab")
        if phone.evaluate("document.activeElement.closest('#results') !== null"):
            break
    else:
        raise AssertionError("six Tab presses from the heading did not reach a result")
    # Each result tells open or closed now and the phone number.
    first = phone.locator("#results .hub-result").first
    expect(first).to_contain_text("maintenant")
    expect(first.locator("a[href^='tel:']")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375 + 5


def test_on_a_phone_a_link_to_a_search_shows_results_first(phone, served_directory):
    phone.goto(served_directory + "/lieux/?lieu=28000")  # a shared link, without #resultats
    first = phone.locator("#results h3").first
    expect(first).to_be_visible()
    assert first.bounding_box()["y"] < 812  # in the first screen: the criteria are folded
    expect(phone.get_by_label("Commune ou code postal")).to_be_hidden()
    phone.get_by_text("Critères de recherche : 28000 (Chartres)").click()
    expect(phone.get_by_label("Commune ou code postal")).to_have_value("28000")


def test_on_a_phone_an_empty_search_says_why_and_widens_in_one_click(phone, served_directory):
    phone.goto(served_directory + "/lieux/")
    phone.get_by_label("Besoin").select_option("Loisirs et créations numériques")
    phone.get_by_label("Commune ou code postal").fill("Bonneval")
    phone.get_by_label("Distance").select_option("2")
    phone.get_by_role("button", name="Rechercher").click()
    expect(phone.locator("#resultats")).to_have_text("Aucun lieu ne correspond à votre recherche")
    expect(phone.locator("#resultats")).to_be_focused()
    expect(phone.locator("#no-result")).to_contain_text("à moins de 2 km de Bonneval")
    expect(phone.locator("#nearest li").first).to_contain_text("Châteaudun")
    phone.locator("#widen").click()
    expect(phone.locator("#resultats")).to_contain_text("du plus proche au plus éloigné")
    expect(phone.locator("#results h3 a").first).to_have_text(
        "Espace public numérique de la médiathèque de Châteaudun"
    )


def test_more_criteria_fold_and_do_not_spill_on_a_phone(phone, served_directory):
    phone.goto(served_directory + "/lieux/")
    expect(phone.get_by_label("Mots-clés")).to_be_hidden()
    phone.get_by_text("Plus de critères").click()
    expect(phone.get_by_label("Niveau d’accompagnement")).to_be_visible()
    assert phone.evaluate(
        "[...document.querySelectorAll('details.hub-more *')]"
        ".every(e => e.getBoundingClientRect().right <= window.innerWidth)"
    )


def test_around_me_is_hidden_without_javascript(browser, served_directory):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    for url in ("/lieux/", "/"):
        page.goto(served_directory + url)
        expect(page.locator("#around-me")).to_be_hidden()
    context.close()


def test_the_public_searches_by_need_and_commune_and_opens_a_place(page, served_directory):
    page.goto(served_directory + "/lieux/")
    page.get_by_label("Besoin").select_option("Aide aux démarches administratives")
    page.get_by_label("Commune ou code postal").fill("Dreux")
    page.get_by_label("Distance").select_option("10")
    page.get_by_role("button", name="Rechercher").click()

    results = page.locator("#results h3 a")
    expect(results.first).to_have_text("Conseiller numérique du CCAS de Dreux")
    expect(page.locator("#resultats")).to_contain_text("du plus proche au plus éloigné")
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


def test_around_me_on_a_phone_brings_the_nearest_places_into_view(browser, served_directory):
    context = browser.new_context(
        locale="fr-FR",
        viewport={"width": 375, "height": 812},
        geolocation={"latitude": 48.4469, "longitude": 1.4890},  # Chartres' centre
        permissions=["geolocation"],
    )
    phone = context.new_page()
    phone.goto(served_directory + "/lieux/")
    phone.get_by_role("button", name="Autour de moi").click()
    heading = phone.locator("#resultats")
    expect(heading).to_contain_text("du plus proche au plus éloigné")
    expect(heading).to_be_focused()
    box = phone.locator("#results h3").first.bounding_box()
    assert 0 <= box["y"] < 812
    assert phone.locator("#results h3 a").first.text_content() in CHARTRES_PLACES
    context.close()


def test_phone_pages_have_no_accessibility_violation(phone, served_directory, axe):
    phone.goto(served_directory + "/lieux/?lieu=Bonneval&distance=2&ouvert_samedi=on#resultats")
    expect(phone.locator("#no-result")).to_be_visible()
    assert axe(phone) == []
    phone.goto(served_directory + "/lieux/?lieu=Chartre#resultats")
    expect(phone.locator("#suggestions")).to_be_visible()
    assert axe(phone) == []
    phone.goto(served_directory + "/")
    expect(phone.locator("#directory-form")).to_be_visible()
    assert axe(phone) == []
