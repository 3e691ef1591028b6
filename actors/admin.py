from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    DuplicateCandidate,
    Membership,
    Offer,
    Place,
    PlaceSource,
    Stop,
    Structure,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "structure"
    extra = 0
    raw_id_fields = ["user", "decided_by"]


@admin.register(Structure)
class StructureAdmin(SimpleHistoryAdmin):
    list_display = ["name", "siret", "parent_network"]
    search_fields = ["name", "siret"]
    inlines = [MembershipInline]


class OfferInline(admin.StackedInline):
    model = Offer
    extra = 0


class StopInline(admin.TabularInline):
    model = Stop
    extra = 0
    raw_id_fields = ["commune"]
    exclude = ["location"]


class SourceInline(admin.TabularInline):
    model = PlaceSource
    extra = 0


@admin.register(Place)
class PlaceAdmin(SimpleHistoryAdmin, LeafletGeoAdmin):
    list_display = ["name", "commune", "structure", "updated_on", "confirmed_at", "is_demo"]
    list_filter = ["is_demo", "location_approximate", "opening_hours_valid", "accompaniment_level"]
    search_fields = ["name", "commune__name", "structure__name", "structure__siret"]
    raw_id_fields = ["structure", "commune"]
    inlines = [SourceInline, OfferInline, StopInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "structure", "role", "status", "created_at", "decided_by"]
    list_filter = ["status", "role"]
    raw_id_fields = ["user", "structure", "decided_by"]


@admin.register(DuplicateCandidate)
class DuplicateCandidateAdmin(admin.ModelAdmin):
    """The moderation queue of look-alikes found by imports: merge, or keep apart."""

    list_display = ["__str__", "source", "external_id", "reason", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["place"]
    actions = ["merge", "keep_apart"]

    @admin.action(description="Fusionner avec le lieu existant")
    def merge(self, request, queryset):
        done = 0
        for candidate in queryset.filter(status=DuplicateCandidate.Status.PENDING):
            PlaceSource.objects.get_or_create(
                source=candidate.source,
                external_id=candidate.external_id,
                defaults={"place": candidate.place},
            )
            candidate.status = DuplicateCandidate.Status.MERGED
            candidate.save(update_fields=["status"])
            done += 1
        self.message_user(request, f"{done} ligne(s) fusionnée(s) avec le lieu existant.")

    @admin.action(description="Créer un lieu à part")
    def keep_apart(self, request, queryset):
        from .importers.places import create_from_row

        done = 0
        for candidate in queryset.filter(status=DuplicateCandidate.Status.PENDING):
            try:
                create_from_row(candidate.row, candidate.source)
            except ValueError as exc:
                self.message_user(request, f"{candidate} : {exc}", level="error")
                continue
            candidate.status = DuplicateCandidate.Status.CREATED
            candidate.save(update_fields=["status"])
            done += 1
        self.message_user(request, f"{done} lieu(x) créé(s) à part.")
