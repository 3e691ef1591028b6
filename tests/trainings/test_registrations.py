"""Registrations: seats under concurrency, the waiting list and its offers, the public form's
refusals, cancellation by the e-mailed link, attendance, erasure, organisers' rights."""

import datetime
import html
import importlib
import re
import threading

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from trainings import registrations
from trainings.models import Registration, Session, WalkInCount
from trainings.registrations import RegistrationRefused

from .registration_fixtures import make_session, make_workshop, workshop_fixture  # noqa: F401

Status = Registration.Status


def text(response) -> str:
    return html.unescape(response.content.decode())


def form_url(session) -> str:
    return f"/ateliers/{session.pk}/inscription/"


def link_in(message, action: str) -> str:
    """The path of the link to `action` (annuler, accepter) in an e-mail's body."""
    found = re.search(rf"http://[^/\s]+(/ateliers/inscription/[^/\s]+/{action}/)", message.body)
    assert found, message.body
    return found[1]


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit (messages) when the block ends, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def sign_up(session, number: int, **fields) -> Registration:
    return registrations.register(
        session.pk, name=f"Personne {number}", email=f"p{number}@example.org", **fields
    )


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_registrations_for_ten_seats(django_user_model):
    """Twenty people press "M'inscrire" at once, each through their own connection: exactly ten
    get a seat and ten are on the waiting list, numbered 1 to 10."""
    session = make_workshop(django_user_model).session
    start = threading.Barrier(20)
    errors = []

    def one(number):
        try:
            start.wait()
            sign_up(session, number)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    statuses = list(Registration.objects.values_list("status", flat=True))
    assert statuses.count(Status.CONFIRMED) == 10
    assert statuses.count(Status.WAITING) == 10
    positions = Registration.objects.filter(status=Status.WAITING).values_list(
        "position", flat=True
    )
    assert sorted(positions) == list(range(1, 11))
    subjects = [m.subject for m in mail.outbox]
    assert sum(s.startswith("Inscription confirmée") for s in subjects) == 10
    assert sum(s.startswith("Liste d’attente") for s in subjects) == 10


@pytest.mark.django_db
def test_the_form_registers_and_opens_the_registration_page(client, workshop, committed):
    with committed():
        response = client.post(
            form_url(workshop.session),
            {
                "name": "Martine",
                "email": "Martine@Example.org",
                "audience": "seniors",
                "consent": "on",
            },
            follow=True,
        )
    registration = Registration.objects.get()
    assert registration.email == "martine@example.org"
    assert registration.status == Status.CONFIRMED and registration.consent_at
    assert "Inscription confirmée" in text(response)
    assert "martine@example.org" in text(response)
    assert mail.outbox[-1].to == ["martine@example.org"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("posted", "field", "error"),
    [
        ({"email": "martine@exemple"}, "email", "Adresse électronique impossible"),
        ({"phone": "02 37 12"}, "phone", "Numéro de téléphone impossible : « 02 37 12 »"),
        ({}, "email", "Indiquez une adresse électronique ou, à défaut, un numéro de téléphone."),
        ({"email": "m@example.org", "consent": ""}, "consent", "Cochez cette case"),
    ],
)
def test_bad_input_is_refused_next_to_its_field_and_nothing_is_written(
    client, workshop, posted, field, error
):
    data = {"name": "Martine", "consent": "on", **posted}
    response = client.post(form_url(workshop.session), data)
    assert response.status_code == 400
    page = text(response)
    assert re.search(rf'id="id_{field}-errors"><p class="fr-error-text">{re.escape(error)}', page)
    assert 'value="Martine"' in page  # what was typed stays
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_a_phone_is_kept_as_plus_33_and_the_same_contact_cannot_register_twice(client, workshop):
    data = {"name": "Martine", "phone": "02 37 47 00 00", "consent": "on"}
    client.post(form_url(workshop.session), data)
    assert Registration.objects.get().phone == "+33237470000"
    response = client.post(form_url(workshop.session), {**data, "phone": "+33 2 37 47 00 00"})
    assert response.status_code == 400
    assert "Ce numéro de téléphone est déjà inscrit à cette session." in text(response)
    sign_up(workshop.session, 1)
    with pytest.raises(RegistrationRefused, match="adresse électronique est déjà inscrite"):
        registrations.register(workshop.session.pk, name="Autre", email="P1@example.org")
    assert Registration.objects.count() == 2


