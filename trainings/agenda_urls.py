"""The agenda of workshops (public) and the organisers' pages, under /ateliers/."""

from django.urls import include, path

from . import agenda_views as views

app_name = "trainings"

urlpatterns = [
    path("", views.agenda, name="agenda"),
    path("agenda.ics", views.agenda_ics, name="agenda-ics"),
    path("<int:pk>/", views.session_detail, name="session"),
    path("<int:pk>/atelier.ics", views.session_ics, name="session-ics"),
    path("gestion/", views.manage, name="manage"),
    path("gestion/formations/nouvelle/", views.training_edit, name="training-new"),
    path("gestion/formations/<int:pk>/modifier/", views.training_edit, name="training-edit"),
    path("gestion/sessions/nouvelle/", views.session_edit, name="session-new"),
    path("gestion/sessions/<int:pk>/modifier/", views.session_edit, name="session-edit"),
    # Registrations (their own module) share the "trainings" namespace by inclusion.
    path("", include("trainings.registration_urls")),
]
