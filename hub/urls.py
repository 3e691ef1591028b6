from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from . import health

urlpatterns = [
    path("", include("cartography.urls")),
    path("lieux/", include("actors.urls")),
    path("espace/", include("actors.space_urls")),
    path("ecoles/", include("equipment.urls")),
    path("api/", include("cartography.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-docs"),
    path("comptes/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
]
