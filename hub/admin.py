from django import forms
from django.contrib import admin
from django.db import transaction

from .models import ImportHost, Job, ScheduledImport
from .registry import importers

JOB_FIELDS = [
    "kind",
    "title",
    "requested_by",
    "state",
    "progress_done",
    "progress_total",
    "progress_label",
    "error",
    "report",
    "result",
    "task_id",
    "worker",
    "created_at",
    "started_at",
    "heartbeat_at",
    "finished_at",
]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "requested_by", "state", "created_at", "finished_at"]
    list_filter = ["state", "kind"]
    search_fields = ["title", "error"]
    fields = readonly_fields = JOB_FIELDS

    def has_add_permission(self, request):
        return False


@admin.register(ImportHost)
class ImportHostAdmin(admin.ModelAdmin):
    list_display = ["host", "note"]
    search_fields = ["host"]


class ScheduledImportForm(forms.ModelForm):
    importer = forms.ChoiceField(label="type d’import")

    class Meta:
        model = ScheduledImport
        fields = ["name", "importer", "file", "url", "options", "enabled", "schedule"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["importer"].choices = [(key, i.label) for key, i in importers().items()]


class RunInline(admin.TabularInline):
    model = Job
    fk_name = "scheduled_import"
    extra = 0
    can_delete = False
    fields = ["created_at", "finished_at", "state", "error", "report"]
    readonly_fields = fields
    show_change_link = True
    verbose_name = "exécution"
    verbose_name_plural = "exécutions"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ScheduledImport)
class ScheduledImportAdmin(admin.ModelAdmin):
    form = ScheduledImportForm
    list_display = ["name", "importer", "url", "file", "schedule", "enabled", "last_state"]
    inlines = [RunInline]
    actions = ["run_now"]

    @admin.display(description="dernière exécution")
    def last_state(self, source):
        run = source.last_run
        return f"{run.get_state_display()} ({run.created_at:%d/%m/%Y %H:%M})" if run else "—"

    @admin.action(description="Lancer l’import maintenant")
    def run_now(self, request, queryset):
        from .tasks import run_scheduled_import

        for source in queryset:
            job = Job.objects.create(
                kind="import",
                title=f"Import planifié : {source.name}",
                requested_by=request.user,
                scheduled_import=source,
            )
            transaction.on_commit(
                lambda pk=source.pk, job=job.pk: run_scheduled_import.delay(pk, job)
            )
        self.message_user(
            request,
            f"{queryset.count()} import(s) lancé(s) ; les rapports s’affichent sur chaque source.",
        )
