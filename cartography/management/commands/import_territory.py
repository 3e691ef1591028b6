from pathlib import Path

from django.core.management.base import CommandError

from cartography.services import normalize_departement_code
from hub.management.importing import ImportCommand

from ...importers.territory import TerritorySources, import_territory

# option → (the field of TerritorySources, the file it names)
FILES = {
    "communes": "COG communes.csv (INSEE)",
    "mouvements": "COG mouvements-communes.csv (INSEE)",
    "populations": "populations légales donnees_communes.csv (INSEE)",
    "epci": "epcicom.xlsx (DGCL)",
    "geometry": "contours des communes (GeoJSON)",
}
DEMO_DEPARTEMENT = "28"


class Command(ImportCommand):
    help = (
        "Importe le territoire d'un département (communes, EPCI, historique du COG) depuis les "
        "fichiers officiels. Pour l'Eure-et-Loir (28), les fichiers non indiqués sont ceux de "
        "démonstration ; pour tout autre département, chaque fichier doit être indiqué."
    )

    def add_arguments(self, parser):
        parser.add_argument("--departement", required=True, help="code INSEE, par ex. 28")
        for option, label in FILES.items():
            parser.add_argument(f"--{option}", type=Path, help=label)
        parser.add_argument(
            "--outline", type=Path, help="contour du département (GeoJSON, pour son nom)"
        )
        parser.add_argument(
            "--departements",
            type=Path,
            help="liste des départements du COG (v_departement.csv, INSEE), pour son nom",
        )

    def handle(self, *args, **options):
        try:
            dep = normalize_departement_code(options["departement"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        files = {option: options[option] for option in FILES}
        missing = [option for option, path in files.items() if path is None]
        if dep == DEMO_DEPARTEMENT:
            demo = TerritorySources.demo()
            files = {option: path or getattr(demo, option) for option, path in files.items()}
            outline = options["outline"]
            if outline is None and files["geometry"] == demo.geometry:
                outline = demo.outline
        elif missing:
            # The committed files are Eure-et-Loir's: never used for another département.
            needed = "\n".join(f"  --{option} : {FILES[option]}" for option in missing)
            raise CommandError(
                f"Les fichiers de démonstration ne couvrent que l'Eure-et-Loir (28). Pour le "
                f"département {dep}, indiquez aussi :\n{needed}"
            )
        else:
            outline = options["outline"]
        sources = TerritorySources(**files, outline=outline, departements=options["departements"])
        self.run_import(import_territory, dep, sources)
