from django.urls import path

from . import views

urlpatterns = [
    path("", views.directory, name="directory"),
    path("<int:pk>/", views.place_detail, name="directory-place"),
    path("<int:pk>/fiche.pdf", views.place_sheet, name="place-sheet"),
    path("fiches.pdf", views.selection_sheets, name="selection-sheets"),
]