@pytest.mark.django_db
def test_a_full_session_offers_the_waiting_list(client, workshop):
    workshop.session.capacity = 1
    workshop.session.save()
    sign_up(workshop.session, 1)
    page = text(client.get(form_url(workshop.session)))
    assert "Cette session est complète" in page
    assert "M’inscrire sur la liste d’attente" in page
    response = client.post(
        form_url(workshop.session),
        {"name": "Martine", "email": "m@example.org", "consent": "on"},
        follow=True,
    )
    assert "Vous êtes sur la liste d’attente" in text(response)
    assert "Vous êtes la première personne sur la liste." in text(response)
    second = sign_up(workshop.session, 2)
    page = text(client.get(f"/ateliers/inscription/{second.token}/"))
    assert "Vous êtes la 2e personne sur la liste." in re.sub(r"</?sup>", "", page)
    assert Registration.objects.get(email="m@example.org").position == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"days": -1}, "Cette session a déjà eu lieu : il n’est plus possible de s’y inscrire."),
        ({"closes": -1}, "Les inscriptions à cette session sont closes depuis le"),
    ],
)
def test_a_past_or_closed_session_says_so_and_writes_nothing(client, workshop, change, message):
    session = workshop.session
    now = timezone.now()
    if "days" in change:
        session.starts_at = now + datetime.timedelta(days=change["days"])
        session.ends_at = session.starts_at + datetime.timedelta(hours=2)
    else:
        session.registration_closes_at = now + datetime.timedelta(hours=change["closes"])
    session.save()
    assert message in text(client.get(form_url(session)))
    response = client.post(
        form_url(session), {"name": "M", "email": "m@example.org", "consent": "on"}
    )
    assert response.status_code == 400
    assert message in text(response)
    assert not Registration.objects.exists()
    with pytest.raises(RegistrationRefused, match=re.escape(message[:30])):
        sign_up(session, 1)


@pytest.mark.django_db
def test_cancelling_by_the_e_mailed_link_offers_the_seat_to_the_first_waiting(
    client, workshop, committed
):
    workshop.session.capacity = 1
    workshop.session.save()
    with committed():
        with_seat = sign_up(workshop.session, 1)
    first, second = sign_up(workshop.session, 2), sign_up(workshop.session, 3)
    cancel_path = link_in(mail.outbox[0], "annuler")
    assert mail.outbox[0].to == ["p1@example.org"]

    page = client.get(cancel_path)  # a link followed (by a mail scanner too) changes nothing
    assert "Voulez-vous vraiment annuler votre inscription" in text(page)
    assert Registration.objects.get(pk=with_seat.pk).status == Status.CONFIRMED
    mail.outbox.clear()
    with committed():
        response = client.post(cancel_path, follow=True)
    assert "Votre inscription est annulée" in text(response)

    with_seat.refresh_from_db(), first.refresh_from_db(), second.refresh_from_db()
    assert with_seat.status == Status.CANCELLED
    assert first.status == Status.OFFERED and second.status == Status.WAITING
    hours = (first.offer_expires_at - timezone.now()).total_seconds() / 3600
    assert 23.9 < hours <= 24
    (offer,) = mail.outbox
    assert offer.to == ["p2@example.org"] and offer.subject.startswith("Une place se libère")
    accept_path = link_in(offer, "accepter")
    assert "Je prends la place" in text(client.get(accept_path))
    with committed():
        client.post(accept_path)
    first.refresh_from_db()
    assert first.status == Status.CONFIRMED
    assert mail.outbox[-1].subject.startswith("Inscription confirmée")
    again = client.post(accept_path, follow=True)  # a second click
    assert "Votre place est déjà confirmée." in text(again)
    # The cancelled registration's link still tells its state; cancelling again changes nothing.
    assert "Inscription annulée" in text(client.get(f"/ateliers/inscription/{with_seat.token}/"))


