import tempfile
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.validators import FileExtensionValidator
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from hub.imports import ImportFileError

from .models import Audience, DiagnosticWeights, Indicator, Obtained, Theme, Value
from .services import import_indicator_values
from .tasks import recompute_indicators

MAX_UPLOAD_MB = 10


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Audience)
class AudienceAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class ValuesUploadForm(forms.Form):
    file = forms.FileField(
        label="Fichier CSV",
        help_text="colonnes : indicateur, echelon, code_territoire, periode, valeur "
        f"({MAX_UPLOAD_MB} Mo au plus)",
        validators=[FileExtensionValidator(["csv", "txt"], "Déposez un fichier CSV (.csv).")],
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(f"Fichier trop volumineux ({MAX_UPLOAD_MB} Mo au plus).")
        return file


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "unit",
        "aggregation",
        "obtained",
        "is_public",
        "method_version",
    ]
    list_filter = ["obtained", "is_public", "aggregation", "themes", "audiences"]
    search_fields = ["code", "name"]
    filter_horizontal = ["themes", "audiences"]
    change_list_template = "admin/indicators/indicator/change_list.html"
    actions = ["recompute"]

    @admin.action(description="Recalculer les indicateurs sélectionnés (calculés par le hub)")
    def recompute(self, request, queryset):
        codes = list(queryset.filter(obtained=Obtained.COMPUTED).values_list("code", flat=True))
        if not codes:
            self.message_user(
                request, "Aucun indicateur calculé dans la sélection.", messages.WARNING
            )
            return
        transaction.on_commit(lambda: recompute_indicators.delay(codes))
        self.message_user(
            request,
            f"Recalcul de {len(codes)} indicateur(s) demandé : suivez-le dans « Traitements ».",
        )

    def get_urls(self):
        upload = path(
            "importer-valeurs/",
            self.admin_site.admin_view(self.import_values),
            name="indicators_indicator_import_values",
        )
        return [upload, *super().get_urls()]

    def import_values(self, request):
        """Upload partners' figures (the same checks as `import_indicator_values`)."""
        if not request.user.has_perm("indicators.add_value"):
            raise PermissionDenied
        form = ValuesUploadForm(request.POST or None, request.FILES or None)
        error = ""
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            with tempfile.TemporaryDirectory() as folder:
                target = Path(folder) / Path(upload.name).name
                with target.open("wb") as out:
                    for chunk in upload.chunks():
                        out.write(chunk)
                try:
                    report = import_indicator_values(target)
                except ImportFileError as exc:
                    error = f"Import annulé, base inchangée. {exc}"
                else:
                    messages.success(request, " ".join(report.lines()))
                    return redirect("admin:indicators_value_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": "Importer des valeurs d’indicateurs",
            "form": form,
            "error": error,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/indicators/import_values.html", context)


@admin.register(Value)
class ValueAdmin(admin.ModelAdmin):
    list_display = ["indicator", "level", "territory_code", "period", "value", "status"]
    list_filter = ["indicator", "level", "status"]
    search_fields = ["territory_code", "indicator__code"]
    readonly_fields = ["computed_at", "input_state"]

    def has_change_permission(self, request, obj=None):
        """Computed values are the recomputation's: read only here (it would undo an edit)."""
        if obj is not None and obj.indicator.obtained == Obtained.COMPUTED:
            return False
        return super().has_change_permission(request, obj)


@admin.register(DiagnosticWeights)
class DiagnosticWeightsAdmin(admin.ModelAdmin):
    """Each save adds the next version (`DiagnosticWeights.save`); the newest is in force, and
    the diagnostic page names it. Versions are kept: no deletion."""

    list_display = ["version", *DiagnosticWeights.FACTORS, "note", "created_at", "created_by"]
    readonly_fields = ["version", "created_at", "created_by"]
    fields = [*DiagnosticWeights.FACTORS, "note", "version", "created_at", "created_by"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if not change or set(form.changed_data) & set(DiagnosticWeights.FACTORS):
            obj.created_by = request.user  # the author of the new version
        super().save_model(request, obj, form, change)
