from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hub.imports import ImportFileError
from hub.progress import terminal_progress

from ...importers.territory import TerritorySources, import_territory


class Command(BaseCommand):
    help = (
        "Importe le territoire d'un département (communes, EPCI, historique du COG) depuis les "
        "fichiers officiels. Sans fichier indiqué : les fichiers de démonstration de l'Eure-et-Loir."
    )

    def add_arguments(self, parser):
        demo = TerritorySources.demo()
        parser.add_argument("--departement", required=True, help="code INSEE, par ex. 28")
        parser.add_argument("--communes", type=Path, default=demo.communes, help="COG communes.csv")
        parser.add_argument(
            "--mouvements", type=Path, default=demo.mouvements, help="COG mouvements-communes.csv"
        )
        parser.add_argument(
            "--populations", type=Path, default=demo.populations, help="INSEE donnees_communes.csv"
        )
        parser.add_argument("--epci", type=Path, default=demo.epci, help="DGCL epcicom.xlsx")
        parser.add_argument(
            "--geometry", type=Path, default=demo.geometry, help="contours des communes (GeoJSON)"
        )
        parser.add_argument(
            "--outline",
            type=Path,
            default=None,
            help="contour du département (GeoJSON, pour son nom)",
        )

    def handle(self, *args, **options):
        sources = TerritorySources(
            communes=options["communes"],
            mouvements=options["mouvements"],
            populations=options["populations"],
            epci=options["epci"],
            geometry=options["geometry"],
            outline=options["outline"],
        )
        if options["outline"] is None and sources.geometry == TerritorySources.demo().geometry:
            sources.outline = TerritorySources.demo().outline
        try:
            report = import_territory(
                options["departement"], sources, progress=terminal_progress(self.stderr)
            )
        except (ImportFileError, ValueError) as exc:
            raise CommandError(f"Import annulé, base inchangée. {exc}") from exc
        self.stdout.write("\n".join(report.lines()))