@pytest.mark.django_db
def test_an_offer_not_taken_in_time_goes_to_the_next_person(client, workshop, committed):
    workshop.session.capacity = 1
    workshop.session.save()
    seat = sign_up(workshop.session, 1)
    first, second = sign_up(workshop.session, 2), sign_up(workshop.session, 3)
    registrations.cancel(seat.pk)
    first.refresh_from_db()
    mail.outbox.clear()
    assert (
        registrations.expire_offers(now=first.offer_expires_at - datetime.timedelta(minutes=1)) == 0
    )
    with committed():
        assert registrations.expire_offers(now=first.offer_expires_at) == 1
    first.refresh_from_db(), second.refresh_from_db()
    assert first.status == Status.CANCELLED and second.status == Status.OFFERED
    assert [m.to for m in mail.outbox] == [["p3@example.org"]]
    response = client.post(f"/ateliers/inscription/{first.token}/accepter/", follow=True)
    assert "Cette proposition n’est plus valable" in text(response)
    assert Registration.objects.get(pk=first.pk).status == Status.CANCELLED


@pytest.mark.django_db
def test_reminders_are_sent_once_two_days_before(workshop):
    soon = make_session(workshop.training, workshop.place, days=1.5)
    confirmed = sign_up(soon, 1)
    registrations.register(soon.pk, name="Sans e-mail", phone="0237470000")
    sign_up(workshop.session, 2)  # in five days: not yet
    mail.outbox.clear()
    assert registrations.send_reminders() == 1
    assert registrations.send_reminders() == 0
    (reminder,) = mail.outbox
    assert reminder.to == ["p1@example.org"] and reminder.subject.startswith("Rappel")
    assert f"/ateliers/inscription/{confirmed.token}/annuler/" in reminder.body


@pytest.mark.django_db
def test_erasure_blanks_people_and_keeps_the_counts(client, workshop, settings):
    settings.HUB_TRAINING_DATA_MONTHS = 3
    session = workshop.session
    for number in range(4):
        sign_up(session, number, audience="seniors")
    registrations.register(session.pk, name="Tel", phone="0611223344", needs="fauteuil")
    gone = Registration.objects.filter(session=session)
    gone.filter(email="p0@example.org").update(attendance="absent")
    gone.exclude(email="p0@example.org").update(attendance="present")
    WalkInCount.objects.create(session=session, audience="parents", count=3)
    before = registrations.counts(session)
    kept_token = gone.first().token
    ended = session.ends_at
    assert registrations.erase_personal_data(now=ended + datetime.timedelta(days=80)) == 0
    assert registrations.erase_personal_data(now=ended + datetime.timedelta(days=93)) == 5
    assert registrations.counts(session) == before
    assert before.present == 4 and before.absent == 1 and before.walk_ins == 3
    rows = Registration.objects.values_list("name", "email", "phone", "needs", "token")
    assert set(rows) == {("", "", "", "", None)}
    assert Registration.objects.filter(audience="seniors").count() == 4
    assert client.get(f"/ateliers/inscription/{kept_token}/").status_code == 404


# Organisers ------------------------------------------------------------------------------------


def participants_url(session) -> str:
    return f"/ateliers/{session.pk}/participants/"


@pytest.mark.django_db
def test_only_the_organisers_see_the_names(client, workshop):
    sign_up(workshop.session, 1)
    assert "Personne 1" not in text(client.get(form_url(workshop.session)))
    assert "1 inscrit" not in text(client.get(form_url(workshop.session)))
    assert "9 places libres sur 10" in text(client.get(form_url(workshop.session)))
    assert client.get(participants_url(workshop.session)).status_code == 302  # sign in first
    client.force_login(workshop.sam)
    assert client.get(participants_url(workshop.session)).status_code == 404
    assert client.post(participants_url(workshop.session), {}).status_code == 404
    assert client.post(participants_url(workshop.session) + "inscrire/", {}).status_code == 404
    client.force_login(workshop.lea)
    page = text(client.get(participants_url(workshop.session)))
    assert "Personne 1" in page and "p1@example.org" in page


