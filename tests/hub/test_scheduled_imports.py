"""Scheduled imports: an uploaded file or an allowed https address, never a server path nor an
internal address; downloads capped; each run a job with its report; beat entries follow."""

import http.server
import threading
import time
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from actors.models import Place
from cartography.importers.coverage import DEMO_FILES
from hub.downloads import DownloadError, receive
from hub.models import ImportHost, Job, ScheduledImport
from hub.scheduling import run_scheduled_import
from hub.tasks import run_scheduled_import as run_task

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PLACES = FIXTURES / "places" / "lieux-v1.0.2.csv"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def weekly(db):
    return CrontabSchedule.objects.create(minute="0", hour="6", day_of_week="1")


def uploaded(path: Path, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def refusal(**fields) -> str:
    """The validation message of a scheduled import with these fields."""
    source = ScheduledImport(name="Essai", importer="places", **fields)
    with pytest.raises(ValidationError) as error:
        source.full_clean(exclude=["schedule"])
    return " ".join(m for messages in error.value.message_dict.values() for m in messages)


def run(weekly, **fields) -> Job:
    """Create a source without validation (as a crafted database row would be) and run it."""
    source = ScheduledImport.objects.create(
        name="Essai", importer="places", schedule=weekly, **fields
    )
    run_scheduled_import(source.pk)
    return source.runs.get()


@pytest.mark.django_db
@pytest.mark.parametrize("location", ["/etc/passwd", "file:///etc/passwd", "../../etc/passwd"])
def test_a_server_path_is_refused_when_saved_and_when_run(weekly, location):
    assert "seule une adresse https://" in refusal(url=location)
    job = run(weekly, url=location)
    assert job.state == "failed"
    assert "Import annulé, base inchangée." in job.error
    assert "seule une adresse https://" in job.error
    assert "root:" not in job.error + job.report


@pytest.mark.django_db
def test_a_file_name_outside_the_uploads_is_never_opened(weekly):
    job = run(weekly, file="/etc/passwd")
    assert job.state == "failed"
    assert "seul un fichier déposé dans l’administration peut être importé" in job.error
    assert "root:" not in job.error + job.report


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("host", "address"),
    [("127.0.0.1", "127.0.0.1"), ("10.0.0.1", "10.0.0.1"), ("localhost", "127.0.0.1")],
)
def test_internal_addresses_are_refused_even_when_their_host_is_allowed(weekly, host, address):
    ImportHost.objects.create(host=host)
    url = f"https://{host}/lieux.csv"
    message = refusal(url=url)
    assert f"« {host} » désigne une adresse interne ({address})" in message
    job = run(weekly, url=url)
    assert job.state == "failed"
    assert f"désigne une adresse interne ({address})" in job.error


@pytest.mark.django_db
def test_a_public_address_on_the_allow_list_is_accepted(weekly):
    ImportHost.objects.create(host="8.8.8.8")  # numeric: resolved without a DNS server
    ScheduledImport(
        name="Public", importer="places", url="https://8.8.8.8/lieux.csv", schedule=weekly
    ).full_clean()


@pytest.mark.django_db
def test_a_host_off_the_allow_list_and_plain_http_are_refused(weekly):
    assert "« example.org » n’est pas dans la liste des hôtes autorisés" in refusal(
        url="https://example.org/lieux.csv"
    )
    assert "seule une adresse https://" in refusal(url="http://static.data.gouv.fr/lieux.csv")
    job = run(weekly, url="https://example.org/lieux.csv")
    assert "n’est pas dans la liste des hôtes autorisés" in job.error


@pytest.mark.django_db
def test_a_source_needs_one_file_or_address_and_known_options(weekly):
    assert "Déposez un fichier ou indiquez une adresse https" in refusal()
    message = refusal(file=uploaded(PLACES), options={"couleur": "bleu"})
    assert "options refusées par cet import" in message
    assert "couleur" in message
    ScheduledImport(
        name="CD28", importer="places", file=uploaded(PLACES), schedule=weekly
    ).full_clean()


@pytest.fixture
def http_server():
    """A local HTTP server answering /big (a declared length) and /stream (no length)."""
    body = b"x" * 300_000

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def do_GET(self):  # noqa: N802 - the standard library's name
            self.send_response(200)
            if self.path == "/big":
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.path == "/slow":
                for _ in range(20):
                    self.wfile.write(b"x" * 70_000)
                    self.wfile.flush()
                    time.sleep(0.1)
                return
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()


def fetch(port: int, target: str, path: Path, max_bytes: int, seconds: float = 10) -> Path:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", target)
        return receive(
            connection.getresponse(),
            path,
            max_bytes=max_bytes,
            deadline=time.monotonic() + seconds,
        )
    finally:
        connection.close()


@pytest.mark.parametrize("target", ["/big", "/stream"])
def test_a_download_over_the_size_cap_is_refused_and_removed(http_server, tmp_path, target):
    with pytest.raises(DownloadError, match="fichier trop volumineux"):
        fetch(http_server, target, tmp_path / "f.csv", max_bytes=100_000)
    assert not (tmp_path / "f.csv").exists()
    assert fetch(http_server, target, tmp_path / "f.csv", 400_000).stat().st_size == 300_000


def test_a_download_that_takes_too_long_is_abandoned(http_server, tmp_path):
    with pytest.raises(DownloadError, match="téléchargement trop long"):
        fetch(http_server, "/slow", tmp_path / "f.csv", max_bytes=10_000_000, seconds=0.5)
    assert not (tmp_path / "f.csv").exists()


