"""Files imported on a schedule: one way to fetch them and one way to register them with beat."""

import urllib.request
from pathlib import Path


def fetch(location: str, folder: str, default_name: str = "fichier.csv") -> Path:
    """The file at `location` (an http(s) URL, downloaded into `folder`, or a server path)."""
    if location.startswith(("http://", "https://")):
        name = Path(location.split("?")[0]).name or default_name
        path = Path(folder) / name
        with urllib.request.urlopen(location, timeout=120) as response:
            path.write_bytes(response.read())
        return path
    return Path(location)


def schedule(source, label: str, task: str) -> None:
    """Create or update the beat entry running `task(source.pk)` on `source.schedule`, and link
    it to `source` (a model with `name`, `enabled`, `schedule` and `periodic_task`)."""
    from django_celery_beat.models import PeriodicTask

    entry, _ = PeriodicTask.objects.update_or_create(
        name=f"{label} : {source.name}",
        defaults={
            "task": task,
            "crontab": source.schedule,
            "args": f"[{source.pk}]",
            "enabled": source.enabled,
        },
    )
    if source.periodic_task_id != entry.pk:
        type(source).objects.filter(pk=source.pk).update(periodic_task=entry)
        source.periodic_task = entry
