"""The one shape of every import command: a progress bar on stderr, the report on stdout, and
a file that cannot be imported turned into a clear error saying the database is unchanged.
A non-empty file of which nothing was imported (every row rejected or skipped) also ends the
command with an error, so that scripts and schedulers notice."""

from django.core.management.base import BaseCommand, CommandError

from hub.imports import ImportFileError, ImportReport
from hub.progress import terminal_progress


class ImportCommand(BaseCommand):
    def run_import(self, importer, *args, **kwargs) -> ImportReport:
        try:
            report = importer(*args, progress=terminal_progress(self.stderr), **kwargs)
        except (ImportFileError, ValueError) as exc:
            raise CommandError(f"Import annulé, base inchangée. {exc}") from exc
        self.stdout.write("\n".join(report.lines()))
        if report.imported_nothing:
            raise CommandError(
                f"Rien n'a été importé des {report.rows_read} ligne(s) lue(s) : "
                f"{len(report.rejections)} rejet(s), voir le rapport ci-dessus."
            )
        return report
