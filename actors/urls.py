from django.urls import path

from . import views

urlpatterns = [
    path("", views.directory, name="directory"),
    path("<int:pk>/", views.place_detail, name="directory-place"),
]
