"""Following a census campaign by circonscription, under /ecoles/recensement/."""

from django.urls import path

from . import views_census_files as views

CIRCONSCRIPTION = "<int:campaign>/circonscriptions/<int:circonscription>/"

urlpatterns = [
    path("<int:campaign>/", views.campaign_overview, name="equipment-census-campaign"),
    path("<int:campaign>/relance/", views.remind_all, name="equipment-census-remind-all"),
    path(CIRCONSCRIPTION, views.circonscription_progress, name="equipment-census-progress"),
    path(f"{CIRCONSCRIPTION}modele.xlsx", views.census_template, name="equipment-census-template"),
    path(f"{CIRCONSCRIPTION}depot/", views.census_upload, name="equipment-census-upload"),
    path(f"{CIRCONSCRIPTION}relance/", views.remind, name="equipment-census-remind"),
]
