from pathlib import Path

from hub.management.importing import ImportCommand

from ...services import import_indicator_values


class Command(ImportCommand):
    help = (
        "Importe des valeurs d’indicateurs fournies par des partenaires (CSV : indicateur, "
        "echelon, code_territoire, periode, valeur), pour les indicateurs importés créés "
        "dans l’administration."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, **options):
        self.run_import(import_indicator_values, options["file"])
