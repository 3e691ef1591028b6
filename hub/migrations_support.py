"""Shared steps of the data migrations moving the apps' old scheduled-import models into
`hub.ScheduledImport` (and back): one way to carry a source, its runs and its beat entry."""

from urllib.parse import urlsplit

from django.utils import timezone

REFUSED_TITLE = "Ancienne source refusée"
REFUSED = (
    "Source désactivée lors de la mise à jour : « {location} » n’est pas une adresse https. "
    "Un import planifié lit un fichier déposé dans l’administration ou une adresse https d’un "
    "hôte autorisé, jamais un chemin du serveur. Déposez le fichier ou indiquez son adresse https."
)
NEW_TASK = "hub.run_scheduled_import"


def sources_to_scheduled_imports(apps, sources, *, importer, options, runs):
    """Create a ScheduledImport for each old source; `options(source)` its importer options,
    `runs(source)` its past runs as dicts of Job fields. https hosts already used are allowed."""
    ScheduledImport = apps.get_model("hub", "ScheduledImport")
    ImportHost = apps.get_model("hub", "ImportHost")
    Job = apps.get_model("hub", "Job")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for source in sources:
        location = source.location.strip()
        url = location if urlsplit(location).scheme == "https" else ""
        name = source.name
        if ScheduledImport.objects.filter(name=name).exists():
            name = f"{name} ({importer})"
        scheduled = ScheduledImport.objects.create(
            name=name,
            importer=importer,
            url=url,
            options=options(source),
            enabled=source.enabled and bool(url),
            schedule_id=source.schedule_id,
            periodic_task_id=source.periodic_task_id,
        )
        if url:
            ImportHost.objects.get_or_create(
                host=urlsplit(url).hostname,
                defaults={"note": "hôte d’une source existante lors de la mise à jour"},
            )
        for run in runs(source):
            job = Job.objects.create(
                kind="import", title=f"Import planifié : {name}", scheduled_import=scheduled, **run
            )
            when = run.get("started_at") or run.get("finished_at")
            if when:
                Job.objects.filter(pk=job.pk).update(created_at=when)
        if not url:
            Job.objects.create(
                kind="import",
                title=REFUSED_TITLE,
                scheduled_import=scheduled,
                state="failed",
                error=REFUSED.format(location=location),
                report=location,
                finished_at=timezone.now(),
            )
        PeriodicTask.objects.filter(pk=source.periodic_task_id).update(
            name=f"Import planifié : {name}",
            task=NEW_TASK,
            args=f"[{scheduled.pk}]",
            enabled=scheduled.enabled,
        )


def restore_sources(apps, importer, restore, old_task, old_label):
    """Undo `sources_to_scheduled_imports` for one importer: `restore(scheduled, location,
    runs)` recreates the old source (runs: its jobs, newest first) and returns it."""
    ScheduledImport = apps.get_model("hub", "ScheduledImport")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for scheduled in ScheduledImport.objects.filter(importer=importer):
        jobs = list(scheduled.runs.order_by("-created_at"))
        refused = [job for job in jobs if job.title == REFUSED_TITLE]
        location = scheduled.url or (refused[0].report if refused else scheduled.file.name)
        source = restore(scheduled, location, [job for job in jobs if job not in refused])
        PeriodicTask.objects.filter(pk=scheduled.periodic_task_id).update(
            name=f"{old_label} : {source.name}", task=old_task, args=f"[{source.pk}]"
        )
        scheduled.runs.all().delete()
        scheduled.delete()
