from django.urls import path
from rest_framework.routers import DefaultRouter

from actors.api import PlaceExportView, PlaceViewSet

from .api import CommuneViewSet, EPCIViewSet
from .coverage_api import BuildingsView, CoverageView, UnservedView

router = DefaultRouter()
router.register("communes", CommuneViewSet, basename="commune")
router.register("epci", EPCIViewSet, basename="epci")
router.register("places", PlaceViewSet, basename="place")

urlpatterns = [
    path("places/export.csv", PlaceExportView.as_view(), name="place-export"),
    path("coverage/", CoverageView.as_view(), name="coverage"),
    path("coverage/buildings/", BuildingsView.as_view(), name="coverage-buildings"),
    path("coverage/unserved/", UnservedView.as_view(), name="coverage-unserved"),
    *router.urls,
]
