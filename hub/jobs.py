"""Running work as a `Job` from a Celery task, and noticing jobs whose worker vanished.

`run_job(job, work, task=self)` marks the job running, gives `work(job, progress)` a
`JobProgress`, and ends the job done, or failed with a message in French for the person who
asked: the message of a `JobError` (or of the `readable` exceptions given), the time limit when
Celery's soft limit interrupts it, a generic sentence otherwise (the traceback goes to the log).
While the work runs, a thread writes the progress and a heartbeat to the job every few seconds;
`sweep_vanished_jobs` (a periodic task) fails the running jobs whose heartbeat stopped: their
worker was killed, restarted or hit the hard time limit.
"""

from __future__ import annotations

import datetime
import logging
import threading
import time
from collections.abc import Callable

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import connections
from django.utils import timezone

from .models import Job
from .progress import JobProgress

logger = logging.getLogger(__name__)

INTERNAL_ERROR = (
    "Erreur interne : le traitement a échoué. L’équipe technique en trouvera le détail dans "
    "les journaux du serveur ; vous pouvez relancer la demande."
)
VANISHED = (
    "Le traitement s’est arrêté sans se terminer : le processus qui l’exécutait a disparu "
    "(arrêté, tué ou redémarré). Relancez-le."
)


class JobError(Exception):
    """A failure whose message is for the person who asked (in French)."""


def time_limit_message(seconds: float | None) -> str:
    minutes = round((seconds or settings.CELERY_TASK_SOFT_TIME_LIMIT) / 60)
    return (
        f"Le traitement a dépassé sa durée maximale ({minutes} min) et a été interrompu "
        "avant la fin."
    )


class _Heartbeat(threading.Thread):
    """Writes the job's progress (when it changed) and a heartbeat, on its own connection."""

    def __init__(self, job_id: int, progress: JobProgress, interval: float):
        super().__init__(name=f"job-{job_id}-heartbeat", daemon=True)
        self.job_id, self.progress, self.interval = job_id, progress, interval
        self.stopped = threading.Event()

    def run(self):
        written_version, written_at = None, time.monotonic()
        try:
            with connections["default"].cursor() as cursor:
                # Never wait on a row the work locked: skip a beat instead.
                cursor.execute("SET lock_timeout = '2s'")
            while not self.stopped.wait(min(self.interval, 0.5)):
                done, total, label, version = self.progress.snapshot()
                if version == written_version and time.monotonic() - written_at < self.interval:
                    continue
                try:
                    Job.objects.filter(pk=self.job_id, state=Job.State.RUNNING).update(
                        progress_done=done,
                        progress_total=total,
                        progress_label=label,
                        heartbeat_at=timezone.now(),
                    )
                except Exception:  # noqa: BLE001 - a missed beat must not stop the work
                    logger.warning("heartbeat of job %s not written", self.job_id, exc_info=True)
                written_version, written_at = version, time.monotonic()
        finally:
            connections.close_all()  # this thread's connections only

    def stop(self):
        self.stopped.set()
        self.join(timeout=10)


def run_job(
    job: Job,
    work: Callable[[Job, JobProgress], object],
    *,
    task=None,
    readable: tuple[type[BaseException], ...] = (),
) -> str:
    """Run `work(job, progress)` as `job` (from the Celery `task` if given); returns the final
    state. `work` may set `job.report`, `job.result` or `job.title` before returning."""
    job.state, job.error = Job.State.RUNNING, ""
    job.started_at = job.heartbeat_at = timezone.now()
    if task is not None:
        job.task_id = task.request.id or ""
        job.worker = task.request.hostname or ""
    job.save(update_fields=["state", "error", "started_at", "heartbeat_at", "task_id", "worker"])
    progress = JobProgress()
    heartbeat = _Heartbeat(job.pk, progress, settings.HUB_JOB_HEARTBEAT_SECONDS)
    heartbeat.start()
    try:
        work(job, progress)
    except SoftTimeLimitExceeded:
        job.state, job.error = Job.State.FAILED, time_limit_message(_soft_limit(task))
    except (JobError, *readable) as exc:
        job.state, job.error = Job.State.FAILED, str(exc)
    except Exception:  # noqa: BLE001 - the person who asked must learn it failed, whatever the cause
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        job.state, job.error = Job.State.FAILED, INTERNAL_ERROR
    else:
        job.state = Job.State.DONE
    finally:
        heartbeat.stop()
    done, total, label, _ = progress.snapshot()
    if job.state == Job.State.DONE:
        done, label = total or done, "Terminé"
    job.progress_done, job.progress_total, job.progress_label = done, total, label
    job.finished_at = job.heartbeat_at = timezone.now()
    job.save()
    return job.state


def _soft_limit(task) -> float | None:
    return getattr(task, "soft_time_limit", None) if task is not None else None


def sweep_vanished_jobs(stale_after: float | None = None) -> int:
    """Fail the running jobs without a heartbeat for `stale_after` seconds (default
    HUB_JOB_STALE_AFTER): their worker is gone. Returns how many were failed."""
    seconds = settings.HUB_JOB_STALE_AFTER if stale_after is None else stale_after
    limit = timezone.now() - datetime.timedelta(seconds=seconds)
    return Job.objects.filter(state=Job.State.RUNNING, heartbeat_at__lt=limit).update(
        state=Job.State.FAILED, error=VANISHED, finished_at=timezone.now()
    )