@pytest.mark.django_db
def test_an_organiser_registers_someone_in_person(client, workshop, committed):
    client.force_login(workshop.lea)
    with committed() as sent:
        response = client.post(
            participants_url(workshop.session) + "inscrire/",
            {"name": "Raymond", "phone": "06 11 22 33 44", "consent": "on"},
            follow=True,
        )
    assert len(sent) == 1  # the confirmation was tried: no channel reaches a phone today
    assert "Raymond est inscrite." in text(response) or "Raymond est inscrit" in text(response)
    registration = Registration.objects.get()
    assert registration.registered_by == workshop.lea and registration.phone == "+33611223344"
    assert mail.outbox == []  # a phone: no channel reaches them, the organiser tells them


@pytest.mark.django_db
def test_after_the_session_the_organiser_marks_attendance_and_sees_counts(client, workshop):
    session = workshop.session
    people = [sign_up(session, n) for n in range(4)]
    client.force_login(workshop.lea)
    assert "Enregistrer les présences" not in text(client.get(participants_url(session)))
    session.starts_at = timezone.now() - datetime.timedelta(hours=3)
    session.ends_at = session.starts_at + datetime.timedelta(hours=2)
    session.save()
    data = {f"presence_{p.pk}": "present" for p in people[:2]}
    data |= {f"presence_{people[2].pk}": "excuse", f"presence_{people[3].pk}": "absent"}
    data |= {"sans_inscription_parents": "2", "sans_inscription_seniors": "-1"}
    response = client.post(participants_url(session), data)
    assert response.status_code == 400
    assert "Indiquez un nombre positif ou laissez vide." in text(response)
    assert not Registration.objects.exclude(attendance="").exists()
    data["sans_inscription_seniors"] = "1"
    page = text(client.post(participants_url(session), data, follow=True))
    for count in (
        "Inscrits : 4 sur 10 places",
        "Taux de remplissage : 40 %",
        "Présents : 2",
        "Excusés : 1",
        "Absents sans prévenir : 1",
        "Venus sans inscription : 3",
        "Taux d’absence : 25 %",
    ):
        assert count in page
    assert dict(WalkInCount.objects.values_list("audience", "count")) == {
        "parents": 2,
        "seniors": 1,
    }
    client.force_login(workshop.sam)
    assert client.post(participants_url(session), data).status_code == 404


@pytest.mark.django_db
def test_the_beat_schedules_are_in_the_database():
    """The migration's entries (written again here: a transactional test empties the tables)."""
    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    migration = importlib.import_module("trainings.migrations.0004_registrations")
    migration.schedule(apps, None)
    migration.schedule(apps, None)  # once each, however often it runs
    mine = ["trainings.erase_personal_data", "trainings.expire_offers", "trainings.send_reminders"]
    tasks = PeriodicTask.objects.filter(task__in=mine, enabled=True).values_list("task", flat=True)
    assert sorted(tasks) == mine


def test_messages_go_through_the_first_channel_that_reaches_the_person(settings):
    """An SMS channel plugs in through the setting; the e-mail stays first when there is one."""
    from trainings.channels import channel_for

    settings.HUB_TRAINING_CHANNELS = [
        "trainings.channels.EmailChannel",
        "tests.trainings.test_registrations.FakeSmsChannel",
    ]
    assert channel_for(Registration(email="a@example.org", phone="+33611223344")).name == "email"
    assert channel_for(Registration(phone="+33611223344")).name == "sms"
    settings.HUB_TRAINING_CHANNELS = ["trainings.channels.EmailChannel"]
    assert channel_for(Registration(phone="+33611223344")) is None


