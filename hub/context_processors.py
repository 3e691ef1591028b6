"""Context shared by every page: the DSFR site configuration, without a database query."""

from django.conf import settings


def site(request):
    return {
        "SITE_CONFIG": {
            "site_title": settings.HUB_SITE_TITLE,
            "site_tagline": "Acteurs, équipements et couverture numérique du territoire",
            "header_brand_html": "République<br>française",
        },
        "skiplinks": [
            {"link": "#content", "label": "Contenu"},
            {"link": "#header-navigation", "label": "Menu"},
            {"link": "#footer", "label": "Pied de page"},
        ],
    }
