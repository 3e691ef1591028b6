"""Scheduled coverage re-imports: a beat entry per source, and the last report on the source."""

import pytest
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from cartography.importers.coverage import DEMO_FILES
from cartography.models import CoverageSnapshot, CoverageSource
from cartography.tasks import import_coverage_source


@pytest.mark.django_db
def test_a_scheduled_source_is_run_by_beat_and_keeps_its_last_report(territory_28, tmp_path):
    monthly = CrontabSchedule.objects.create(minute="0", hour="4", day_of_month="1")
    source = CoverageSource.objects.create(
        name="ARCEP FttH communes", location=str(DEMO_FILES[0]), schedule=monthly
    )
    entry = PeriodicTask.objects.get(pk=source.periodic_task_id)
    assert (entry.task, entry.args, entry.crontab) == (
        "cartography.import_coverage_source",
        f"[{source.pk}]",
        monthly,
    )

    assert import_coverage_source(source.pk) == "done"
    source.refresh_from_db()
    assert "Relevés par commune : 1089 créé(s)" in source.last_report
    assert source.last_run_at is not None

    broken = tmp_path / "vide.csv"
    broken.write_text("rien ici\n", encoding="utf-8")
    CoverageSource.objects.filter(pk=source.pk).update(location=str(broken))
    assert import_coverage_source(source.pk) == "failed"
    source.refresh_from_db()
    assert source.last_report.startswith("Import annulé, base inchangée. vide.csv, ligne 1")
    assert CoverageSnapshot.objects.count() == 1089