class FakeSmsChannel:
    name = "sms"
    label = "SMS"

    def reaches(self, registration):
        return bool(registration.phone)

    def send(self, registration, subject, body):
        raise AssertionError("not sent in this test")


@pytest.mark.django_db
def test_the_personal_data_page_says_what_is_kept_and_for_how_long(client, settings):
    settings.HUB_TRAINING_DATA_MONTHS = 4
    page = text(client.get("/donnees-personnelles/"))
    assert "Vous vous inscrivez à un atelier" in page
    assert "jusqu’à 4 mois après la séance" in page


@pytest.mark.django_db
def test_anonymous_registrations_are_throttled(client, workshop, monkeypatch):
    from django.core.cache import cache
    from rest_framework.throttling import SimpleRateThrottle

    cache.clear()
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "training_registration", "2/hour")
    statuses = [
        client.post(
            form_url(workshop.session),
            {"name": f"P{n}", "email": f"p{n}@example.org", "consent": "on"},
        ).status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert Registration.objects.count() == 2
    assert client.get(form_url(workshop.session)).status_code == 200  # reading is not limited
    cache.clear()


@pytest.mark.django_db
def test_an_organiser_takes_an_offered_seat_for_someone_reached_by_phone(client, workshop):
    workshop.session.capacity = 1
    workshop.session.save()
    seat = sign_up(workshop.session, 1)
    by_phone = registrations.register(workshop.session.pk, name="Raymond", phone="0611223344")
    registrations.cancel(seat.pk)
    by_phone.refresh_from_db()
    assert by_phone.status == Status.OFFERED
    client.force_login(workshop.lea)
    page = text(client.get(participants_url(workshop.session)))
    assert "Raymond" in page and "+33611223344" in page and "place proposée jusqu’au" in page
    confirm = participants_url(workshop.session) + f"{by_phone.pk}/confirmer/"
    client.force_login(workshop.sam)
    assert client.post(confirm).status_code == 404
    client.force_login(workshop.lea)
    response = client.post(confirm, follow=True)
    assert "Raymond a pris la place proposée." in text(response)
    by_phone.refresh_from_db()
    assert by_phone.status == Status.CONFIRMED


@pytest.mark.django_db
def test_organisers_find_their_held_sessions_to_note_attendance(client, workshop):
    held = make_session(workshop.training, workshop.place, days=-3)
    for number in range(2):
        Registration.objects.create(
            session=held,
            name=f"P{number}",
            email=f"p{number}@example.org",
            consent_at=held.starts_at,
            status=Status.CONFIRMED,
            attendance="present" if number else "",
        )
    client.force_login(workshop.lea)
    manage = text(client.get("/ateliers/gestion/"))
    assert 'href="/ateliers/gestion/presences/"' in manage
    page = text(client.get("/ateliers/gestion/presences/"))
    assert f'href="/ateliers/{held.pk}/participants/"' in page
    assert "1 sur 2" in page
    assert f"/ateliers/{workshop.session.pk}/participants/" not in page  # not held yet
    client.force_login(workshop.sam)
    assert f"/ateliers/{held.pk}/" not in text(client.get("/ateliers/gestion/presences/"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("other-structure", 404),
        ("hub-admin", 404),
        ("dsden", 404),
        ("facilitator", 200),
        ("member", 200),
    ],
)
def test_names_by_role_on_every_organisers_page(client, workshop, django_user_model, who, status):
    """Names are the organisers' only: each page and form post of theirs, role by role."""
    from accounts import roles
    from accounts.services import grant, make_hub_admin

    person = sign_up(workshop.session, 1)
    user = {"other-structure": workshop.sam, "member": workshop.lea}.get(who)
    if user is None:
        user = django_user_model.objects.create_user(who, f"{who}@example.org", "x")
        if who == "hub-admin":
            make_hub_admin(user)
        elif who == "dsden":
            grant(user, roles.DSDEN_STAFF, (roles.DEPARTEMENT, "28"))
        else:
            workshop.session.facilitators.add(user)
    client.force_login(user)
    base = participants_url(workshop.session)
    assert client.get(base).status_code == status
    assert client.get(base + "inscrire/").status_code == status
    posted = {"name": "X", "email": "x@example.org", "consent": "on"}
    assert client.post(base + "inscrire/", posted).status_code == (302 if status == 200 else 404)
    cancel = client.post(base + f"{person.pk}/annuler/")
    assert cancel.status_code == (302 if status == 200 else 404)
    person.refresh_from_db()
    assert (person.status == Status.CANCELLED) == (status == 200)
    assert Registration.objects.filter(email="x@example.org").exists() == (status == 200)


@pytest.mark.django_db
def test_the_dsden_sees_the_participants_of_its_own_trainings(client, workshop, django_user_model):
    from accounts import roles
    from accounts.services import grant

    workshop.training.structure = None
    workshop.training.organiser_departement = "28"
    workshop.training.save()
    sign_up(workshop.session, 1)
    for code, status in (("35", 404), ("28", 200)):
        user = django_user_model.objects.create_user(f"dsden{code}", f"d{code}@ac.fr", "x")
        grant(user, roles.DSDEN_STAFF, (roles.DEPARTEMENT, code))
        client.force_login(user)
        response = client.get(participants_url(workshop.session))
        assert response.status_code == status
    assert "p1@example.org" in text(response)
    client.force_login(workshop.lea)  # the structure no longer organises it
    assert client.get(participants_url(workshop.session)).status_code == 404


@pytest.mark.django_db
def test_seats_added_to_a_full_session_go_to_the_waiting_list(workshop, committed):
    session = workshop.session
    session.capacity = 1
    session.save()
    sign_up(session, 1)
    first, second = sign_up(session, 2), sign_up(session, 3)
    mail.outbox.clear()
    session.capacity = 2
    with committed():
        session.save()  # the organiser's form saves the session the same way
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, second.status) == (Status.OFFERED, Status.WAITING)
    assert [m.to for m in mail.outbox] == [["p2@example.org"]]


