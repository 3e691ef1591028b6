"""The accessibility state the footer's link must show (RGAA: "Accessibilité : …")."""

from django import template

from hub.legal import accessibility_status as _status

register = template.Library()


@register.simple_tag
def accessibility_status() -> str:
    return _status()
