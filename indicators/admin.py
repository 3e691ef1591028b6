from django.contrib import admin

from .models import Audience, Indicator, Theme, Value


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Audience)
class AudienceAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


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


@admin.register(Value)
class ValueAdmin(admin.ModelAdmin):
    list_display = ["indicator", "level", "territory_code", "period", "value", "status"]
    list_filter = ["indicator", "level", "status"]
    search_fields = ["territory_code", "indicator__code"]
    readonly_fields = ["computed_at", "input_state"]
