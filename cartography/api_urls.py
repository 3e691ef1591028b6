from django.urls import path
from rest_framework.routers import DefaultRouter

from actors.api import PlaceExportView, PlaceViewSet

from .api import CommuneViewSet, EPCIViewSet

router = DefaultRouter()
router.register("communes", CommuneViewSet, basename="commune")
router.register("epci", EPCIViewSet, basename="epci")
router.register("places", PlaceViewSet, basename="place")

urlpatterns = [
    path("places/export.csv", PlaceExportView.as_view(), name="place-export"),
    *router.urls,
]
