from rest_framework.routers import DefaultRouter

from .api import CommuneViewSet, EPCIViewSet

router = DefaultRouter()
router.register("communes", CommuneViewSet, basename="commune")
router.register("epci", EPCIViewSet, basename="epci")

urlpatterns = router.urls
