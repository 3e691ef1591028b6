"""Values of a place's history as people read them (templates/actors/space/history.html)."""

from django import template

from actors import opening
from actors.models import Place, Structure

register = template.Library()
HOURS_LABEL = Place._meta.get_field("opening_hours").verbose_name
STRUCTURE_LABEL = Place._meta.get_field("structure").verbose_name


@register.filter
def readable(value, label):
    """Opening hours in plain French ("lundi 9 h – 12 h, 14 h – 17 h"), not OSM syntax;
    yes/no, and a structure by its name."""
    if value and label == HOURS_LABEL:
        return opening.in_words(value)
    if isinstance(value, bool):
        return "oui" if value else "non"
    if value and label == STRUCTURE_LABEL:
        structure = Structure.objects.filter(pk=value).first()
        return structure.name if structure else value
    return value


@register.filter
def readable_label(label):
    return "horaires d’ouverture" if label == HOURS_LABEL else label
