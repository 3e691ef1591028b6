"""On a phone (375 px), in Chromium: a médiateur claims an imported listing without SIRET, a
moderator approves it, the médiateur edits it; an anonymous error report reaches the
moderators' queue and is resolved there."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from accounts import roles
from accounts.services import grant, make_hub_admin
from actors.demo import load_demo_places
from actors.models import ErrorReport, Membership, Place
from cartography.importers.territory import TerritorySources, import_territory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "un-mot-de-passe-2026"
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def site(transactional_db, live_server):
    import_territory("28", TerritorySources.demo())
    load_demo_places()
    users = get_user_model().objects
    grant(users.create_user("lea", "lea@fablab.fr", PASSWORD), roles.MEDIATEURS)
    make_hub_admin(
        users.create_user("modo28", "modo@eure-et-loir.fr", PASSWORD), ("departement", "28")
    )
    fablab = Place.objects.get(name="Fablab de Chartres")
    assert not fablab.structure.siret and not fablab.structure.memberships.exists()
    return {"url": live_server.url, "fablab": fablab}


@pytest.fixture
def phone(browser):
    """A new phone-sized browser per person: each signs in in their own."""
    contexts = []

    def open_as(username=None, url=""):
        context = browser.new_context(locale="fr-FR", viewport=PHONE)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        if username:
            page.goto(url + "/comptes/connexion/")
            page.get_by_label("Nom d’utilisateur").fill(username)
            page.get_by_label("Mot de passe").fill(PASSWORD)
            page.get_by_role("button", name="Se connecter").click()
            page.wait_for_load_state()
        return page

    yield open_as
    for context in contexts:
        context.close()


def test_a_mediateur_claims_an_imported_listing_and_once_approved_edits_it(site, phone, axe):
    url, fablab = site["url"], site["fablab"]
    lea = phone("lea", url)
    lea.goto(f"{url}/lieux/{fablab.pk}/")
    lea.get_by_role("link", name=re.compile("C’est mon lieu")).click()
    expect(lea.get_by_role("heading", level=1)).to_have_text("C’est mon lieu : Fablab de Chartres")
    assert axe(lea) == []
    lea.get_by_label(re.compile("Message pour la personne")).fill(
        "Je suis la médiatrice du fablab."
    )
    lea.get_by_role("button", name="Envoyer ma demande").click()
    expect(lea.locator(".fr-alert").first).to_contain_text("Demande envoyée")
    expect(
        lea.get_by_text(re.compile("Fablab de Chartres : demande du .*en attente"))
    ).to_be_visible()

    modo = phone("modo28", url)
    modo.goto(url + "/espace/")
    assert axe(modo) == []
    modo.get_by_role("button", name="Accepter : lea tient « Fablab de Chartres »").click()
    expect(modo.locator(".fr-alert").first).to_contain_text("acceptée")
    membership = Membership.objects.get(user__username="lea")
    assert (membership.structure_id, membership.role) == (fablab.structure_id, "admin")

    lea.goto(url + "/espace/")
    expect(
        lea.get_by_text(re.compile("Fablab de Chartres : demande du .*acceptée"))
    ).to_be_visible()
    lea.get_by_role("link", name="Modifier « Fablab de Chartres »").click()
    lea.get_by_label("Présentation courte").fill("Imprimantes 3D et découpe laser, le mercredi.")
    lea.get_by_role("button", name="Enregistrer").click()
    expect(lea.get_by_role("heading", level=1)).to_have_text("Fablab de Chartres")
    expect(lea.get_by_text("Imprimantes 3D et découpe laser, le mercredi.")).to_be_visible()
    assert (
        Place.objects.get(pk=fablab.pk).summary == "Imprimantes 3D et découpe laser, le mercredi."
    )


def test_an_anonymous_error_report_reaches_the_moderators_queue(site, phone, axe):
    url, fablab = site["url"], site["fablab"]
    visitor = phone()
    visitor.goto(f"{url}/lieux/{fablab.pk}/")
    visitor.get_by_role("link", name="Signaler une erreur sur cette fiche").click()
    expect(visitor.get_by_role("heading", level=1)).to_contain_text("Signaler une erreur")
    assert axe(visitor) == []
    # Sent empty: the summary gets the focus and says what to fix; the page stays usable.
    visitor.get_by_role("button", name="Envoyer le signalement").click()
    summary = visitor.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Choisissez ce qui est faux.")
    assert axe(visitor) == []
    summary.get_by_role("link").first.click()
    expect(visitor.get_by_label("Le lieu est fermé ou a déménagé")).to_be_focused()
    # DSFR draws radios and checkboxes on their labels: a person taps the label.
    visitor.locator("label", has_text="Les horaires sont faux").click()
    expect(visitor.get_by_label("Les horaires sont faux")).to_be_checked()
    visitor.get_by_label(re.compile("Précisez ce qui est faux")).fill("Fermé le lundi désormais.")
    visitor.get_by_label(re.compile("Votre adresse électronique")).fill("habitant@exemple.fr")
    visitor.locator("label", has_text="Me prévenir par courriel").click()
    visitor.get_by_role("button", name="Envoyer le signalement").click()
    expect(visitor.locator(".fr-alert").first).to_contain_text(
        "Merci : votre signalement est transmis"
    )
    assert ErrorReport.objects.get().email == "habitant@exemple.fr"

    modo = phone("modo28", url)
    modo.goto(url + "/espace/")
    modo.locator("#fr-btn-menu-mobile").click()  # the menu folds behind a button on a phone
    modo.get_by_role("link", name="Signalements", exact=True).click()
    expect(modo.get_by_role("heading", level=2).first).to_have_text("1 signalement à traiter")
    expect(modo.get_by_text("Fermé le lundi désormais.")).to_be_visible()
    assert axe(modo) == []
    modo.get_by_label(re.compile("Ce qui a été fait")).fill("Horaires corrigés.")
    modo.get_by_role("button", name="Marquer comme traité : Fablab de Chartres").click()
    expect(modo.locator(".fr-alert").first).to_contain_text("Le signalant est prévenu")
    expect(modo.get_by_text("Aucun signalement à traiter")).to_be_visible()
    assert ErrorReport.objects.get().status == "resolved"


def test_the_report_form_is_accessible_on_a_desktop_too(site, page, axe):
    page.goto(f"{site['url']}/lieux/{site['fablab'].pk}/signaler/")
    assert axe(page) == []
    page.get_by_role("button", name="Envoyer le signalement").click()
    expect(page.locator("#error-summary")).to_be_focused()
    assert axe(page) == []
