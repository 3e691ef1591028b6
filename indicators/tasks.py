"""Recomputing indicators in the background: debounced requests, one job per run, nightly.

A change (a place saved, a census answer, a maturity rule, an import) calls
`request_recompute(communes)`: once the transaction commits, the communes join a pending set in
Redis and, unless a run is already due, one task is queued a few seconds later. That task takes
every pending commune at once and recomputes as a `Job` (admins see its progress and errors in
"Traitements"). Recomputing is idempotent, so a duplicate run changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from hub.jobs import run_job
from hub.models import Job

JOB_KIND = "indicators"
PENDING = "indicators:pending-communes"
ALL = "*"  # in the pending set: recompute all of France
DUE = "indicators:recompute-due"


def debounce_seconds() -> float:
    return getattr(settings, "HUB_INDICATORS_DEBOUNCE_SECONDS", 5)


def _redis():
    return cache._cache.get_client(write=True)  # the cache's own Redis connection


def request_recompute(communes: Iterable[str] | None) -> None:
    """Recompute every indicator for these communes' territories (None: all of France), soon
    after the current transaction commits. Off when HUB_INDICATORS_AUTO_RECOMPUTE is False (the
    test settings: a worker shared by the suite must not write jobs into unrelated tests)."""
    if not getattr(settings, "HUB_INDICATORS_AUTO_RECOMPUTE", True):
        return
    members = [ALL] if communes is None else [c for c in communes if c]
    if not members:
        return

    def enqueue():
        _redis().sadd(cache.make_key(PENDING), *members)
        delay = debounce_seconds()
        if cache.add(DUE, 1, timeout=max(int(delay), 1)):
            recompute_pending.apply_async(countdown=delay)

    transaction.on_commit(enqueue)


def take_pending() -> list[str] | None:
    """The pending communes (None: all of France), emptied atomically."""
    key = cache.make_key(PENDING)
    pipe = _redis().pipeline()
    pipe.smembers(key)
    pipe.delete(key)
    members = {m.decode() if isinstance(m, bytes) else m for m in pipe.execute()[0]}
    if ALL in members:
        return None
    return sorted(members)


def recompute_as_job(job: Job, codes=None, communes=None, task=None) -> str:
    from .registry import recompute

    def work(job, progress):
        counts = recompute(codes, communes, progress=progress)
        job.report = (
            f"{counts['created']} valeur(s) créée(s), {counts['updated']} mise(s) à jour, "
            f"{counts['unchanged']} inchangée(s), {counts['removed']} retirée(s) ; "
            f"{counts['method_or_vintage']} changent de méthode ou de millésime."
        )

    return run_job(job, work, task=task)


def _job(communes, codes) -> Job:
    where = "toute la France" if communes is None else f"{len(communes)} commune(s)"
    which = "tous les indicateurs" if codes is None else ", ".join(codes)
    return Job.objects.create(kind=JOB_KIND, title=f"Recalcul des indicateurs ({which}, {where})")


@shared_task(name="indicators.recompute_pending", bind=True)
def recompute_pending(self) -> str | None:
    """Recompute for the communes requested since the last run (debounced)."""
    communes = take_pending()
    if communes == []:
        return None
    return recompute_as_job(_job(communes, None), communes=communes, task=self)


@shared_task(name="indicators.recompute", bind=True)
def recompute_indicators(self, codes: list[str] | None = None, communes: list[str] | None = None):
    """Recompute the given indicators (all: None) for the given communes' territories (all of
    France: None); the nightly beat entry runs it with no argument."""
    return recompute_as_job(_job(communes, codes), codes, communes, task=self)
