"""An organiser's whole journey in Chromium on a phone: a médiateur programmes a session of
their structure's training at one of its places, people register, and once it has taken place
the médiateur marks attendance and reads the counts."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from actors.demo import DEMO_MEDIATEUR
from trainings import registrations
from trainings.models import Session

from .test_trainings_registrations import PASSWORD, demo, phone  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_mediateur_creates_a_session_then_marks_attendance_and_sees_the_counts(
    phone,  # noqa: F811
    demo,  # noqa: F811
    axe,
):
    phone.goto(demo["url"] + "/comptes/connexion/")
    phone.get_by_label("Nom d’utilisateur").fill(DEMO_MEDIATEUR)
    phone.get_by_label("Mot de passe").fill(PASSWORD)
    phone.get_by_role("button", name="Se connecter").click()
    phone.goto(demo["url"] + "/ateliers/gestion/")  # "Mes ateliers"
    phone.get_by_role("link", name="Nouvelle session").click()
    expect(phone.get_by_role("heading", level=1)).to_be_visible()

    training = phone.get_by_role("combobox", name=re.compile("^Formation"))
    training.select_option(index=1)
    title = training.locator("option:checked").inner_text().strip()
    phone.get_by_text("Dans un lieu d’aide", exact=True).click()  # the DSFR label covers the radio
    phone.get_by_role("combobox", name=re.compile("^Lieu d’aide")).select_option(index=1)
    day = timezone.localdate() + datetime.timedelta(days=9)
    phone.locator("#id_day").fill(day.isoformat())
    phone.locator("#id_start").fill("14:00")
    phone.locator("#id_end").fill("12:00")  # a slip: it ends before it starts
    phone.get_by_role("spinbutton", name=re.compile("^Places")).fill("6")
    phone.get_by_role("button", name="Enregistrer la séance").click()
    # Refused next to the field, with what was typed kept.
    expect(phone.get_by_text(re.compile("après"))).not_to_have_count(0)
    expect(phone.get_by_role("spinbutton", name=re.compile("^Places"))).to_have_value("6")
    assert axe(phone) == []
    phone.locator("#id_end").fill("16:00")
    phone.get_by_role("button", name="Enregistrer la séance").click()

    expect(phone.get_by_text("La session est enregistrée.")).to_be_visible()
    session = Session.objects.get(training__title=title, capacity=6)
    assert timezone.localtime(session.starts_at).date() == day
    expect(phone.get_by_role("heading", level=1)).to_contain_text(title.split(" (")[0])

    for number, name in enumerate(("Alice", "Bernard", "Chantal")):
        registrations.register(session.pk, name=name, email=f"p{number}@exemple.fr")
    # Nine days later, the workshop took place this morning.
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=4),
        ends_at=timezone.now() - datetime.timedelta(hours=2),
    )
    phone.goto(f"{demo['url']}/ateliers/{session.pk}/participants/")
    phone.get_by_label("Présence de Alice").select_option("present")
    phone.get_by_label("Présence de Bernard").select_option("excuse")
    phone.get_by_label("Présence de Chantal").select_option("absent")
    phone.get_by_role("button", name="Enregistrer les présences").click()

    counts = phone.locator("#counts")
    expect(counts).to_contain_text("Présents : 1")
    expect(counts).to_contain_text("Inscrits : 3 sur 6 places")
    expect(counts).to_contain_text("Absents sans prévenir : 1")
    assert axe(phone) == []
