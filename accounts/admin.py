"""People who sign in, their role groups and the territories their staff roles cover."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import StaffScope, User


class StaffScopeInline(admin.TabularInline):
    model = StaffScope
    extra = 0
    fields = ["role", "kind", "code"]


@admin.register(User)
class HubUserAdmin(UserAdmin):
    inlines = [StaffScopeInline]


admin.site.site_header = "Administration du hub"
admin.site.site_title = "Hub de l’inclusion numérique"
