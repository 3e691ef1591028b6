"""The hours editor with the keyboard only, in Chromium: Tab into the grid, type 24-hour times,
copy a day to the others with Enter and Space, submit, read the hours in French; a wrong day
gets the focus and says what is wrong."""

import pytest
from playwright.sync_api import expect

from actors.models import Place
from tests.browser import test_space

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
site = test_space.site  # the fablab, and lea who keeps its listing
PASSWORD = test_space.PASSWORD


def open_editor(page, site):
    page.goto(site["url"] + "/comptes/connexion/")
    page.get_by_label("Nom d’utilisateur").fill("lea")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "connexion" not in url)
    page.goto(f"{site['url']}/espace/lieux/{site['fablab'].pk}/modifier/")


def tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab until `selector` has the focus (fails if it never gets it)."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never got the focus with Tab")


def value(page, label: str) -> str:
    return page.get_by_label(label, exact=True).input_value()


def test_keyboard_only_hours_with_copy_to_other_days(page, site, axe):
    open_editor(page, site)
    # Saturday's hours to every other day, with Enter on its button.
    tab_to(page, 'button[data-copy-from="Sa"][data-copy-to="all"]')
    expect(page.locator(":focus")).to_have_accessible_name(
        "Copier sur les autres jours : horaires du samedi"
    )
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text(
        "Horaires du samedi copiés sur les six autres jours."
    )
    assert value(page, "Dimanche, ouverture du matin") == "10:00"
    assert value(page, "Mercredi, fermeture de l’après-midi") == ""  # Saturday's was empty

    # Back to Monday, typed as people type, then copied Monday to Friday with Space.
    page.keyboard.press("Shift+Tab")
    tab_to(page, "#id_hours-Mo_1_start")
    for text in ("0900", "12:00", "14h", "17:30"):
        page.keyboard.press("Control+A")
        page.keyboard.type(text)
        page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_accessible_name(
        "Copier du lundi au vendredi : horaires du lundi"
    )
    page.keyboard.press("Space")
    assert value(page, "Vendredi, ouverture du matin") == "0900"
    assert value(page, "Mardi, fermeture de l’après-midi") == "17:30"
    assert value(page, "Samedi, ouverture du matin") == "10:00"  # weekend untouched
    assert axe(page) == []

    # Submitted from a field with Enter.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Fablab de Chartres")
    expect(page.get_by_role("row", name="Lundi 9 h – 12 h, 14 h – 17 h 30")).to_be_visible()
    expect(page.get_by_role("row", name="Dimanche 10 h – 18 h")).to_be_visible()
    place = Place.objects.get(pk=site["fablab"].pk)
    assert place.opening_hours == "Mo-Fr 09:00-12:00,14:00-17:30; Sa,Su 10:00-18:00"


def test_a_wrong_day_gets_the_focus_and_says_why(page, site, axe):
    open_editor(page, site)
    tab_to(page, "#id_hours-Tu_1_start")
    page.keyboard.type("18:00")
    page.keyboard.press("Tab")
    page.keyboard.type("08:00")
    page.keyboard.press("Enter")

    message = "Mardi : la fermeture du matin doit être après l’ouverture."
    focused = page.locator(":focus")
    expect(focused).to_have_id("id_hours-Tu_1_end")
    expect(focused).to_have_accessible_name("Mardi, fermeture du matin")
    expect(focused).to_have_accessible_description(
        "Heures sur 24 heures, par exemple 09:00 ou 14:30. Laissez vides les créneaux et les "
        f"jours de fermeture ; une journée continue tient dans le créneau du matin. {message}"
    )
    expect(page.locator("#hours-Tu .fr-error-text")).to_have_text(message)
    expect(page.get_by_role("link", name=message)).to_be_visible()  # in the error summary
    assert axe(page) == []
    assert Place.objects.get(pk=site["fablab"].pk).opening_hours == "We 14:00-19:00; Sa 10:00-18:00"


@pytest.mark.parametrize("width", [375])
def test_the_grid_fits_a_phone(page, site, width, axe):
    page.set_viewport_size({"width": width, "height": 800})
    open_editor(page, site)
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1]  # nothing spills sideways
    box = page.get_by_label("Lundi, fermeture de l’après-midi", exact=True).bounding_box()
    assert box["x"] + box["width"] <= width
    assert axe(page) == []


def test_without_javascript_the_grid_saves_and_no_dead_button_shows(browser, site):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    open_editor(page, site)
    expect(page.get_by_role("button", name="Copier sur les autres jours")).to_have_count(0)
    page.get_by_label("Jeudi, ouverture du matin", exact=True).fill("9h30")
    page.get_by_label("Jeudi, fermeture du matin", exact=True).fill("12")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("row", name="Jeudi 9 h 30 – 12 h")).to_be_visible()
    context.close()
