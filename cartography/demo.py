"""Eure-et-Loir's territory for the demo (a `load_demo` step, declared in cartography/apps.py)."""

from hub.imports import ImportReport, Progress, no_progress

from .importers.territory import TerritorySources, import_territory


def load_demo_territory(progress: Progress = no_progress) -> ImportReport:
    """The 363 communes and 12 EPCI of 28 from the committed files; idempotent."""
    return import_territory("28", TerritorySources.demo(), progress=progress)
