"""Eure-et-Loir's schools for the demo: the IPS file's rows of 28 (see data/demo/schools/)."""

from pathlib import Path

from django.conf import settings

from hub.imports import ImportReport, Progress, no_progress

from .importers.ips import import_ips

DEMO_IPS = Path(settings.BASE_DIR) / "data" / "demo" / "schools" / "ips-ecoles-2021-2022-dep28.csv"


def load_demo_schools(progress: Progress = no_progress) -> ImportReport:
    """Import the 234 schools of 28 at their commune; needs the territory of 28 loaded first.

    Idempotent: a second run reports 0 created, 0 updated.
    """
    return import_ips(DEMO_IPS, departement="28", progress=progress)
