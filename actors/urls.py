from django.urls import path

from . import claims_views, views

urlpatterns = [
    path("", views.directory, name="directory"),
    path("<int:pk>/", views.place_detail, name="directory-place"),
    path("<int:pk>/fiche.pdf", views.place_sheet, name="place-sheet"),
    path("fiches.pdf", views.selection_sheets, name="selection-sheets"),
    path("<int:pk>/c-est-mon-lieu/", claims_views.claim_place, name="place-claim"),
    path("<int:pk>/signaler/", claims_views.report_error, name="place-report"),
]
