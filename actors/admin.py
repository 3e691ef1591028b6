from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin import VisibleToAdmin

from .claims import decide_claim, resolve_report
from .models import (
    DuplicateCandidate,
    ErrorReport,
    Membership,
    Offer,
    Place,
    PlaceClaim,
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


@admin.register(PlaceClaim)
class PlaceClaimAdmin(VisibleToAdmin, admin.ModelAdmin):
    """ "C'est mon lieu" claims of the administrator's territory, decided as in the space."""

    list_display = ["place", "user", "status", "created_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["place__name", "user__username", "user__email"]
    readonly_fields = [
        "place",
        "user",
        "message",
        "status",
        "created_at",
        "decided_by",
        "decided_at",
    ]
    actions = ["approve", "refuse"]

    def has_add_permission(self, request):
        return False  # a claim comes from its médiateur, on the place's page

    def _decide(self, request, queryset, approve: bool):
        done = 0
        for claim in queryset.filter(status=PlaceClaim.Status.PENDING).select_related("place"):
            if request.user.has_perm("actors.decide_claim", claim):
                decide_claim(claim, request.user, approve)
                done += 1
        self.message_user(request, f"{done} demande(s) {'acceptée' if approve else 'refusée'}(s).")

    @admin.action(description="Accepter les demandes choisies")
    def approve(self, request, queryset):
        self._decide(request, queryset, True)

    @admin.action(description="Refuser les demandes choisies")
    def refuse(self, request, queryset):
        self._decide(request, queryset, False)


@admin.register(ErrorReport)
class ErrorReportAdmin(VisibleToAdmin, admin.ModelAdmin):
    """Error reports on the places of the administrator's territory."""

    list_display = ["place", "kind", "status", "created_at", "resolved_by", "resolved_at"]
    list_filter = ["status", "kind"]
    search_fields = ["place__name", "message", "email"]
    readonly_fields = [
        "place",
        "kind",
        "message",
        "email",
        "notify_reporter",
        "reporter",
        "status",
        "created_at",
        "resolved_by",
        "resolved_at",
    ]
    actions = ["resolve"]

    def has_add_permission(self, request):
        return False  # reports come from the place's page

    @admin.action(description="Marquer comme traités (le signalant est prévenu s’il l’a demandé)")
    def resolve(self, request, queryset):
        done = 0
        for report in queryset.filter(status=ErrorReport.Status.OPEN).select_related("place"):
            if request.user.has_perm("actors.resolve_report", report):
                done += resolve_report(report, request.user)
        self.message_user(request, f"{done} signalement(s) marqué(s) comme traité(s).")
