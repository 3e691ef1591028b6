from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...reports import FORMATS, ReportScope, ScopeError, render_report


class Command(BaseCommand):
    help = (
        "Écrit un rapport de couverture fibre (CSV, XLSX, PDF ou GeoJSON) pour un département, "
        "un EPCI ou une liste de communes, pour un trimestre."
    )

    def add_arguments(self, parser):
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--departement", help="code INSEE du département, par ex. 28")
        where.add_argument("--epci", help="SIREN de l'EPCI")
        where.add_argument("--communes", help="codes INSEE séparés par des virgules")
        parser.add_argument("--period", required=True, help="trimestre, par ex. « T1 2018 »")
        parser.add_argument("--format", choices=sorted(FORMATS), default="pdf")
        parser.add_argument("-o", "--output", type=Path, help="fichier à écrire (défaut : nommé)")

    def handle(self, *args, **options):
        try:
            scope = ReportScope.from_parameters(options)
            content = render_report(scope, options["format"])
        except ScopeError as exc:
            raise CommandError(str(exc)) from exc
        output = options["output"] or Path(f"{scope.slug}.{FORMATS[options['format']][1]}")
        output.write_bytes(content)
        self.stdout.write(f"Rapport écrit : {output} ({len(content)} octets)")
