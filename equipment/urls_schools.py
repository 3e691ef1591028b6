from django.urls import path, register_converter

from . import schools_views as views


class UAIConverter:
    """Only a real UAI (7 digits and a letter) names a school in a URL, so that the other pages
    under /ecoles/ never fall into a school's page."""

    regex = r"\d{7}[A-Za-z]"

    def to_python(self, value):
        return value.upper()

    def to_url(self, value):
        return value


register_converter(UAIConverter, "uai")

urlpatterns = [
    path("", views.schools_map, name="equipment-schools"),
    path("carte.geojson", views.schools_geojson, name="equipment-schools-geojson"),
    path("manques.<str:format>", views.schools_export, name="equipment-schools-export"),
    path("communes/", views.commune_aggregates, name="equipment-communes"),
    path("campagnes/nouvelle/", views.campaign_new, name="equipment-campaign-new"),
    path("<uai:uai>/", views.school_detail, name="equipment-school"),
    path("<uai:uai>/recensement/<int:campaign>/", views.census_form, name="equipment-census"),
]
