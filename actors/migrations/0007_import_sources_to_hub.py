"""Scheduled places imports become hub scheduled imports, their runs hub jobs.

A source given as a server path (or plain http) is not carried over as such: the hub never opens
a path typed by someone. It becomes a disabled scheduled import whose failed run says why. A run
left "en cours" (its worker died) is carried over as failed, with the reason.
"""

from django.db import migrations

from hub.migrations_support import restore_sources, sources_to_scheduled_imports

VANISHED = "Le traitement s’est arrêté sans se terminer : le processus qui l’exécutait a disparu."


def _runs(source) -> list[dict]:
    runs = []
    for run in source.runs.order_by("started_at"):
        state = run.status if run.status in ("done", "failed") else "failed"
        runs.append(
            {
                "state": state,
                "report": run.report if run.status == "done" else "",
                "error": run.report if run.status == "failed" else "",
                "started_at": run.started_at,
                "finished_at": run.finished_at,
            }
        )
        if run.status == "running":
            runs[-1]["error"] = VANISHED
    return runs


def forwards(apps, schema_editor):
    sources_to_scheduled_imports(
        apps,
        apps.get_model("actors", "ImportSource").objects.all(),
        importer="places",
        options=lambda source: {},
        runs=_runs,
    )


def backwards(apps, schema_editor):
    ImportSource = apps.get_model("actors", "ImportSource")
    ImportRun = apps.get_model("actors", "ImportRun")

    def restore(scheduled, location, runs):
        source = ImportSource.objects.create(
            name=scheduled.name,
            location=location,
            enabled=scheduled.enabled,
            schedule_id=scheduled.schedule_id,
            periodic_task_id=scheduled.periodic_task_id,
        )
        for job in runs:
            run = ImportRun.objects.create(
                source=source,
                status=job.state if job.state in ("done", "failed") else "running",
                report=job.report or job.error,
                finished_at=job.finished_at,
            )
            ImportRun.objects.filter(pk=run.pk).update(started_at=job.started_at or job.created_at)
        return source

    restore_sources(apps, "places", restore, "actors.import_source", "Import des lieux")


class Migration(migrations.Migration):
    dependencies = [
        ("actors", "0006_structure_proposals"),
        ("hub", "0002_sweeper_and_allowed_hosts"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
