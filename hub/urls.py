"""Root URLs: the hub's own, then each app's pages and API routes as the apps declare them
(`hub_urls` and `hub_api_routes` on their AppConfig, see hub/registry.py)."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from . import api_docs, health, legal
from .api import api_urls
from .registry import collect

urlpatterns = [
    path("api/", include(api_urls())),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", api_docs.api_docs, name="api-docs"),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("accessibilite/", legal.accessibility, name="legal-accessibility"),
    path("mentions-legales/", legal.legal_notice, name="legal-notice"),
    path("donnees-personnelles/", legal.personal_data, name="legal-personal-data"),
    path("plan-du-site/", legal.sitemap, name="legal-sitemap"),
    *(path(pages.prefix, include(pages.module)) for pages in collect("hub_urls")),
]
