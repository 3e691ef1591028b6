"""Celery tasks of the territory: thin wrappers around the importers."""

from pathlib import Path

from celery import shared_task

from .importers.territory import TerritorySources, import_territory


@shared_task(name="cartography.import_territory")
def import_territory_task(departement: str, sources: dict[str, str] | None = None) -> dict:
    """Import a département's territory; `sources` maps TerritorySources fields to file paths
    (the demo files when omitted). Idempotent, so safe to retry."""
    files = TerritorySources.demo()
    for name, path in (sources or {}).items():
        setattr(files, name, Path(path) if path else None)
    return import_territory(departement, files).as_dict()
