"""In Chromium, on a phone (375 px) and a desktop (1 280 px): a parent searches the library
without accents, narrows it by a facet, opens a resource, rates it (an error first, shown next
to the choice) and reports a problem; a médiateur proposes a resource that a moderator then
publishes. axe-core finds no violation on the library, a resource and the forms with errors.
(The library's pages are also in the accessibility declaration: test_accessibility.py.)"""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from accounts import roles
from accounts.services import grant, make_hub_admin
from trainings.models import Rating, Resource, ResourceReport, Theme
from trainings.resource_demo import load_demo_resources

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "un-mot-de-passe-2026"


@pytest.fixture
def site(transactional_db, live_server):
    if not Theme.objects.exists():  # emptied by an earlier transactional test
        importlib.import_module("trainings.migrations.0001_catalogue").seed_themes(apps, None)
    load_demo_resources()
    users = get_user_model().objects
    grant(users.create_user("lea", "lea@exemple.fr", PASSWORD), roles.MEDIATEURS)
    make_hub_admin(users.create_user("modo", "modo@exemple.fr", PASSWORD))
    return live_server.url


def open_page(browser, url, width, username=None):
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    if username:
        page.goto(url + "/comptes/connexion/")
        page.get_by_label("Nom d’utilisateur").fill(username)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_load_state()
    return page


def no_violation(page, axe, width):
    violations = axe(page)
    assert not violations, f"{width} px {page.url} : {violations}"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [375, 1280])
def test_a_parent_finds_rates_and_reports_a_resource(site, browser, axe, width):
    page = open_page(browser, site, width)
    page.goto(site + "/")
    if width == 1280:  # on a phone the menu is one tap away; the link is the same
        page.get_by_role("navigation", name="Menu principal").get_by_role(
            "link", name="Ressources", exact=True
        ).click()
    else:
        page.goto(site + "/ressources/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ressources")
    no_violation(page, axe, width)
    page.get_by_label("Rechercher une ressource").fill("ecrans")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    expect(page.locator("#resultats")).to_have_text("2 ressources pour « ecrans »")
    filters = page.locator("#filtres")
    if width == 375:  # on a phone the results come first, the filters one tap away
        expect(filters).not_to_have_attribute("open", "")
        assert page.locator("#resultats").bounding_box()["y"] < 900
        filters.locator("summary").click()
    page.locator("label", has_text="Parents (2)").click()
    page.get_by_role("button", name="Appliquer les filtres").click()
    expect(page.locator("#resultats")).to_have_text("2 ressources pour « ecrans »")
    if width == 375:
        expect(filters.locator("summary")).to_have_text("Filtrer (1 critère choisi)")
        filters.locator("summary").click()
    page.locator("label", has_text="Repères par âge (1)").click()
    page.get_by_role("button", name="Appliquer les filtres").click()
    expect(page.locator("#resultats")).to_have_text("1 ressource pour « ecrans »")
    no_violation(page, axe, width)
    page.get_by_role("link", name="Repères 3-6-9-12 : les écrans selon l’âge").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Repères 3-6-9-12 : les écrans selon l’âge"
    )
    no_violation(page, axe, width)
    # Sent without a choice: the error is said next to the choice, and in the summary.
    page.get_by_role("button", name="Donner mon avis").click()
    expect(page.locator("#id_value-errors")).to_have_text("Choisissez une note de 1 à 4.")
    no_violation(page, axe, width)
    page.locator("label", has_text="Très utile").click()
    page.get_by_role("button", name="Donner mon avis").click()
    expect(page.get_by_text("Merci pour votre avis.")).to_be_visible()
    expect(page.get_by_text("Utilité selon les lecteurs : 4,0 sur 4 (1 avis).")).to_be_visible()
    assert Rating.objects.get().value == 4
    page.get_by_role("link", name="Signaler un problème").click()
    page.get_by_role("button", name="Envoyer le signalement").click()
    expect(page.locator("#id_kind-errors")).to_have_text("Choisissez le problème.")
    no_violation(page, axe, width)
    page.locator("label", has_text="Le lien ou le fichier ne fonctionne pas").click()
    page.get_by_label("Précisez").fill("La page ne s’ouvre plus.")
    page.get_by_role("button", name="Envoyer le signalement").click()
    expect(
        page.get_by_text("Merci : votre signalement est transmis aux modérateurs.")
    ).to_be_visible()
    assert ResourceReport.objects.get().message == "La page ne s’ouvre plus."
    page.goto(site + "/ressources/securite-numerique-les-bons-reflexes/")
    no_violation(page, axe, width)
    # An empty search says so and suggests what to try.
    page.goto(site + "/ressources/?q=introuvable")
    expect(page.locator("#no-result")).to_contain_text("Kit des parents")
    no_violation(page, axe, width)
    page.context.close()


def test_a_mediateur_proposes_and_a_moderator_publishes(site, browser, axe):
    page = open_page(browser, site, 375, "lea")
    page.goto(site + "/ressources/")
    page.get_by_role("link", name="Proposer une ressource").click()
    page.get_by_role("button", name="Proposer la ressource").click()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#id_title-errors")).to_have_text("Donnez un titre à la ressource.")
    no_violation(page, axe, 375)
    page.get_by_label("Titre").fill("Gérer ses mots de passe")
    page.get_by_label("Résumé").fill("Un gestionnaire de mots de passe, pas à pas.")
    page.get_by_label("Type").select_option(label="fiche pratique")
    page.locator("label", has_text="Seniors").click()
    page.locator("label", has_text="Sécurité numérique").click()
    page.get_by_label("Licence").select_option(label="CC BY 4.0")
    page.get_by_label("Lien vers la ressource").fill("https://exemple.fr/mots-de-passe")
    page.get_by_role("button", name="Proposer la ressource").click()
    expect(page.get_by_text("sera publiée après relecture")).to_be_visible()
    page.context.close()
    moderator = open_page(browser, site, 1280, "modo")
    moderator.goto(site + "/ressources/moderation/")
    moderator.get_by_role("button", name="Publier « Gérer ses mots de passe »").click()
    expect(moderator.get_by_text("« Gérer ses mots de passe » publiée.")).to_be_visible()
    assert Resource.objects.get(title="Gérer ses mots de passe").state == "publiee"
    moderator.context.close()
