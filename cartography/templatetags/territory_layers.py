"""`{{ departement|communes_layer_url }}`: where a map finds the communes it draws beneath its
own layers (`{% hub_map name callback base %}`)."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

register = template.Library()


@register.filter
def communes_layer_url(departement) -> str:
    """The commune layer's URL of a département (a `Departement` or its code); empty without."""
    code = getattr(departement, "code", departement)
    if not code:
        return ""
    return f"{reverse('commune-list')}?{urlencode({'departement': code})}"