@pytest.mark.django_db
def test_the_session_page_leads_its_organisers_to_the_participants(client, workshop):
    link = f'href="/ateliers/{workshop.session.pk}/participants/"'
    assert link not in text(client.get(f"/ateliers/{workshop.session.pk}/"))
    client.force_login(workshop.sam)
    assert link not in text(client.get(f"/ateliers/{workshop.session.pk}/"))
    client.force_login(workshop.lea)
    assert text(client.get(f"/ateliers/{workshop.session.pk}/")).count(link) == 1


@pytest.mark.django_db
def test_an_organiser_calls_a_session_off_and_everyone_registered_or_waiting_is_told(
    client, workshop, committed
):
    session = workshop.session
    session.capacity = 2
    session.save()
    people = [sign_up(session, n) for n in range(3)]  # two seats taken, one waiting
    registrations.cancel(sign_up(session, 9).pk)  # someone who already left is not written to
    mail.outbox.clear()
    cancel_url = f"/ateliers/{session.pk}/annuler-la-seance/"
    client.force_login(workshop.sam)  # another structure's médiateur
    assert client.post(cancel_url).status_code == 404
    client.force_login(workshop.lea)
    assert "Annuler la séance" in text(client.get(participants_url(session)))
    confirm = text(client.get(cancel_url))
    assert "Les 2 personnes inscrites et les 1 en liste d’attente recevront un message" in confirm
    with committed():
        response = client.post(cancel_url, follow=True)
    assert "La séance est annulée ; 3 personnes inscrites ou en attente prévenues." in text(
        response
    )
    session.refresh_from_db()
    assert session.cancelled
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert all(m.subject.startswith("Séance annulée : ") for m in mail.outbox)
    assert "/ateliers/" in mail.outbox[0].body
    # It leaves the agenda, and calling it off again tells nobody twice.
    assert session not in Session.objects.upcoming()
    with committed():
        client.post(cancel_url)
    assert len(mail.outbox) == 3
