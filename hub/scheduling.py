"""Scheduled imports: checking a source, registering it with beat, and running it as a job.

The importer comes from the registry (`hub_importers` on each app's AppConfig) and is called as
the plain function it is, `import_xxx(path, **options, progress=…)`; the file is the uploaded
one or a download through `hub.downloads` (never a path typed by someone).
"""

from __future__ import annotations

import inspect
import shutil
import tempfile
from pathlib import Path

from django.core.exceptions import SuspiciousFileOperation
from django.utils.module_loading import import_string

from .downloads import DownloadError, check_url, download
from .imports import ImportFileError
from .jobs import JobError, run_job
from .models import Job, ScheduledImport
from .registry import importers


def schedule(source, label: str, task: str) -> None:
    """Create or update the beat entry running `task(source.pk)` on `source.schedule`, and link
    it to `source` (a model with `name`, `enabled`, `schedule` and `periodic_task`)."""
    from django_celery_beat.models import PeriodicTask

    entry = source.periodic_task or PeriodicTask(name=f"{label} : {source.name}")
    entry.name, entry.task, entry.crontab = f"{label} : {source.name}", task, source.schedule
    entry.args, entry.enabled = f"[{source.pk}]", source.enabled
    entry.save()
    if source.periodic_task_id != entry.pk:
        type(source).objects.filter(pk=source.pk).update(periodic_task=entry)
        source.periodic_task = entry


def unschedule(sender, instance, **kwargs) -> None:
    """post_delete receiver: a deleted source leaves no beat entry behind."""
    from django_celery_beat.models import PeriodicTask

    if instance.periodic_task_id:
        PeriodicTask.objects.filter(pk=instance.periodic_task_id).delete()


def _call_options(source: ScheduledImport, function) -> dict:
    """The keyword arguments of a run: the source's options, its name as `source` when the
    importer records one, and no `progress` (given by the run)."""
    options = dict(source.options or {})
    if "source" in inspect.signature(function).parameters:
        options.setdefault("source", source.name)
    return options


def check_scheduled_import(source: ScheduledImport) -> dict[str, str]:
    """What is wrong with a scheduled import, by field (empty when it may run)."""
    errors = {}
    declared = importers()
    if source.importer not in declared:
        names = ", ".join(f"{key} ({i.label})" for key, i in declared.items())
        errors["importer"] = f"type d’import inconnu « {source.importer} » (possibles : {names})"
    if bool(source.file) == bool(source.url):
        errors["url"] = "Déposez un fichier ou indiquez une adresse https (l’un des deux)."
    elif source.url:
        try:
            check_url(source.url)
        except DownloadError as exc:
            errors["url"] = str(exc)
    if not isinstance(source.options, dict):
        errors["options"] = 'Les options sont un objet JSON, par exemple {"kind": "ftth_communes"}.'
    elif "importer" not in errors:
        function = import_string(declared[source.importer].function)
        try:
            inspect.signature(function).bind(Path("fichier"), **_call_options(source, function))
        except TypeError as exc:
            errors["options"] = f"options refusées par cet import : {exc}"
    return errors


def source_file(source: ScheduledImport, folder: Path) -> Path:
    """The source's file, copied or downloaded into `folder`."""
    if source.url:
        return download(source.url, folder, default_name=f"{source.importer}.csv")
    if not source.file:
        raise DownloadError("aucun fichier déposé ni adresse https")
    try:
        name = Path(source.file.name).name
        path = folder / name
        with source.file.open("rb") as uploaded, open(path, "wb") as copy:
            shutil.copyfileobj(uploaded, copy)
    except SuspiciousFileOperation as exc:
        raise DownloadError(
            "fichier refusé : seul un fichier déposé dans l’administration peut être importé"
        ) from exc
    return path


def run_scheduled_import(source_id: int, job_id: int | None = None, task=None) -> str | None:
    """Run a scheduled import as a job (a new one, or the queued `job_id`); its final state."""
    source = ScheduledImport.objects.filter(pk=source_id).first()
    if source is None:
        return None  # deleted since it was queued
    job = Job.objects.filter(pk=job_id).first() if job_id else None
    if job is None:
        job = Job.objects.create(
            kind="import", title=f"Import planifié : {source.name}", scheduled_import=source
        )

    def work(job, progress):
        if source.runs.filter(state=Job.State.RUNNING).exclude(pk=job.pk).exists():
            raise JobError(
                "Un import de cette source est déjà en cours : celui-ci n’a pas été lancé."
            )
        errors = check_scheduled_import(source)
        if errors:
            raise JobError("Import annulé, base inchangée. " + " ".join(errors.values()))
        function = import_string(importers()[source.importer].function)
        try:
            with tempfile.TemporaryDirectory() as folder:
                path = source_file(source, Path(folder))
                report = function(path, progress=progress, **_call_options(source, function))
        except (ImportFileError, DownloadError, OSError, ValueError) as exc:
            raise JobError(f"Import annulé, base inchangée. {exc}") from exc
        job.report = "\n".join(report.lines())

    return run_job(job, work, task=task)
