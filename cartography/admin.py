from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from .models import EPCI, Commune, CommuneChange, CommunePart, Departement


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
