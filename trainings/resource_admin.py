"""The resources library in the admin (hub administrators): resources with the same checks as
the contribution form (file type and size, http(s) links), publish/withdraw actions,
collections with their ordered resources, readers' reports. Registered by trainings/admin.py."""

from django.contrib import admin, messages
from django.utils import timezone

from . import resources as library
from .models import Collection, CollectionItem, Resource, ResourceReport, Training
from .resource_forms import ResourceForm


class ResourceAdminForm(ResourceForm):
    class Meta(ResourceForm.Meta):
        fields = [*ResourceForm.Meta.fields, "slug", "state", "contributor", "is_demo"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, trainings=Training.objects.all(), **kwargs)


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    form = ResourceAdminForm
    list_display = ["title", "kind", "state", "published_at", "is_demo"]
    list_filter = ["state", "kind", "licence", "level", "is_demo"]
    search_fields = ["title", "summary", "publisher"]
    prepopulated_fields = {"slug": ["title"]}
    raw_id_fields = ["contributor"]
    actions = ["publish", "withdraw"]

    @admin.action(description="Publier les ressources choisies")
    def publish(self, request, queryset):
        for resource in queryset:
            library.moderate(resource, publish=True)
        messages.success(request, f"{queryset.count()} ressource(s) publiée(s).")

    @admin.action(description="Retirer les ressources choisies")
    def withdraw(self, request, queryset):
        for resource in queryset:
            library.moderate(resource, publish=False)
        messages.success(request, f"{queryset.count()} ressource(s) retirée(s).")

    def save_model(self, request, obj, form, change):
        if obj.state == Resource.State.PUBLISHED and obj.published_at is None:
            obj.published_at = timezone.now()
        super().save_model(request, obj, form, change)


class CollectionItemInline(admin.TabularInline):
    model = CollectionItem
    extra = 1
    raw_id_fields = ["resource"]


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ["title", "published", "is_demo"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [CollectionItemInline]


@admin.register(ResourceReport)
class ResourceReportAdmin(admin.ModelAdmin):
    list_display = ["resource", "kind", "status", "created_at"]
    list_filter = ["status", "kind"]
    raw_id_fields = ["resource", "reporter", "resolved_by"]
