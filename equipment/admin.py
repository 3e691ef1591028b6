from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from .models import Circonscription, School


@admin.register(Circonscription)
class CirconscriptionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "departement_code"]
    list_filter = ["departement_code"]
    search_fields = ["name", "code"]


@admin.register(School)
class SchoolAdmin(LeafletGeoAdmin):
    list_display = [
        "name",
        "uai",
        "kind",
        "sector",
        "commune",
        "circonscription",
        "education_priority",
        "ips",
        "status",
        "location_approximate",
    ]
    list_filter = [
        "kind",
        "sector",
        "status",
        "education_priority",
        "location_approximate",
        "source",
        "departement_code",
    ]
    search_fields = ["uai", "name", "commune__name", "commune_code"]
    list_select_related = ["commune", "circonscription"]
    raw_id_fields = ["commune", "circonscription"]
    readonly_fields = ["created_at", "updated_at"]
