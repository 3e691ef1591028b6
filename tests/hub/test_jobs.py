"""Background jobs: their end states and messages, and the sweeper of vanished workers, with a
real Celery worker killed in the middle of an import."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule

from accounts import roles
from hub.celery import app
from hub.jobs import JobError, run_job, sweep_vanished_jobs
from hub.models import Job, ScheduledImport

ROOT = Path(__file__).resolve().parents[2]
QUEUE = "hub-kill-test"


def job_after(work) -> Job:
    job = Job.objects.create(kind="essai", title="Essai")
    run_job(job, work)
    job.refresh_from_db()
    return job


@pytest.mark.django_db
def test_a_job_that_ends_well_is_done_at_100_percent():
    def work(job, progress):
        for _ in progress(range(4), "Étape", 4):
            pass
        job.report = "4 lignes"

    job = job_after(work)
    assert (job.state, job.percent, job.report, job.progress_label) == (
        "done",
        100,
        "4 lignes",
        "Terminé",
    )
    assert job.finished_at is not None


@pytest.mark.django_db
def test_a_failure_says_why_in_french_for_the_person_who_asked():
    def refused(job, progress):
        raise JobError("le territoire n’est pas chargé")

    def broken(job, progress):
        raise KeyError("colonne")

    def too_long(job, progress):
        raise SoftTimeLimitExceeded()

    assert job_after(refused).error == "le territoire n’est pas chargé"
    internal = job_after(broken)
    assert internal.state == "failed"
    assert internal.error.startswith("Erreur interne : le traitement a échoué.")
    assert "KeyError" not in internal.error
    timed_out = job_after(too_long)
    assert timed_out.state == "failed"
    assert timed_out.error.startswith("Le traitement a dépassé sa durée maximale (25 min)")


@pytest.mark.django_db
def test_the_sweeper_fails_only_running_jobs_without_heartbeat():
    now = timezone.now()
    silent = Job.objects.create(
        kind="essai", state="running", heartbeat_at=now - timezone.timedelta(minutes=5)
    )
    alive = Job.objects.create(kind="essai", state="running", heartbeat_at=now)
    done = Job.objects.create(
        kind="essai", state="done", heartbeat_at=now - timezone.timedelta(hours=1)
    )
    assert sweep_vanished_jobs() == 1
    states = dict(Job.objects.values_list("pk", "state"))
    assert states == {silent.pk: "failed", alive.pk: "running", done.pk: "done"}
    silent.refresh_from_db()
    assert "le processus qui l’exécutait a disparu" in silent.error


@pytest.mark.django_db
def test_the_report_page_says_when_the_worker_building_it_vanished(client, django_user_model):
    from accounts.services import grant
    from cartography.models import CoverageReport

    user = django_user_model.objects.create_user("pref", "p@example.org", "pw-2026-x")
    grant(user, roles.PREFECTURE_STAFF, (roles.DEPARTEMENT, "28"))
    report = CoverageReport.request(user, {"departement": "28", "format": "pdf"}, "Rapport")
    long_ago = timezone.now() - timezone.timedelta(minutes=10)
    Job.objects.filter(pk=report.job_id).update(state="running", heartbeat_at=long_ago)
    client.force_login(user)
    page = f"/couverture/rapport/{report.pk}/"
    assert client.get(page, {"format": "json"}).json()["status"] == "running"

    sweep_vanished_jobs()
    state = client.get(page, {"format": "json"}).json()
    assert (state["status"], state["download"]) == ("failed", None)
    assert state["error"].startswith("Le traitement s’est arrêté sans se terminer")
    html = client.get(page).content.decode()
    assert "La préparation a échoué." in html
    assert "le processus qui l’exécutait a disparu" in html


def test_every_task_has_a_soft_time_limit_below_its_hard_one(settings):
    app.loader.import_default_modules()
    for name, task in app.tasks.items():
        if name.startswith("celery."):
            continue
        soft = task.soft_time_limit or settings.CELERY_TASK_SOFT_TIME_LIMIT
        hard = task.time_limit or settings.CELERY_TASK_TIME_LIMIT
        assert soft < hard, name


def start_worker(media_root: Path) -> subprocess.Popen:
    """A worker of its own (its queue only) with the slow test importer and a fast heartbeat."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.hub.worker_settings",
        "HUB_DATABASE_NAME": connection.settings_dict["NAME"],
        "DJANGO_MEDIA_ROOT": str(media_root),
        "HUB_JOB_HEARTBEAT_SECONDS": "0.5",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "hub", "worker", "--pool=solo", "-Q", QUEUE]
        + ["--hostname=hub-kill@%h", "--without-mingle", "--without-gossip", "-l", "WARNING"],
        cwd=ROOT,
        env=env,
    )


def forget_unacknowledged(queue: str) -> None:
    """Drop the killed worker's unacknowledged message (acks_late), so that no later worker
    of the test broker runs it again once the visibility timeout ends."""
    with app.connection_for_write() as conn:
        client = conn.default_channel.client
        for tag, raw in client.hgetall("unacked").items():
            if json.loads(raw)[2] == queue:
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"{what} : rien après {seconds} s")


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_during_an_import_leaves_a_failed_run_with_a_message(settings, tmp_path):
    from hub.tasks import run_scheduled_import

    settings.MEDIA_ROOT = tmp_path
    source = ScheduledImport.objects.create(
        name="Lent",
        importer="slow",  # registered by tests/hub/slowapp, installed in that worker only
        file=SimpleUploadedFile("lent.csv", b"id\n1\n"),
        schedule=CrontabSchedule.objects.create(minute="0", hour="6"),
    )
    worker = start_worker(tmp_path)
    try:
        run_scheduled_import.apply_async((source.pk,), queue=QUEUE)
        job = wait_for(
            lambda: source.runs.filter(state="running", progress_done__gt=0).first(),
            60,
            "l'import n'a pas commencé",
        )
        assert job.worker.startswith("hub-kill@")
        assert sweep_vanished_jobs(stale_after=3) == 0  # alive: its heartbeat goes on

        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        time.sleep(3.5)
        assert sweep_vanished_jobs(stale_after=3) == 1
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=10)
        forget_unacknowledged(QUEUE)
    job.refresh_from_db()
    assert job.state == "failed"
    assert job.error.startswith("Le traitement s’est arrêté sans se terminer")
    assert job.finished_at is not None
