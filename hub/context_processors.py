"""Context shared by every page: the DSFR site configuration, and (lazily, so only pages that
ask pay the query) whether the user has a school space."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject


def site(request):
    return {
        "SITE_CONFIG": {
            "site_title": settings.HUB_SITE_TITLE,
            "site_tagline": "Acteurs, équipements et couverture numérique du territoire",
            "header_brand_html": "République<br>française",
        },
        "has_school_space": SimpleLazyObject(lambda: _school_space(request.user)),
        "skiplinks": [
            {"link": "#content", "label": "Contenu"},
            {"link": "#header-navigation", "label": "Menu"},
            {"link": "#footer", "label": "Pied de page"},
        ],
    }


def _school_space(user) -> bool:
    from equipment.rights import has_school_access

    return has_school_access(user)
