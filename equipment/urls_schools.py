from django.urls import path

from . import schools_views as views

urlpatterns = [
    path("", views.schools_map, name="equipment-schools"),
    path("carte.geojson", views.schools_geojson, name="equipment-schools-geojson"),
    path("manques.<str:format>", views.schools_export, name="equipment-schools-export"),
    path("communes/", views.commune_aggregates, name="equipment-communes"),
    path("campagnes/nouvelle/", views.campaign_new, name="equipment-campaign-new"),
    path("<str:uai>/", views.school_detail, name="equipment-school"),
    path("<str:uai>/recensement/<int:campaign>/", views.census_form, name="equipment-census"),
]
