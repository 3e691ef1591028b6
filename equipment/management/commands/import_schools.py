from pathlib import Path

from hub.management.importing import ImportCommand

from ...importers.schools import import_schools


class Command(ImportCommand):
    help = (
        "Importe les établissements scolaires de l'Annuaire de l'éducation "
        "(fr-en-annuaire-education, tout millésime)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--departement", help="ne garder que ce département, par ex. 28")

    def handle(self, *args, **options):
        self.run_import(import_schools, options["file"], departement=options["departement"])
