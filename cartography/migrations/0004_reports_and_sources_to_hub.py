"""Coverage reports keep their state on a hub Job; coverage sources become scheduled imports.

A source given as a server path (or plain http) is not carried over as such: the hub never opens
a path typed by someone. It becomes a disabled scheduled import whose failed run says why.
"""

from django.db import migrations

from hub.migrations_support import restore_sources, sources_to_scheduled_imports

REPORT_STATES = {"pending": "queued", "running": "running", "done": "done", "failed": "failed"}


def reports_to_jobs(apps, schema_editor):
    Job = apps.get_model("hub", "Job")
    for report in apps.get_model("cartography", "CoverageReport").objects.all():
        report.job = Job.objects.create(
            kind="coverage_report",
            title=report.title,
            requested_by_id=report.requested_by_id,
            state=REPORT_STATES.get(report.status, "failed"),
            progress_done=report.progress,
            progress_total=100,
            progress_label=report.step,
            error=report.error,
            result=report.file.name if report.file else "",
            finished_at=report.finished_at,
        )
        Job.objects.filter(pk=report.job.pk).update(created_at=report.created_at)
        report.save(update_fields=["job"])


def jobs_to_reports(apps, schema_editor):
    states = {new: old for old, new in REPORT_STATES.items()}
    for report in apps.get_model("cartography", "CoverageReport").objects.select_related("job"):
        job = report.job
        report.requested_by_id, report.status = job.requested_by_id, states[job.state]
        report.progress = min(100, job.progress_done if job.progress_total == 100 else 0)
        report.step, report.error, report.file = job.progress_label, job.error, job.result.name
        report.created_at, report.finished_at = job.created_at, job.finished_at
        report.job = None
        report.save()
        job.delete()


def _last_run(source) -> list[dict]:
    if not source.last_run_at:
        return []
    text = "report" if source.last_status == "done" else "error"
    state = "done" if source.last_status == "done" else "failed"
    return [{"state": state, text: source.last_report, "finished_at": source.last_run_at}]


def coverage_sources(apps, schema_editor):
    sources_to_scheduled_imports(
        apps,
        apps.get_model("cartography", "CoverageSource").objects.all(),
        importer="coverage",
        options=lambda source: {"kind": source.kind} if source.kind else {},
        runs=_last_run,
    )


def restore_coverage_sources(apps, schema_editor):
    CoverageSource = apps.get_model("cartography", "CoverageSource")

    def restore(scheduled, location, runs):
        last = runs[0] if runs else None
        return CoverageSource.objects.create(
            name=scheduled.name,
            location=location,
            kind=scheduled.options.get("kind", ""),
            enabled=scheduled.enabled,
            schedule_id=scheduled.schedule_id,
            periodic_task_id=scheduled.periodic_task_id,
            last_run_at=last.finished_at if last else None,
            last_status=last.state if last else "",
            last_report=(last.report or last.error) if last else "",
        )

    restore_sources(
        apps, "coverage", restore, "cartography.import_coverage_source", "Import de couverture"
    )


class Migration(migrations.Migration):
    dependencies = [("cartography", "0003_coverage_report_job")]

    operations = [
        migrations.RunPython(reports_to_jobs, jobs_to_reports),
        migrations.RunPython(coverage_sources, restore_coverage_sources),
    ]
