"""Links from outside (files, forms, feeds) are kept only as http(s): a `javascript:` or `data:`
address in a place's website would run in the visitor's browser when clicked."""

from urllib.parse import urlsplit

from django.core.validators import URLValidator

HTTP_SCHEMES = ("http", "https")
# Forms and serializers: the same rule as imports.
http_url_validator = URLValidator(
    schemes=list(HTTP_SCHEMES),
    message="Saisissez une adresse web commençant par http:// ou https://.",
)


def is_http_url(value: str) -> bool:
    """Whether `value` is an absolute http(s) address with a host."""
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in HTTP_SCHEMES and bool(parts.hostname)


def first_http_url(value: str | None) -> str:
    """The first http(s) address of a `|`-separated list (the standard allows several), or ""."""
    for part in (value or "").split("|"):
        if is_http_url(part):
            return part.strip()
    return ""
