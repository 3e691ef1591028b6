"""Load the demonstration data through the product's own importers.

The steps are those the apps declare (`hub_demo_loaders` on their AppConfig), run by order:
the territory first, the accounts once what they are tied to exists. Idempotent: a second run
imports nothing twice and creates no account twice.
"""

import inspect

from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from hub.caching import bump
from hub.imports import ImportFileError
from hub.progress import terminal_progress
from hub.registry import demo_loaders


def report_lines(result) -> list[str]:
    """The lines to print for what a step returned: a report, a list of reports, or lines."""
    if hasattr(result, "lines"):
        return list(result.lines())
    if isinstance(result, str):
        return [result]
    return [line for item in result or () for line in report_lines(item)]


class Command(BaseCommand):
    help = (
        "Charge les données de démonstration de l'Eure-et-Loir "
        "(territoire, lieux fictifs, écoles, couverture fibre ARCEP, comptes de démo)."
    )

    def handle(self, *args, **options):
        for loader in demo_loaders():
            function = import_string(loader.function)
            kwargs = {}
            if "progress" in inspect.signature(function).parameters:
                kwargs["progress"] = terminal_progress(self.stderr)
            try:
                result = function(**kwargs)
            except ImportFileError as exc:
                raise CommandError(str(exc)) from exc
            lines = report_lines(result)
            if lines:
                self.stdout.write("\n".join(lines))
        bump()  # the demo may have changed any map layer
