"""The resources library's pages, mounted at /ressources/ (trainings/apps.py). The library's own
pages come before a resource's address (their names are never given to a resource)."""

from django.urls import path

from . import resource_views as views

urlpatterns = [
    path("", views.library_page, name="resources"),
    path("proposer/", views.propose, name="resource-propose"),
    path("moderation/", views.moderation, name="resource-moderation"),
    path("collections/<slug:slug>/", views.collection_page, name="resource-collection"),
    path("signalements/<int:pk>/traiter/", views.resolve_report, name="resource-report-resolve"),
    path("<slug:slug>/", views.resource_page, name="resource"),
    path("<slug:slug>/telecharger/", views.download, name="resource-download"),
    path("<slug:slug>/modifier/", views.edit, name="resource-edit"),
    path("<slug:slug>/moderer/", views.moderate, name="resource-moderate"),
    path("<slug:slug>/avis/", views.rate, name="resource-rate"),
    path("<slug:slug>/signaler/", views.report, name="resource-report"),
]
