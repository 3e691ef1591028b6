from pathlib import Path

from hub.management.importing import ImportCommand

from ...importers.ips import import_ips


class Command(ImportCommand):
    help = "Importe l'indice de position sociale (IPS) des écoles, fichier national ou extrait."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--departement", help="ne garder que ce département, par ex. 28")

    def handle(self, *args, **options):
        self.run_import(import_ips, options["file"], departement=options["departement"])
