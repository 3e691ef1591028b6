"""`{{ value|http_url }}`: an address from outside, only if it is http(s), else nothing."""

from django import template

from hub.links import first_http_url

register = template.Library()


@register.filter
def http_url(value) -> str:
    return first_http_url(value if isinstance(value, str) else "")
