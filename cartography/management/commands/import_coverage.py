import datetime

from hub.management.importing import ImportCommand

from ...importers.coverage import KINDS, import_coverage


class Command(ImportCommand):
    help = (
        "Importe un fichier de couverture de l'ARCEP (observatoire, Ma connexion internet, IPE, "
        "immeubles) ; le type est reconnu d'après l'en-tête s'il n'est pas indiqué."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="fichier CSV tel que publié")
        parser.add_argument("--kind", choices=sorted(KINDS), help="type de fichier")
        parser.add_argument(
            "--edition", help="trimestre de l'édition (par ex. « T1 2018 ») s'il n'est pas lisible"
        )
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            help="date des données des fichiers par immeuble (AAAA-MM-JJ)",
        )

    def handle(self, *args, **options):
        self.run_import(
            import_coverage,
            options["file"],
            kind=options["kind"],
            edition=options["edition"],
            source_date=options["date"],
        )
