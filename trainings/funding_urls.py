"""Funding calls, mounted at /financements/ (TrainingsConfig.hub_urls)."""

from django.urls import path

from . import funding_views as views

urlpatterns = [
    path("", views.call_list, name="funding-calls"),
    path("publier/", views.call_new, name="funding-call-new"),
    path("lettre/", views.digest_subscribe, name="funding-digest"),
]
