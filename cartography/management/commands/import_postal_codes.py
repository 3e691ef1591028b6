from hub.management.importing import ImportCommand

from ...importers.postal_codes import import_postal_codes


class Command(ImportCommand):
    help = (
        "Importe la base officielle des codes postaux de La Poste (CSV tel que publié) pour les "
        "communes des départements chargés."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="fichier CSV de La Poste")

    def handle(self, *args, **options):
        self.run_import(import_postal_codes, options["file"])
