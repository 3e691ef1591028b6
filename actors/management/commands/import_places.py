from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hub.imports import ImportFileError
from hub.progress import terminal_progress

from ...importers.places import import_places


class Command(BaseCommand):
    help = "Importe des lieux de médiation numérique (standard v1.0.2 ou v0.1, CSV ou JSON)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--source", help="nom de la source (par défaut : la colonne « source » de chaque ligne)"
        )

    def handle(self, *args, **options):
        try:
            report = import_places(
                options["file"], source=options["source"], progress=terminal_progress(self.stderr)
            )
        except ImportFileError as exc:
            raise CommandError(f"Import annulé, base inchangée. {exc}") from exc
        self.stdout.write("\n".join(report.lines()))
