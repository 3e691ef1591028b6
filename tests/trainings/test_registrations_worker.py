"""The registrations' Celery tasks run by a real worker (another process: its e-mails are not in
this process's outbox, so the test reads the messages it recorded, and their subjects)."""

import datetime
import time

import pytest
from django.utils import timezone

from trainings import registrations, tasks
from trainings.models import Registration, RegistrationMessage, WalkInCount

from .registration_fixtures import make_session, make_workshop


def wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


@pytest.mark.django_db(transaction=True)
def test_the_worker_reminds_once_and_erases_old_participants(
    celery_worker_process, django_user_model, settings
):
    workshop = make_workshop(django_user_model)
    soon = make_session(workshop.training, workshop.place, days=1.5)
    for number in range(3):
        registrations.register(soon.pk, name=f"P{number}", email=f"p{number}@example.org")
    registrations.register(soon.pk, name="Tel", phone="0611223344")  # no channel reaches them
    registrations.register(workshop.session.pk, name="Later", email="later@example.org")
    reminders = RegistrationMessage.objects.filter(kind=RegistrationMessage.Kind.REMINDER)

    tasks.send_reminders.delay()
    assert wait_for(lambda: reminders.count() == 3), list(reminders.values_list("subject"))
    when = timezone.localtime(soon.starts_at)
    expected = f"Rappel : Premiers pas sur smartphone, le {when:%d/%m/%Y à %H:%M}"
    assert set(reminders.values_list("subject", "channel")) == {(expected, "email")}
    assert set(reminders.values_list("registration__email", flat=True)) == {
        "p0@example.org",
        "p1@example.org",
        "p2@example.org",
    }
    tasks.send_reminders.delay()  # again: nobody is reminded twice
    time.sleep(2)
    assert reminders.count() == 3

    # The session held long ago: the worker erases the people, the counts stay.
    past = make_session(workshop.training, workshop.place, days=-200)
    for number in range(3):
        Registration.objects.create(
            session=past,
            name=f"Ancien {number}",
            email=f"old{number}@example.org",
            consent_at=past.starts_at,
            status=Registration.Status.CONFIRMED,
            attendance="present" if number else "absent",
            audience="parents",
        )
    WalkInCount.objects.create(session=past, audience="seniors", count=2)
    before = registrations.counts(past)
    tasks.erase_personal_data.delay()
    old = Registration.objects.filter(session=past)
    assert wait_for(lambda: not old.filter(erased_at=None).exists())
    assert set(old.values_list("name", "email", "phone", "needs")) == {("", "", "", "")}
    assert registrations.counts(past) == before
    assert (before.present, before.absent, before.walk_ins) == (2, 1, 2)
    assert not Registration.objects.filter(session=soon, name="").exists()  # recent: kept


@pytest.mark.django_db(transaction=True)
def test_the_worker_moves_an_expired_offer_to_the_next_person(
    celery_worker_process, django_user_model
):
    session = make_workshop(django_user_model).session
    session.capacity = 1
    session.save()
    seat = registrations.register(session.pk, name="A", email="a@example.org")
    first = registrations.register(session.pk, name="B", email="b@example.org")
    registrations.register(session.pk, name="C", email="c@example.org")
    registrations.cancel(seat.pk)
    Registration.objects.filter(pk=first.pk).update(
        offer_expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    tasks.expire_offers.delay()
    offered = Registration.objects.filter(status=Registration.Status.OFFERED)
    assert wait_for(lambda: list(offered.values_list("name", flat=True)) == ["C"])
    assert Registration.objects.get(pk=first.pk).status == Registration.Status.CANCELLED
    assert RegistrationMessage.objects.filter(
        registration__name="C", kind=RegistrationMessage.Kind.OFFER
    ).exists()
