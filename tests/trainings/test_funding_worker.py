"""The weekly digest run by a real Celery worker (another process: its e-mails are not in this
process's outbox, so the test reads what the task recorded: the week's digest sent once)."""

import datetime
import time

import pytest
from django.utils import timezone

from actors.models import Structure
from trainings import tasks
from trainings.models import DigestSubscription, FundingCall


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_weekly_digest_once(celery_worker_process):
    structure = Structure.objects.create(name="Fablab du Perche")
    subscription = DigestSubscription.objects.create(structure=structure, email="a@example.org")
    quiet = DigestSubscription.objects.create(
        structure=structure,
        email="b@example.org",
        last_sent_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    FundingCall.objects.create(
        title="Appel urgent",
        funder="Département",
        deadline=timezone.localdate() + datetime.timedelta(days=5),
        applicants="structures",
        link="https://example.org/aap",
    )
    tasks.send_funding_digest.delay()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        subscription.refresh_from_db()
        if subscription.last_sent_on:
            break
        time.sleep(0.3)
    assert subscription.last_sent_on == timezone.localdate()
    quiet.refresh_from_db()
    # Served three days ago: not due before next week.
    assert quiet.last_sent_on == timezone.localdate() - datetime.timedelta(days=3)
    # Run again the same week (here, in this process): nothing is sent twice.
    assert tasks.send_funding_digest.apply().get() == 0
