"""Action plans, funding calls and digest subscriptions in the admin (hub administrators):
plans and actions within the administrator's territory only (`visible_to`)."""

from django.contrib import admin

from accounts.admin import VisibleToAdmin

from .models.funding import DigestSubscription, FundingCall
from .models.plans import Action, FundingLine, Plan


class ActionInline(admin.TabularInline):
    model = Action
    fields = ["title", "kind", "status", "priority", "starts_on", "ends_on"]
    extra = 0
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(VisibleToAdmin, admin.ModelAdmin):
    list_display = ["title", "level", "departement_code", "starts_on", "ends_on", "state"]
    list_filter = ["level", "state", "departement_code"]
    search_fields = ["title"]
    autocomplete_fields = ["commune", "epci"]
    filter_horizontal = ["owners"]
    inlines = [ActionInline]


class FundingLineInline(admin.TabularInline):
    model = FundingLine
    extra = 1


@admin.register(Action)
class ActionAdmin(VisibleToAdmin, admin.ModelAdmin):
    list_display = ["title", "plan", "kind", "status", "priority"]
    list_filter = ["kind", "status", "priority"]
    search_fields = ["title", "need"]
    raw_id_fields = ["plan", "school", "commune", "indicator", "structure"]
    filter_horizontal = ["sessions"]
    inlines = [FundingLineInline]


@admin.register(FundingCall)
class FundingCallAdmin(admin.ModelAdmin):
    list_display = ["title", "funder", "deadline", "applicants", "is_demo"]
    list_filter = ["applicants", "is_demo"]
    search_fields = ["title", "funder"]


@admin.register(DigestSubscription)
class DigestSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["structure", "email", "last_sent_on"]
    search_fields = ["structure__name", "email"]
    raw_id_fields = ["structure"]
