"""Reminders of stale listings: a real Celery task, its schedule kept in the database
(scheduled imports are tested in tests/hub/test_scheduled_imports.py)."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from actors.demo import load_demo_places
from actors.models import Membership, Place
from actors.tasks import remind_stale_listings


@pytest.mark.django_db
def test_members_of_stale_listings_are_reminded_once_a_month(territory_28, django_user_model):
    load_demo_places()
    assert PeriodicTask.objects.filter(task="actors.remind_stale_listings").exists()
    fablab = Place.objects.get(name="Fablab de Chartres")
    member = django_user_model.objects.create_user("lea", "lea@fablab.fr", "pw-solide-123")
    Membership.objects.create(structure=fablab.structure, user=member, status="active")
    long_ago = timezone.now() - datetime.timedelta(days=200)
    Place.objects.update(created_at=long_ago)
    Place.objects.exclude(pk=fablab.pk).update(confirmed_at=timezone.now())
    Place.objects.filter(pk=fablab.pk).update(confirmed_at=long_ago)

    assert remind_stale_listings() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lea@fablab.fr"]
    assert "« Fablab de Chartres »" in mail.outbox[0].subject
    assert "/espace/" in mail.outbox[0].body
    assert remind_stale_listings() == 0  # not twice in a month
    fablab.confirm()
    Place.objects.filter(pk=fablab.pk).update(reminded_at=None)
    assert remind_stale_listings() == 0  # confirmed: nothing to remind
