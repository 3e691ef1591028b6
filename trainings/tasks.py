"""Celery tasks of registrations: expire offers of freed seats, remind participants two days
before, erase participants' personal data once their session is long past. Scheduled in the
database (django-celery-beat, migration 0004), each idempotent: running one again changes
nothing more."""

from celery import shared_task

from . import registrations


@shared_task(name="trainings.expire_offers")
def expire_offers() -> int:
    """Withdraw the seats offered and not taken in time, and offer them to the next people."""
    return registrations.expire_offers()


@shared_task(name="trainings.send_reminders")
def send_reminders() -> int:
    """Remind confirmed participants of the sessions starting within two days (once each)."""
    return registrations.send_reminders()


@shared_task(name="trainings.erase_personal_data")
def erase_personal_data() -> int:
    """Blank participants' names and contacts HUB_TRAINING_DATA_MONTHS months after the session."""
    return registrations.erase_personal_data()


# The weekly digest of funding calls (its own module; imported so the worker registers it).
from .funding_tasks import send_funding_digest  # noqa: E402, F401
