"""Themes, trainings and sessions in the admin (hub administrators): the themes' editable list,
and the trainings and sessions of the administrator's territory only (`editable_by`), as on
the organisers' pages. Registered by trainings/admin.py."""

from django.contrib import admin

from .models import Session, Theme, Training


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}


class SessionInline(admin.TabularInline):
    model = Session
    fields = ["starts_at", "ends_at", "place", "school", "is_online", "capacity", "is_public"]
    raw_id_fields = ["place", "school"]
    extra = 0
    show_change_link = True


class EditableByAdmin:
    """Lists and opens only what the administrator keeps (the model's `editable_by`)."""

    def get_queryset(self, request):
        return self.model.objects.editable_by(request.user)


@admin.register(Training)
class TrainingAdmin(EditableByAdmin, admin.ModelAdmin):
    list_display = ["title", "structure", "organiser_departement", "level", "is_demo"]
    list_filter = ["level", "is_demo", "themes"]
    search_fields = ["title", "summary", "structure__name"]
    raw_id_fields = ["structure", "created_by"]
    filter_horizontal = ["themes"]
    inlines = [SessionInline]


@admin.register(Session)
class SessionAdmin(EditableByAdmin, admin.ModelAdmin):
    list_display = ["training", "starts_at", "place", "school", "is_online", "capacity"]
    list_filter = ["is_public", "cancelled", "is_online", "is_demo"]
    search_fields = ["training__title", "place__name", "school__name", "school__uai"]
    raw_id_fields = ["training", "place", "school", "created_by"]
    filter_horizontal = ["facilitators"]
    date_hierarchy = "starts_at"
