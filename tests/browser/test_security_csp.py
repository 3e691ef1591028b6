"""The main pages work under the Content-Security-Policy: no violation reported by Chromium."""

import pytest
from playwright.sync_api import expect

from actors.demo import load_demo_places
from actors.models import Place
from cartography.importers.coverage import load_demo_coverage
from cartography.importers.territory import TerritorySources, import_territory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Chromium fires this event for every blocked script, style, image or connection.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture
def site(transactional_db, live_server):
    import_territory("28", TerritorySources.demo())
    load_demo_coverage()
    load_demo_places()
    return live_server.url


def test_main_pages_run_without_any_csp_violation(page, site):
    errors = []
    page.on(
        "console",
        lambda m: m.type == "error" and "Content Security Policy" in m.text and errors.append(m),
    )
    page.add_init_script(LISTEN)
    place = Place.objects.order_by("pk").first()
    checks = {
        "/": ("#map-status", "363 communes affichées."),
        "/lieux/": ("#map-status", "19 lieu(x) et 5 arrêt(s) de lieux itinérants sur la carte."),
        "/couverture/": ("#map-status", "363 communes colorées pour T1 2018."),
        f"/lieux/{place.pk}/": ("h1", place.name),
    }
    for path, (selector, text) in checks.items():
        response = page.goto(site + path)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        expect(page.locator(selector).first).to_contain_text(text)
        page.wait_for_timeout(300)
        assert page.evaluate("window.__violations") == [], path
    # The place page's small map started too (from map-init.js, not an inline script).
    expect(page.locator("#place-map .leaflet-marker-icon:not(.hub-base-label)")).to_have_count(1)

    page.goto(site + "/api/docs/")
    expect(page.get_by_role("heading", name="Documentation de l’API", level=1)).to_be_visible()
    page.wait_for_timeout(500)
    assert page.evaluate("window.__violations") == []
    assert [m.text for m in errors] == []


def test_the_admin_map_widget_runs_under_the_policy(page, site):
    from django.contrib.auth import get_user_model

    from cartography.models import Commune

    get_user_model().objects.create_superuser("chef", "chef@example.fr", "un-mot-de-passe-2026")
    page.add_init_script(LISTEN)
    page.goto(site + "/admin/login/")
    page.get_by_label("Nom d’utilisateur").fill("chef")
    page.get_by_label("Mot de passe").fill("un-mot-de-passe-2026")
    page.get_by_role("button", name="Connexion").click()
    chartres = Commune.objects.get(code="28085")
    response = page.goto(site + f"/admin/cartography/commune/{chartres.pk}/change/")
    assert "'nonce-" in response.headers["content-security-policy"]
    expect(page.locator(".leaflet-container path.leaflet-interactive").first).to_be_attached()
    page.wait_for_timeout(300)
    assert page.evaluate("window.__violations") == []
