from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin import VisibleToAdmin

from .models import (
    Campaign,
    CensusAnswer,
    Circonscription,
    Deployment,
    DigitalReferent,
    Loan,
    LoanPool,
    MaturityCriterion,
    MaturityLevel,
    School,
    SchoolDirector,
)


@admin.register(Circonscription)
class CirconscriptionAdmin(VisibleToAdmin, admin.ModelAdmin):
    list_display = ["name", "code", "departement_code"]
    list_filter = ["departement_code"]
    search_fields = ["name", "code"]


@admin.register(School)
class SchoolAdmin(VisibleToAdmin, LeafletGeoAdmin):
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


@admin.register(SchoolDirector)
class SchoolDirectorAdmin(admin.ModelAdmin):
    list_display = ["user", "school"]
    search_fields = ["user__username", "user__email", "school__uai", "school__name"]
    raw_id_fields = ["user", "school"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).filter(school__in=School.objects.visible_to(request.user))
        )


@admin.register(DigitalReferent)
class DigitalReferentAdmin(admin.ModelAdmin):
    list_display = ["user", "circonscription"]
    search_fields = ["user__username", "user__email", "circonscription__name"]
    raw_id_fields = ["user"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(circonscription__in=Circonscription.objects.visible_to(request.user))
        )


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "school_year", "opens_on", "closes_on", "is_demo"]


class MaturityCriterionInline(admin.TabularInline):
    model = MaturityCriterion
    extra = 1


@admin.register(MaturityLevel)
class MaturityLevelAdmin(admin.ModelAdmin):
    """The maturity rules, edited as data: saving a level or a criterion re-assesses every
    school's answers."""

    list_display = ["number", "name"]
    inlines = [MaturityCriterionInline]


@admin.register(CensusAnswer)
class CensusAnswerAdmin(VisibleToAdmin, SimpleHistoryAdmin):
    list_display = ["school", "campaign", "level", "connection", "wifi", "updated_at", "is_demo"]
    list_filter = ["campaign", "level", "connection", "wifi", "is_demo"]
    search_fields = ["school__uai", "school__name"]
    raw_id_fields = ["school"]
    readonly_fields = ["level", "level_reasons", "answered_by"]


@admin.register(Deployment)
class DeploymentAdmin(VisibleToAdmin, SimpleHistoryAdmin):
    list_display = ["school", "kind", "quantity", "funding", "status", "ordered_on"]
    list_filter = ["status", "funding", "kind"]
    search_fields = ["school__uai", "school__name"]
    raw_id_fields = ["school"]


class LoanInline(admin.TabularInline):
    model = Loan
    extra = 0


@admin.register(LoanPool)
class LoanPoolAdmin(VisibleToAdmin, admin.ModelAdmin):
    list_display = ["name", "kind", "quantity", "school", "structure"]
    raw_id_fields = ["school", "structure"]
    inlines = [LoanInline]
