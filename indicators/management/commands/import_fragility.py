from pathlib import Path

from hub.management.importing import ImportCommand

from ...fragility import DEFAULT_EDITION, import_fragility


class Command(ImportCommand):
    help = (
        "Importe l'indice de fragilité numérique (La MedNum / Design4Green) par IRIS et le "
        "ramène aux communes : fichier avec sa ligne d'en-tête, ou sans, l'en-tête étant "
        "alors donné par --headers."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--headers",
            type=Path,
            help="fichier des noms de colonnes (une ligne CSV, ou un nom par ligne) "
            "quand le fichier de données n'a pas de ligne d'en-tête",
        )
        parser.add_argument(
            "--edition", default=DEFAULT_EDITION, help=f"édition (par défaut {DEFAULT_EDITION})"
        )

    def handle(self, *args, **options):
        self.run_import(
            import_fragility, options["file"], options["headers"], edition=options["edition"]
        )
