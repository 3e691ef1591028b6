import sys

from django.core.management.base import BaseCommand

from ...exporters import write_csv, write_json


class Command(BaseCommand):
    help = "Exporte les lieux au format du standard national v1.0.2 (CSV ou JSON)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "json"], default="csv")
        parser.add_argument(
            "-o", "--output", help="fichier de sortie (par défaut : la sortie standard)"
        )

    def handle(self, *args, **options):
        write = write_csv if options["format"] == "csv" else write_json
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="") as stream:
                n = write(stream)
            self.stderr.write(f"{n} lieu(x) exporté(s) dans {options['output']}")
        else:
            write(sys.stdout)
