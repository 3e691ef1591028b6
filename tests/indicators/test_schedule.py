from django_celery_beat.models import PeriodicTask

from hub.celery import app


def test_every_indicator_is_recomputed_nightly_by_a_known_task(db):
    entry = PeriodicTask.objects.get(name="Recalcul de tous les indicateurs (nuit)")
    assert entry.enabled and (entry.crontab.hour, entry.crontab.minute) == ("2", "30")
    assert entry.task in app.tasks
