"""Routes filled by their part of the app."""

urlpatterns = []
