"""The directory's search, for pages of other apps (the home page): the same form and fields,
sent to /lieux/. Loaded by name from templates, so `cartography` imports nothing of `actors`."""

from django import template
from django.conf import settings

from cartography.models import Departement

from ..directory import DirectoryForm
from ..models import Place

register = template.Library()


@register.inclusion_tag("actors/includes/search_form.html")
def directory_search(departement=None):
    departement = departement or (
        Departement.objects.filter(code=settings.HUB_DEFAULT_DEPARTEMENT).first()
    )
    places = Place.objects.filter(commune__isnull=False)
    if departement is not None:
        places = places.filter(commune__departement=departement)
    return {
        "form": DirectoryForm(departement=departement),
        "departement": departement,
        "places_count": places.count(),
    }
