"""People who sign in, their role groups and the territories their staff roles cover."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.http import Http404

from .models import StaffScope, User


class VisibleToAdmin:
    """The admin lists and opens only what the administrator's territory covers (the model's
    `visible_to`): a school of another département is as absent here as on the pages. Its
    history too: django-simple-history would otherwise show (and restore) any object's."""

    def get_queryset(self, request):
        return self.model.objects.visible_to(request.user)

    def history_view(self, request, object_id, extra_context=None):
        self._visible_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._visible_or_404(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _visible_or_404(self, request, object_id):
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404("objet inconnu ou hors de votre périmètre")


class StaffScopeInline(admin.TabularInline):
    model = StaffScope
    extra = 0
    fields = ["role", "kind", "code"]


@admin.register(User)
class HubUserAdmin(UserAdmin):
    inlines = [StaffScopeInline]


admin.site.site_header = "Administration du hub"
admin.site.site_title = "Hub de l’inclusion numérique"
