"""Pages of the indicators app (mounted at the site's root by IndicatorsConfig.hub_urls)."""

from django.urls import re_path

from .territory import views as territory

# Levels and codes are checked by the URL: anything else is the French 404 page.
TERRITORY = r"^territoires/(?P<level>commune|epci|departement)/(?P<code>[0-9A-Za-z]{1,9})/"

urlpatterns = [
    re_path(TERRITORY + r"$", territory.territory_page, name="territory"),
    re_path(TERRITORY + r"fiche\.pdf$", territory.territory_pdf, name="territory-pdf"),
]
