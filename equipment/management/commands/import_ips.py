from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hub.imports import ImportFileError
from hub.progress import terminal_progress

from ...importers.ips import import_ips


class Command(BaseCommand):
    help = "Importe l'indice de position sociale (IPS) des écoles, fichier national ou extrait."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--departement", help="ne garder que ce département, par ex. 28")

    def handle(self, *args, **options):
        try:
            report = import_ips(
                options["file"],
                departement=options["departement"],
                progress=terminal_progress(self.stderr),
            )
        except (ImportFileError, ValueError) as exc:
            raise CommandError(f"Import annulé, base inchangée. {exc}") from exc
        self.stdout.write("\n".join(report.lines()))
