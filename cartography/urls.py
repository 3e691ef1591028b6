from django.urls import path

from . import coverage_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("couverture/", coverage_views.coverage_map, name="coverage-map"),
    path("couverture/rapport/", coverage_views.report_form, name="coverage-report-form"),
    path("couverture/rapport/<int:pk>/", coverage_views.report_status, name="coverage-report"),
    path(
        "couverture/rapport/<int:pk>/fichier",
        coverage_views.report_file,
        name="coverage-report-file",
    ),
]
