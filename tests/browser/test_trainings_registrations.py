"""Registrations in Chromium on a phone (375 px): a parent registers to a demo workshop in
Dreux, cancels by the link of the e-mail; a médiateur of the organising structure marks
attendance and sees the counts; the registration form is accessible with and without errors."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from actors.demo import DEMO_MEDIATEUR, load_demo_memberships, load_demo_places
from cartography.importers.territory import TerritorySources, import_territory
from trainings import registrations
from trainings.demo import load_demo_trainings
from trainings.models import Registration, Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "un-mot-de-passe-2026"


@pytest.fixture
def demo(transactional_db, live_server):
    cache.clear()  # no registration counted by the throttle yet
    import_territory("28", TerritorySources.demo())
    load_demo_places()
    get_user_model().objects.create_user(DEMO_MEDIATEUR, "mediateur@demo.fr", PASSWORD)
    load_demo_memberships()  # the demo médiateur runs the demo structure's places
    load_demo_trainings()
    dreux = (
        Session.objects.filter(is_demo=True, place__commune__code="28134", is_public=True)
        .order_by("starts_at")
        .first()
    )
    return {"url": live_server.url, "session": dreux}


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_a_parent_registers_on_a_phone_and_cancels_by_the_e_mailed_link(phone, demo, axe):
    session = demo["session"]
    phone.goto(f"{demo['url']}/ateliers/{session.pk}/")
    phone.get_by_role("link", name="S’inscrire à cette séance").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("S’inscrire à l’atelier")
    assert axe(phone) == []

    phone.get_by_label("Nom ou pseudonyme").fill("Nadia")
    phone.get_by_role("textbox", name=re.compile("^Adresse électronique")).fill("nadia@exemple")
    phone.get_by_role("button", name="M’inscrire").click()
    summary = phone.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Adresse électronique impossible")
    expect(summary).to_contain_text("Cochez cette case")
    expect(phone.get_by_label("Nom ou pseudonyme")).to_have_value("Nadia")
    assert axe(phone) == []
    assert not Registration.objects.exists()

    phone.get_by_role("textbox", name=re.compile("^Adresse électronique")).fill("nadia@exemple.fr")
    phone.locator("label[for='id_consent']").click()  # the DSFR box is drawn by its label
    expect(phone.get_by_label("J’accepte que mon nom et mon contact")).to_be_checked()
    phone.get_by_role("button", name="M’inscrire").click()
    expect(phone.get_by_role("heading", name="Inscription confirmée")).to_be_visible()
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 375
    assert axe(phone) == []

    (confirmation,) = mail.outbox
    assert confirmation.to == ["nadia@exemple.fr"]
    link = re.search(r"http\S+/annuler/", confirmation.body)[0]
    phone.goto(demo["url"] + urlsplit(link).path)
    expect(phone.get_by_text("Voulez-vous vraiment annuler votre inscription")).to_be_visible()
    assert axe(phone) == []
    phone.get_by_role("button", name="Oui, annuler mon inscription").click()
    expect(phone.get_by_text("Votre inscription est annulée.")).to_be_visible()
    assert Registration.objects.get().status == Registration.Status.CANCELLED


def test_a_mediateur_marks_attendance_and_sees_the_counts(phone, demo, axe):
    session = demo["session"]
    for number, name in enumerate(("Alice", "Bernard", "Chantal")):
        registrations.register(session.pk, name=name, email=f"p{number}@exemple.fr")
    # The workshop took place this morning.
    session.starts_at = timezone.now() - datetime.timedelta(hours=4)
    session.ends_at = session.starts_at + datetime.timedelta(hours=2)
    session.save()

    phone.goto(demo["url"] + "/comptes/connexion/")
    phone.get_by_label("Nom d’utilisateur").fill(DEMO_MEDIATEUR)
    phone.get_by_label("Mot de passe").fill(PASSWORD)
    phone.get_by_role("button", name="Se connecter").click()
    phone.goto(f"{demo['url']}/ateliers/gestion/")  # "Mes ateliers"
    phone.get_by_role("link", name="Présences des séances passées").click()
    assert axe(phone) == []
    expect(
        phone.get_by_role("row", name=re.compile(re.escape(session.training.title)))
    ).to_contain_text("à noter")
    phone.get_by_role("link", name=re.compile(re.escape(session.training.title))).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Participants")
    phone.get_by_label("Présence de Alice").select_option("present")
    phone.get_by_label("Présence de Bernard").select_option("present")
    phone.get_by_label("Présence de Chantal").select_option("absent")
    phone.get_by_label("Venus sans inscription : parents").fill("2")
    phone.get_by_role("button", name="Enregistrer les présences").click()

    counts = phone.locator("#counts")
    expect(counts).to_contain_text("Présents : 2")
    expect(counts).to_contain_text("Absents sans prévenir : 1")
    expect(counts).to_contain_text("Venus sans inscription : 2")
    expect(counts).to_contain_text("Taux d’absence : 33 %")
    expect(counts).to_contain_text(f"Inscrits : 3 sur {session.capacity} places")
    expect(phone.get_by_label("Présence de Chantal")).to_have_value("absent")
    assert axe(phone) == []
