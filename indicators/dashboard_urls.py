"""Dashboards and the gap diagnostic (mounted at the site's root by IndicatorsConfig.hub_urls)."""

from django.urls import path

from . import dashboard_views as views

urlpatterns = [
    path("tableaux-de-bord/", views.dashboard_index, name="dashboards"),
    path("tableaux-de-bord/<slug:key>/", views.dashboard, name="dashboard"),
    path("diagnostic/", views.diagnostic_page, name="diagnostic"),
]
