"""Scheduled imports and reminders: real Celery tasks, schedules kept in the database."""

import datetime
import time

import pytest
from django.core import mail
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from actors.demo import load_demo_places
from actors.models import ImportRun, ImportSource, Membership, Place
from actors.tasks import import_source, remind_stale_listings


@pytest.fixture
def weekly(db):
    return CrontabSchedule.objects.create(minute="0", hour="6", day_of_week="1")


@pytest.mark.django_db
def test_an_administrator_s_source_becomes_a_beat_schedule(weekly, places_v1):
    source = ImportSource.objects.create(name="CD28", location=str(places_v1), schedule=weekly)
    task = PeriodicTask.objects.get(pk=source.periodic_task_id)
    assert (task.task, task.args, task.crontab, task.enabled) == (
        "actors.import_source",
        f"[{source.pk}]",
        weekly,
        True,
    )
    source.enabled = False
    source.save()
    task.refresh_from_db()
    assert not task.enabled
    assert PeriodicTask.objects.filter(task="actors.remind_stale_listings").exists()


@pytest.mark.django_db
def test_each_run_keeps_its_report(territory_28, weekly, places_v1, tmp_path):
    source = ImportSource.objects.create(name="CD28", location=str(places_v1), schedule=weekly)
    import_source(source.pk)
    run = source.runs.get()
    assert run.status == "done"
    assert "Lieux : 4 créé(s), 0 mis à jour, 0 inchangé(s)" in run.report
    assert Place.objects.filter(sources__source="CD28").count() == 4

    broken = tmp_path / "casse.csv"
    broken.write_bytes("id,nom\n".encode("utf-16"))
    ImportSource.objects.filter(pk=source.pk).update(location=str(broken))
    import_source(source.pk)
    failed = source.runs.order_by("-pk").first()
    assert failed.status == "failed"
    assert "Import annulé, base inchangée. casse.csv, ligne 1 : octet nul" in failed.report


@pytest.mark.django_db(transaction=True)
def test_beat_s_task_runs_in_a_real_worker(celery_worker_process, weekly, places_v1):
    from cartography.importers.territory import TerritorySources, import_territory

    import_territory("28", TerritorySources.demo())
    source = ImportSource.objects.create(name="CD28", location=str(places_v1), schedule=weekly)
    import_source.delay(source.pk)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not ImportRun.objects.exclude(status="running").exists():
        time.sleep(0.5)
    assert ImportRun.objects.get().status == "done"
    assert Place.objects.count() == 4


@pytest.mark.django_db
def test_members_of_stale_listings_are_reminded_once_a_month(territory_28, django_user_model):
    load_demo_places()
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
