"""Celery tasks of the territory and its coverage: thin wrappers around importers and reports."""

from pathlib import Path

from celery import shared_task

from hub.jobs import run_job

from .importers.territory import TerritorySources, import_territory
from .models import CoverageReport
from .reports import ScopeError, build_report


@shared_task(name="cartography.import_territory")
def import_territory_task(departement: str, sources: dict[str, str] | None = None) -> dict:
    """Import a département's territory; `sources` maps TerritorySources fields to file paths
    (the demo files when omitted). Idempotent, so safe to retry."""
    files = TerritorySources.demo()
    for name, path in (sources or {}).items():
        setattr(files, name, Path(path) if path else None)
    return import_territory(departement, files).as_dict()


@shared_task(name="cartography.build_coverage_report", bind=True)
def build_coverage_report(self, report_id: int) -> str:
    """Build a requested coverage report as its job (progress for the waiting page)."""
    report = CoverageReport.objects.select_related("job").get(pk=report_id)
    return run_job(
        report.job,
        lambda job, progress: build_report(report, progress),
        task=self,
        readable=(ScopeError,),
    )