@pytest.mark.django_db
def test_an_uploaded_file_is_imported_and_each_run_keeps_its_report(territory_28, weekly):
    source = ScheduledImport.objects.create(
        name="CD28", importer="places", file=uploaded(PLACES), schedule=weekly
    )
    assert run_scheduled_import(source.pk) == "done"
    job = source.runs.get()
    assert "Lieux : 4 créé(s), 0 mis à jour, 0 inchangé(s)" in job.report
    assert Place.objects.filter(sources__source="CD28").count() == 4

    source.file = SimpleUploadedFile("casse.csv", "id,nom\n".encode("utf-16"))
    source.save()
    assert run_scheduled_import(source.pk) == "failed"
    failed = source.runs.order_by("-pk").first()
    assert failed.error.startswith("Import annulé, base inchangée. casse.csv, ligne 1")
    assert Place.objects.count() == 4


@pytest.mark.django_db
def test_a_source_is_not_imported_twice_at_the_same_time(weekly):
    source = ScheduledImport.objects.create(
        name="CD28", importer="places", file=uploaded(PLACES), schedule=weekly
    )
    Job.objects.create(kind="import", scheduled_import=source, state="running")
    assert run_scheduled_import(source.pk) == "failed"
    assert source.runs.order_by("-pk").first().error == (
        "Un import de cette source est déjà en cours : celui-ci n’a pas été lancé."
    )
    assert source.runs.filter(state="running").count() == 1


@pytest.mark.django_db
def test_a_coverage_source_passes_its_options_to_the_importer(territory_28, weekly):
    source = ScheduledImport.objects.create(
        name="ARCEP",
        importer="coverage",
        file=uploaded(DEMO_FILES[0]),
        options={"edition": "T1 2018"},
        schedule=weekly,
    )
    assert run_scheduled_import(source.pk) == "done", source.runs.get().error
    assert "Relevés par commune" in source.runs.get().report


@pytest.mark.django_db
def test_a_source_is_a_beat_entry_that_goes_when_the_source_goes(weekly):
    source = ScheduledImport.objects.create(
        name="CD28", importer="places", file=uploaded(PLACES), schedule=weekly
    )
    entry = PeriodicTask.objects.get(pk=source.periodic_task_id)
    assert (entry.task, entry.args, entry.crontab, entry.enabled) == (
        "hub.run_scheduled_import",
        f"[{source.pk}]",
        weekly,
        True,
    )
    source.enabled = False
    source.save()
    entry.refresh_from_db()
    assert not entry.enabled
    source.delete()
    assert not PeriodicTask.objects.filter(pk=entry.pk).exists()

    other = ScheduledImport.objects.create(
        name="Autre", importer="places", file=uploaded(PLACES), schedule=weekly
    )
    ScheduledImport.objects.filter(pk=other.pk).delete()  # the admin's bulk deletion
    assert not PeriodicTask.objects.filter(task="hub.run_scheduled_import").exists()


@pytest.mark.django_db(transaction=True)
def test_beat_s_task_runs_in_a_real_worker(celery_worker_process, settings, weekly):
    from cartography.importers.territory import TerritorySources, import_territory

    settings.MEDIA_ROOT = settings.BASE_DIR / "media"  # where the session's worker reads
    import_territory("28", TerritorySources.demo())
    source = ScheduledImport.objects.create(
        name="CD28", importer="places", file=uploaded(PLACES), schedule=weekly
    )
    try:
        run_task.delay(source.pk)
        deadline = time.monotonic() + 60
        while (
            time.monotonic() < deadline
            and not source.runs.filter(state__in=["done", "failed"]).exists()
        ):
            time.sleep(0.5)
        job = source.runs.get()
        assert job.state == "done", job.error
        assert job.worker.startswith("hub-test@")
        assert Place.objects.count() == 4
    finally:
        source.file.delete(save=False)


@pytest.fixture
def hub_admin(db, django_user_model):
    from accounts.services import make_hub_admin

    user = django_user_model.objects.create_user("admin", "admin@example.org", "pw-2026-x")
    make_hub_admin(user)
    return user


def test_an_administrator_schedules_an_import_in_the_admin_and_is_told_what_is_refused(
    client, hub_admin, weekly, django_capture_on_commit_callbacks
):
    client.force_login(hub_admin)
    page = client.get("/admin/hub/scheduledimport/add/").content.decode()
    assert "Lieux de médiation numérique" in page and "Couverture ARCEP" in page
    form = {
        "name": "Interne",
        "importer": "places",
        "url": "https://127.0.0.1/lieux.csv",
        "options": "{}",
        "enabled": "on",
        "schedule": weekly.pk,
        "runs-TOTAL_FORMS": "0",
        "runs-INITIAL_FORMS": "0",
    }
    ImportHost.objects.create(host="127.0.0.1")
    refused = client.post("/admin/hub/scheduledimport/add/", form).content.decode()
    assert "désigne une adresse interne (127.0.0.1)" in refused
    assert not ScheduledImport.objects.exists()

    form.update(url="", file=uploaded(PLACES))
    response = client.post("/admin/hub/scheduledimport/add/", form)
    assert response.status_code == 302
    source = ScheduledImport.objects.get()
    assert source.file.name.startswith("imports/")
    assert PeriodicTask.objects.filter(pk=source.periodic_task_id, enabled=True).exists()

    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.post(
            "/admin/hub/scheduledimport/",
            {"action": "run_now", "_selected_action": [source.pk]},
        )
    job = source.runs.get()
    assert (job.state, job.requested_by) == ("queued", hub_admin)
    assert len(queued) == 1  # the task is sent once the job is saved
    assert "en attente" in client.get("/admin/hub/scheduledimport/").content.decode()
