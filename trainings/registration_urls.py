"""Registrations' pages under /ateliers/, in the "trainings" namespace: included by
trainings/agenda_urls.py (a namespace is one URLconf, so the parts share it by inclusion)."""

from django.urls import path

from . import registration_views as views

urlpatterns = [
    path("gestion/presences/", views.held_sessions, name="held-sessions"),
    path("<int:pk>/inscription/", views.register, name="register"),
    path("<int:pk>/participants/", views.participants, name="participants"),
    path("<int:pk>/participants/inscrire/", views.register_in_person, name="participant-add"),
    path("<int:pk>/annuler-la-seance/", views.cancel_session, name="session-cancel"),
    path(
        "<int:pk>/participants/<int:registration_pk>/annuler/",
        views.cancel_participant,
        name="participant-cancel",
    ),
    path(
        "<int:pk>/participants/<int:registration_pk>/confirmer/",
        views.confirm_offer,
        name="participant-confirm",
    ),
    path("inscription/<str:token>/", views.registration, name="registration"),
    path("inscription/<str:token>/annuler/", views.cancel, name="registration-cancel"),
    path("inscription/<str:token>/accepter/", views.accept, name="registration-accept"),
]
