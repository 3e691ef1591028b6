"""Action plans in Chromium, on the demo: DSDEN staff follow "Planifier une action" from the
gap diagnostic's schools, create a plan and its action with a funding line, and see its
progress; the plan page, the plans list and the funding calls pass axe-core at 1280 and 375 px."""

import io
import os

import pytest
from django.core.cache import cache
from django.core.management import call_command
from playwright.sync_api import expect

from trainings.models import Action, Plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = os.environ.get("HUB_DEMO_PASSWORD", "demo-hub-28")


@pytest.fixture
def demo(transactional_db, live_server):
    cache.clear()
    call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())
    yield live_server.url
    cache.clear()


def log_in(browser, url, username, width=1280):
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(url + "/comptes/connexion/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se connecter")).to_have_count(0)
    return page


def test_dsden_plans_an_action_for_a_school_from_the_diagnostic(browser, demo, axe):
    page = log_in(browser, demo, "dsden-demo")
    page.goto(demo + "/diagnostic/?rang=ecoles")
    first = page.locator("#diagnostic-table tbody tr").first
    school = first.locator("td").nth(1).locator("a").first.text_content().strip()
    first.get_by_role("link", name="Planifier une action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Planifier une action pour l’école {school}"
    )
    page.get_by_role("link", name="Créer un plan pour cette action").click()
    page.get_by_label("Titre").fill("Plan numérique 2026-2027")
    page.get_by_label("Début").fill("2026-09-01")
    page.get_by_label("Fin").fill("2027-08-31")
    page.get_by_role("button", name="Créer le plan").click()

    # The action form, the school and its rank carried from the diagnostic.
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle action")
    expect(page.locator("#from-diagnostic")).to_contain_text("rang 1")
    expect(page.get_by_label("Intitulé")).to_have_value(f"Action à l’école {school}")
    page.get_by_label("Type d'action").select_option(label="série d'ateliers")
    page.get_by_label("Statut").select_option(label="réalisée")
    page.locator("#id_financement-0-funder_kind").select_option(label="CNR Éducation")
    page.locator("#id_financement-0-funder_name").fill("CNR Éducation 2026")
    page.locator("#id_financement-0-amount").fill("abc")
    page.get_by_role("button", name="Enregistrer l’action").click()
    # Refused with the error next to the field; nothing saved.
    expect(page.locator("#id_financement-0-amount")).to_have_attribute("aria-invalid", "true")
    assert not Action.objects.filter(plan__title="Plan numérique 2026-2027").exists()
    assert axe(page) == []
    page.locator("#id_financement-0-amount").fill("1500,50")
    page.get_by_role("button", name="Enregistrer l’action").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Plan numérique 2026-2027")
    expect(page.locator("#actions-done")).to_have_text("1 sur 1")
    expect(page.locator("#budget")).to_have_text("1\u202f500,50\u00a0€")
    expect(page.locator("#sessions-held")).to_have_text("0")
    need = page.locator(".fr-card p", has_text="Besoin :")
    expect(need).to_contain_text(f"école {school}")
    expect(need).to_contain_text("rang 1 du diagnostic des écarts")
    plan = Plan.objects.get(title="Plan numérique 2026-2027")
    assert plan.actions.get().school.name == school
    page.context.close()


def test_plan_pages_and_funding_calls_pass_axe(browser, demo, axe):
    plan = Plan.objects.get(title__endswith="(démonstration)")
    failures = []
    for width in (1280, 375):
        page = log_in(browser, demo, "dsden-demo", width)
        for path in (f"/plans-d-action/{plan.pk}/", "/plans-d-action/", "/financements/"):
            page.goto(demo + path)
            wide = page.evaluate("() => document.documentElement.scrollWidth")
            if wide > width:
                failures.append(f"{width} px {path} : page large de {wide} px")
            failures += [f"{width} px {path} : {v['id']} — {v['nodes']}" for v in axe(page)]
        page.context.close()
    assert not failures, "\n".join(failures)
