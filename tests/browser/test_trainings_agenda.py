"""The agenda of workshops in a real headless Chromium: a parent finds a workshop near Dreux on a
phone (by typing the commune, or "Autour de moi"); axe-core finds nothing on the agenda and a
session's page at 1 280 and 375 px."""

import pytest
from playwright.sync_api import expect

from accounts.demo import load_demo_accounts
from actors.demo import load_demo_memberships, load_demo_places
from cartography.importers.postal_codes import load_demo_postal_codes
from cartography.importers.territory import TerritorySources, import_territory
from trainings.demo import load_demo_trainings
from trainings.models import Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARENTS_WORKSHOP = "Parents : le temps d’écran de vos enfants (démonstration)"
DREUX = {"latitude": 48.7370, "longitude": 1.3653}


@pytest.fixture
def served_agenda(transactional_db, live_server):
    import_territory("28", TerritorySources.demo())
    load_demo_postal_codes()
    load_demo_places()
    load_demo_accounts()
    load_demo_memberships()
    load_demo_trainings()
    return live_server.url


def phone_context(browser, **options):
    return browser.new_context(locale="fr-FR", viewport={"width": 375, "height": 812}, **options)


def test_a_parent_finds_a_workshop_near_dreux_on_a_phone(browser, served_agenda):
    context = phone_context(browser)
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    phone.goto(served_agenda + "/")
    phone.get_by_role("button", name="Menu").click()
    phone.get_by_role("link", name="Ateliers").first.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Ateliers et formations")
    phone.get_by_label("Commune ou code postal").fill("Dreux")
    phone.get_by_label("Public").select_option("parents")
    phone.get_by_role("button", name="Chercher un atelier").click()
    heading = phone.locator("#resultats")
    expect(heading).to_contain_text("près de Dreux")
    expect(heading).to_be_focused()
    links = phone.locator(".hub-sessions h3 a")
    titles = set(links.all_text_contents())
    assert titles == {PARENTS_WORKSHOP}  # parents only; the seniors' workshops are left out
    # The page is not wider than the phone; the first result is in view.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    links.first.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(PARENTS_WORKSHOP)
    expect(phone.locator("#seats")).to_contain_text("places disponibles sur")
    expect(phone.get_by_role("link", name="Ajouter à mon agenda (iCalendar)")).to_be_visible()
    context.close()


def test_around_me_lists_the_workshops_near_the_phone(browser, served_agenda):
    context = phone_context(browser, geolocation=DREUX, permissions=["geolocation"])
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    phone.goto(served_agenda + "/ateliers/")
    phone.get_by_role("button", name="Autour de moi").click()
    heading = phone.locator("#resultats")
    expect(heading).to_contain_text("autour de vous")
    titles = set(phone.locator(".hub-sessions h3 a").all_text_contents())
    assert PARENTS_WORKSHOP in titles
    assert "Premiers pas avec son smartphone (démonstration)" not in titles  # Châteaudun
    context.close()


def test_without_javascript_around_me_is_hidden_and_the_search_works(browser, served_agenda):
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    page.goto(served_agenda + "/ateliers/")
    expect(page.get_by_role("button", name="Autour de moi")).to_be_hidden()
    page.get_by_label("Commune ou code postal").fill("28100")
    page.get_by_role("button", name="Chercher un atelier").click()
    expect(page.locator("#resultats")).to_contain_text("près de 28100")
    context.close()


def test_agenda_and_session_page_have_no_accessibility_violation(browser, served_agenda, axe):
    session = Session.objects.filter(is_public=True, place__isnull=False).first()
    failures = []
    for width in (1280, 375):
        context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 900})
        page = context.new_page()
        page.set_default_timeout(30_000)
        for path in (
            "/ateliers/",
            "/ateliers/?lieu=Dreux&public=parents",
            "/ateliers/?lieu=Zzyzx",
            f"/ateliers/{session.pk}/",
        ):
            page.goto(served_agenda + path, wait_until="networkidle")
            wide = page.evaluate("() => document.documentElement.scrollWidth")
            if wide > width:
                failures.append(f"{width} px {path} : page large de {wide} px")
            failures += [f"{width} px {path} : {v['id']} — {v['help']}" for v in axe(page)]
        context.close()
    assert not failures, "\n".join(failures)
