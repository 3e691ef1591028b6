"""Schools and their equipment, under /ecoles/: each part of the app keeps its own routes."""

from django.urls import include, path

urlpatterns = [
    path("", include("equipment.urls_schools")),
    path("recensement/", include("equipment.urls_census_files")),
    path("", include("equipment.urls_logistics")),
]
