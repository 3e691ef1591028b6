"""The médiateurs' space in Chromium: edit opening hours, approve a claim, accessible forms."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from accounts.services import make_hub_admin
from actors.demo import load_demo_places
from actors.models import Membership, Place, Structure
from cartography.importers.territory import TerritorySources, import_territory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "un-mot-de-passe-2026"


@pytest.fixture
def site(transactional_db, live_server):
    import_territory("28", TerritorySources.demo())
    load_demo_places()
    users = get_user_model().objects
    fablab = Place.objects.get(name="Fablab de Chartres")
    Structure.objects.filter(pk=fablab.structure_id).update(siret="11122233300011")
    member = users.create_user("lea", "lea@fablab.fr", PASSWORD)
    Membership.objects.create(structure=fablab.structure, user=member, status="active")
    make_hub_admin(users.create_user("admin-hub", "a@hub.fr", PASSWORD))
    users.create_user("sam", "sam@fablab.fr", PASSWORD)
    return {"url": live_server.url, "fablab": fablab}


def log_in(page, url, username):
    page.goto(url + "/comptes/connexion/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_a_mediateur_edits_opening_hours_and_the_public_page_changes(page, site, axe):
    log_in(page, site["url"], "lea")
    page.goto(site["url"] + "/espace/")
    page.get_by_role("link", name="Modifier « Fablab de Chartres »").click()
    assert axe(page) == []
    page.get_by_label("Lundi, ouverture du matin").fill("09:00")
    page.get_by_label("Lundi, fermeture du matin").fill("12:00")
    page.get_by_label("Samedi, ouverture de l’après-midi").fill("")
    page.get_by_label("Samedi, fermeture de l’après-midi").fill("")
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Fablab de Chartres")
    expect(page.get_by_role("row", name="Lundi 9 h – 12 h")).to_be_visible()
    fablab = Place.objects.get(pk=site["fablab"].pk)
    assert fablab.opening_hours == "Mo 09:00-12:00; We 14:00-19:00; Sa 10:00-18:00"

    page.goto(site["url"] + "/espace/")
    page.get_by_role("link", name="Modifier « Fablab de Chartres »").click()
    page.get_by_label("Mardi, ouverture du matin").fill("18:00")
    page.get_by_label("Mardi, fermeture du matin").fill("08:00")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".fr-error-text")).to_have_text(
        "Mardi : la fermeture du matin doit être après l’ouverture."
    )
    assert axe(page) == []


def test_an_administrator_approves_a_claim(page, site):
    log_in(page, site["url"], "sam")
    page.goto(site["url"] + "/espace/rejoindre/")
    page.get_by_label("SIRET (ou RNA) de votre structure").fill("11122233300011")
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.locator(".fr-alert")).to_contain_text("Demande envoyée")
    page.get_by_role("button", name="Se déconnecter (sam)").click()

    log_in(page, site["url"], "admin-hub")
    page.goto(site["url"] + "/espace/")
    page.get_by_role("button", name="Accepter la demande de sam").click()
    expect(page.locator(".fr-alert")).to_contain_text("acceptée")
    assert Membership.objects.get(user__username="sam").status == "active"
