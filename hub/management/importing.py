"""The one shape of every import command: a progress bar on stderr, the report on stdout, and
a file that cannot be imported turned into a clear error saying the database is unchanged.
A non-empty file of which nothing was imported (every row rejected or skipped) also ends the
command with an error, so that scripts and schedulers notice. Once something was imported,
`import_finished` is sent (apps listen to it, e.g. to recompute what depends on the data)."""

from django.core.management.base import BaseCommand, CommandError
from django.dispatch import Signal

from hub.imports import ImportFileError, ImportReport
from hub.progress import terminal_progress

# Sent with `importer` (the function) and `report` after an import command wrote something.
import_finished = Signal()


class ImportCommand(BaseCommand):
    def run_import(self, importer, *args, **kwargs) -> ImportReport:
        try:
            report = importer(*args, progress=terminal_progress(self.stderr), **kwargs)
        except (ImportFileError, ValueError) as exc:
            raise CommandError(f"Import annulé, base inchangée. {exc}") from exc
        self.stdout.write("\n".join(report.lines()))
        if report.created or report.updated:
            import_finished.send(sender=self.__class__, importer=importer, report=report)
        if report.imported_nothing:
            raise CommandError(
                f"Rien n'a été importé des {report.rows_read} ligne(s) lue(s) : "
                f"{len(report.rejections)} rejet(s), voir le rapport ci-dessus."
            )
        return report
