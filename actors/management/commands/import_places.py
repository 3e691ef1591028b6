from pathlib import Path

from hub.management.importing import ImportCommand

from ...importers.places import import_places


class Command(ImportCommand):
    help = "Importe des lieux de médiation numérique (standard v1.0.2 ou v0.1, CSV ou JSON)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--source", help="nom de la source (par défaut : la colonne « source » de chaque ligne)"
        )

    def handle(self, *args, **options):
        self.run_import(import_places, options["file"], source=options["source"])
