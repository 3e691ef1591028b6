from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from accounts.admin import VisibleToAdmin

from .models import (
    EPCI,
    Building,
    Commune,
    CommuneChange,
    CommunePart,
    CoverageReport,
    CoverageSnapshot,
    Departement,
    EligibilitySnapshot,
)


@admin.register(Departement)
class DepartementAdmin(LeafletGeoAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(EPCI)
class EPCIAdmin(LeafletGeoAdmin):
    list_display = ["name", "siren", "legal_form", "seat_departement_code"]
    list_filter = ["legal_form", "seat_departement_code"]
    search_fields = ["name", "siren"]


@admin.register(Commune)
class CommuneAdmin(LeafletGeoAdmin):
    list_display = ["name", "code", "departement", "epci", "population"]
    list_filter = ["departement"]
    search_fields = ["name", "code"]
    list_select_related = ["departement", "epci"]
    raw_id_fields = ["epci"]


@admin.register(CommuneChange)
class CommuneChangeAdmin(admin.ModelAdmin):
    list_display = [
        "effective_date",
        "kind",
        "code_before",
        "name_before",
        "code_after",
        "name_after",
    ]
    list_filter = ["kind"]
    search_fields = ["code_before", "code_after", "name_before", "name_after"]
    date_hierarchy = "effective_date"


@admin.register(CommunePart)
class CommunePartAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent_code"]
    search_fields = ["code", "name", "parent_code"]


@admin.register(CoverageSnapshot)
class CoverageSnapshotAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "period", "edition", "ftth_ready", "dwellings"]
    list_filter = ["level", "period", "edition"]
    search_fields = ["code", "name"]
    date_hierarchy = "period"


@admin.register(EligibilitySnapshot)
class EligibilitySnapshotAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "date", "theme", "premises"]
    list_filter = ["date", "theme"]
    search_fields = ["code", "name"]


@admin.register(Building)
class BuildingAdmin(LeafletGeoAdmin):
    list_display = ["identifier", "commune_code", "state", "dwellings", "source", "source_date"]
    list_filter = ["state", "source"]
    search_fields = ["identifier", "commune_code", "address"]


@admin.register(CoverageReport)
class CoverageReportAdmin(VisibleToAdmin, admin.ModelAdmin):
    list_display = ["title", "job"]
    list_select_related = ["job"]
    readonly_fields = ["job", "parameters"]
