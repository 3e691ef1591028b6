"""Every public page, on the demo `bin/hub run` loads, passes axe-core (WCAG 2.1 A and AA) on a
desktop (1 280 px) and a phone (375 px): the pages the accessibility declaration lists as
checked (hub.legal.CHECKED_PAGES), so the declaration says what this test does; none is wider
than the phone. Wide tables scroll under the keyboard; the footer leads to the legal pages; the
API documentation asks nothing of another site."""

import io
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.core.management import call_command
from playwright.sync_api import expect

from actors.models import Place
from cartography.models import Commune
from hub.legal import CHECKED_PAGES
from trainings.models import Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = (1280, 375)


@pytest.fixture
def demo(transactional_db, live_server):
    """The demo as `bin/hub run` loads it (as the crawl loads it), served by the live server."""
    cache.clear()  # no rate limit counted yet, nothing cached from another test's data
    call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())
    yield live_server.url
    cache.clear()


def _checked_pages() -> list[tuple[str, str]]:
    chartres = Commune.objects.select_related("epci").get(code="28085")
    objects = {
        "place": Place.objects.filter(commune=chartres).order_by("pk").first().pk,
        "session": Session.objects.filter(is_demo=True, is_public=True, place__isnull=False)
        .order_by("pk")
        .first()
        .pk,
        "commune": chartres.code,
        "epci": chartres.epci.siren,
        "departement": "28",
    }
    return [(label, path.format(**objects)) for label, path in CHECKED_PAGES]


def test_no_public_page_has_an_accessibility_violation(browser, demo, axe):
    pages = _checked_pages()
    failures = []
    for width in WIDTHS:
        context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 900})
        page = context.new_page()
        page.set_default_timeout(30_000)
        for label, path in pages:
            page.goto(demo + path, wait_until="networkidle")  # map layers drawn
            # WCAG 1.4.10: on a phone the page itself never scrolls sideways (tables do).
            wide = page.evaluate("() => document.documentElement.scrollWidth")
            if wide > width:
                failures.append(f"{width} px {path} ({label}) : page large de {wide} px")
            for violation in axe(page):
                nodes = "\n      ".join(violation["nodes"])
                failures.append(
                    f"{width} px {path} ({label}) : {violation['id']} — {violation['help']}"
                    f"\n      {nodes}"
                )
        context.close()
    assert not failures, f"{len(failures)} violation(s) axe-core :\n" + "\n".join(failures)


def test_wide_tables_scroll_under_the_keyboard_on_a_phone(browser, demo):
    context = browser.new_context(locale="fr-FR", viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(demo + "/territoires/commune/28085/")
    region = page.get_by_role("region", name="Population municipale de Chartres").first
    expect(region).to_have_attribute("tabindex", "0")
    assert region.evaluate("r => r.scrollWidth > r.clientWidth")  # wider than the phone
    # Reached by Tab from the focusable element before it, then scrolled by the arrow keys.
    region.evaluate(
        """region => {
            const tabbable = [...document.querySelectorAll(
                'a[href], button, input, select, textarea, [tabindex="0"]')];
            tabbable[tabbable.indexOf(region) - 1].focus();
        }"""
    )
    page.keyboard.press("Tab")
    expect(region).to_be_focused()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.activeElement.scrollLeft > 0")
    context.close()


def test_the_footer_leads_to_the_legal_pages_on_a_phone(browser, live_server):
    context = browser.new_context(locale="fr-FR", viewport={"width": 375, "height": 800})
    page = context.new_page()
    for link, heading in [
        ("Plan du site", "Plan du site"),
        ("Accessibilité : partiellement conforme", "Déclaration d’accessibilité"),
        ("Mentions légales", "Mentions légales"),
        ("Données personnelles", "Données personnelles"),
    ]:
        page.goto(live_server.url + "/comptes/connexion/")
        page.get_by_role("contentinfo").get_by_role("link", name=link, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    context.close()


def test_the_api_documentation_is_french_and_asks_nothing_of_another_site(browser, live_server):
    context = browser.new_context(locale="fr-FR", viewport={"width": 375, "height": 800})
    page = context.new_page()
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(live_server.url + "/api/docs/", wait_until="networkidle")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Documentation de l’API")
    expect(page.get_by_role("heading", name="GET /api/communes/", exact=True)).to_be_visible()
    origin = urlsplit(live_server.url).netloc
    elsewhere = [url for url in asked if urlsplit(url).netloc not in (origin, "")]
    assert asked and not elsewhere, elsewhere
    context.close()
