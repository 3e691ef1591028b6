"""The hub's own Celery tasks: scheduled imports, the sweeper of vanished jobs and the purge
of the sign-in journal."""

from celery import shared_task
from django.conf import settings

from . import jobs, scheduling


@shared_task(
    name="hub.run_scheduled_import",
    bind=True,
    soft_time_limit=settings.HUB_IMPORT_SOFT_TIME_LIMIT,
    time_limit=settings.HUB_IMPORT_TIME_LIMIT,
)
def run_scheduled_import(self, source_id: int, job_id: int | None = None) -> str | None:
    """Run a scheduled import (from beat, or queued by an administrator with its job)."""
    return scheduling.run_scheduled_import(source_id, job_id, task=self)


@shared_task(name="hub.sweep_vanished_jobs")
def sweep_vanished_jobs() -> int:
    """Fail the running jobs whose worker vanished (no heartbeat for HUB_JOB_STALE_AFTER)."""
    return jobs.sweep_vanished_jobs()


@shared_task(name="hub.purge_sign_in_log")
def purge_sign_in_log() -> int:
    """Erase the sign-ins older than HUB_SIGN_IN_LOG_DAYS (daily, see the personal-data page)."""
    from .legal import purge_sign_in_log

    return purge_sign_in_log()
