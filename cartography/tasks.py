"""Celery tasks of the territory and its coverage: thin wrappers around importers and reports."""

import tempfile
from pathlib import Path

from celery import shared_task
from django.utils import timezone

from hub.imports import ImportFileError
from hub.scheduling import fetch

from .importers.coverage import import_coverage
from .importers.territory import TerritorySources, import_territory
from .models import CoverageReport, CoverageSource


@shared_task(name="cartography.import_territory")
def import_territory_task(departement: str, sources: dict[str, str] | None = None) -> dict:
    """Import a département's territory; `sources` maps TerritorySources fields to file paths
    (the demo files when omitted). Idempotent, so safe to retry."""
    files = TerritorySources.demo()
    for name, path in (sources or {}).items():
        setattr(files, name, Path(path) if path else None)
    return import_territory(departement, files).as_dict()


@shared_task(name="cartography.import_coverage_source", soft_time_limit=40 * 60, time_limit=45 * 60)
def import_coverage_source(source_id: int) -> str:
    """Re-import a scheduled coverage source; its last report is kept on the source."""
    source = CoverageSource.objects.get(pk=source_id)
    try:
        with tempfile.TemporaryDirectory() as folder:
            report = import_coverage(
                fetch(source.location, folder, "couverture.csv"), kind=source.kind or None
            )
    except (ImportFileError, OSError, ValueError) as exc:
        status, text = "failed", f"Import annulé, base inchangée. {exc}"
    else:
        status, text = "done", "\n".join(report.lines())
    CoverageSource.objects.filter(pk=source_id).update(
        last_run_at=timezone.now(), last_status=status, last_report=text
    )
    return status


@shared_task(name="cartography.build_coverage_report")
def build_coverage_report(report_id: int) -> str:
    """Build a requested coverage report, recording its progress for the waiting page."""
    from .reports import build_report

    report = CoverageReport.objects.get(pk=report_id)
    build_report(report)
    return report.status
