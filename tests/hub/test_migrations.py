"""The old scheduled-import models move into the hub's and back: sources, runs, beat entries and
coverage reports; a source that was a server path arrives disabled, saying why."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

OLD = [("actors", "0006_structure_proposals"), ("cartography", "0002_coverage")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def old_rows(apps):
    crontab = apps.get_model("django_celery_beat", "CrontabSchedule").objects.create(
        minute="0", hour="6"
    )
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    ImportSource = apps.get_model("actors", "ImportSource")
    for name, location in [("CD28", "https://lieux.example.org/lieux.csv"), ("etc", "/etc/passwd")]:
        task = PeriodicTask.objects.create(
            name=f"Import des lieux : {name}", task="actors.import_source", crontab=crontab
        )
        ImportSource.objects.create(
            name=name, location=location, schedule=crontab, periodic_task=task
        )
    apps.get_model("actors", "ImportRun").objects.create(
        source=ImportSource.objects.get(name="CD28"), status="running"
    )
    task = PeriodicTask.objects.create(
        name="Import de couverture : ARCEP",
        task="cartography.import_coverage_source",
        crontab=crontab,
    )
    apps.get_model("cartography", "CoverageSource").objects.create(
        name="ARCEP",
        location="https://arcep.example.org/f.csv",
        kind="ftth_communes",
        schedule=crontab,
        periodic_task=task,
    )
    user = apps.get_model("accounts", "User").objects.create(username="pref")
    apps.get_model("cartography", "CoverageReport").objects.create(
        requested_by=user,
        parameters={"format": "pdf"},
        title="T",
        status="done",
        progress=100,
        file="reports/t.pdf",
    )


@pytest.mark.django_db(transaction=True)
def test_old_sources_runs_and_reports_move_to_the_hub_and_back():
    new = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old_rows(migrate(OLD))
        apps = migrate(new)
        ScheduledImport = apps.get_model("hub", "ScheduledImport")
        places = ScheduledImport.objects.get(name="CD28")
        assert (places.importer, places.url, places.enabled) == (
            "places",
            "https://lieux.example.org/lieux.csv",
            True,
        )
        stuck = places.runs.get()
        assert stuck.state == "failed"  # left "en cours" by a dead worker, now said so
        assert "a disparu" in stuck.error
        refused = ScheduledImport.objects.get(name="etc")
        assert (refused.url, refused.enabled) == ("", False)
        assert "« /etc/passwd » n’est pas une adresse https" in refused.runs.get().error
        coverage = ScheduledImport.objects.get(name="ARCEP")
        assert coverage.options == {"kind": "ftth_communes"}
        assert coverage.periodic_task.task == "hub.run_scheduled_import"
        assert coverage.periodic_task.args == f"[{coverage.pk}]"
        hosts = set(apps.get_model("hub", "ImportHost").objects.values_list("host", flat=True))
        assert {"lieux.example.org", "arcep.example.org"} <= hosts
        report = apps.get_model("cartography", "CoverageReport").objects.get()
        assert (report.job.state, report.job.result.name, report.job.requested_by.username) == (
            "done",
            "reports/t.pdf",
            "pref",
        )

        apps = migrate(OLD)
        locations = dict(
            apps.get_model("actors", "ImportSource").objects.values_list("name", "location")
        )
        assert locations == {"CD28": "https://lieux.example.org/lieux.csv", "etc": "/etc/passwd"}
        arcep = apps.get_model("cartography", "CoverageSource").objects.get()
        assert (arcep.kind, arcep.periodic_task.task) == (
            "ftth_communes",
            "cartography.import_coverage_source",
        )
        report = apps.get_model("cartography", "CoverageReport").objects.get()
        assert (report.status, report.file.name, report.requested_by.username) == (
            "done",
            "reports/t.pdf",
            "pref",
        )
    finally:
        migrate(new)
