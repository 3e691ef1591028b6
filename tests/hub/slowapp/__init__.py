"""A test-only app whose registered importer takes its time, in small steps."""

import time

from hub.imports import ImportReport, no_progress


def import_slowly(path, steps: int = 600, progress=no_progress) -> ImportReport:
    report = ImportReport(f"Import lent ({path.name})")
    for _ in progress(range(steps), "Lecture lente", steps):
        time.sleep(0.05)
    return report
