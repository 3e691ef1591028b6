"""Context shared by every page: the DSFR site configuration, and the main menu as the apps
declare it (`hub_menu_entries`), computed lazily so only pages that render it pay its queries."""

from django.conf import settings
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.module_loading import import_string

from .registry import menu_entries


def site(request):
    return {
        "SITE_CONFIG": {
            "site_title": settings.HUB_SITE_TITLE,
            "site_tagline": "Acteurs, équipements et couverture numérique du territoire",
            "header_brand_html": "République<br>française",
        },
        "menu_entries": SimpleLazyObject(lambda: visible_menu(request)),
        "skiplinks": [
            {"link": "#content", "label": "Contenu"},
            {"link": "#header-navigation", "label": "Menu"},
            {"link": "#footer", "label": "Pied de page"},
        ],
    }


def visible_menu(request) -> list[dict]:
    """The menu entries `request.user` may see, in order, each with its URL and whether it is
    the current page."""
    match = request.resolver_match
    # A namespaced entry ("trainings:agenda") is matched on the view's full name.
    current = {getattr(match, "url_name", None), getattr(match, "view_name", None)}
    entries = []
    for entry in menu_entries():
        if entry.visible and not import_string(entry.visible)(request.user):
            continue
        entries.append(
            {
                "label": entry.label,
                "url": reverse(entry.url_name),
                "current": bool(current & {*(entry.current or (entry.url_name,))}),
            }
        )
    return entries
