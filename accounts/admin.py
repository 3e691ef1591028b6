"""People who sign in, their role groups and the territories their staff roles cover."""

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.http import Http404

from . import roles
from .models import StaffScope, User
from .rules import territory


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


class StaffScopeFormSet(BaseInlineFormSet):
    """An administrator scoped to départements gives, changes and removes only scopes within
    them: nobody's reach, theirs included, grows beyond their own through this page."""

    admin_user = None

    def clean(self):
        super().clean()
        area = territory(self.admin_user, roles.HUB_ADMINS)
        if area.national:
            return
        for form in self.forms:
            if not (form.has_changed() or form in self.deleted_forms):
                continue
            scopes = [form.cleaned_data] + ([form.initial] if form.instance.pk else [])
            for scope in scopes:
                if not _within(scope.get("kind"), scope.get("code") or "", area.departements):
                    raise ValidationError(
                        "Territoire hors de votre périmètre : vous ne donnez que des périmètres "
                        f"dans vos départements ({', '.join(sorted(area.departements))})."
                    )


def _inside(departements: set[str]):
    """The communes of `departements`, and the EPCI all of whose members are among them."""
    Commune = apps.get_model("cartography", "Commune")  # noqa: N806 (territories as in models.py)
    communes = Commune.objects.filter(departement__code__in=departements)
    straddling = Commune.objects.exclude(departement__code__in=departements).values("epci")
    epcis = communes.exclude(epci__isnull=True).exclude(epci__in=straddling)
    return communes, epcis


def _scopes_within(departements: set[str]):
    """The staff scopes lying within `departements`."""
    communes, epcis = _inside(departements)
    return StaffScope.objects.filter(
        Q(kind=roles.DEPARTEMENT, code__in=departements)
        | Q(kind=roles.COMMUNE, code__in=communes.values("code"))
        | Q(kind=roles.EPCI, code__in=epcis.values("epci__siren"))
    ).values("pk")


def _within(kind: str, code: str, departements: set[str]) -> bool:
    """Whether a scope (kind, code) lies within `departements` (all of France never does)."""
    communes, epcis = _inside(departements)
    if kind == roles.DEPARTEMENT:
        return code in departements
    if kind == roles.COMMUNE:
        return communes.filter(code=code).exists()
    if kind == roles.EPCI:
        return epcis.filter(epci__siren=code).exists()
    return False


class StaffScopeInline(admin.TabularInline):
    model = StaffScope
    formset = StaffScopeFormSet
    extra = 0
    fields = ["role", "kind", "code"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.admin_user = request.user
        return formset


@admin.register(User)
class HubUserAdmin(UserAdmin):
    inlines = [StaffScopeInline]

    def get_queryset(self, request):
        """An administrator scoped to départements reaches the accounts whose scopes all lie
        within them, superusers excepted: changing another's password or address would
        otherwise hand them a wider reach than their own."""
        users = super().get_queryset(request)
        area = territory(request.user, roles.HUB_ADMINS)
        if area.national:
            return users
        beyond = StaffScope.objects.exclude(pk__in=_scopes_within(area.departements))
        return users.filter(is_superuser=False).exclude(pk__in=beyond.values("user"))

    def get_readonly_fields(self, request, obj=None):
        """Superuser status and one-off permissions are given by superusers only: hub
        administrators hold an explicit role, and give roles through scopes and groups."""
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "user_permissions"]
        return fields


admin.site.site_header = "Administration du hub"
admin.site.site_title = "Hub de l’inclusion numérique"
