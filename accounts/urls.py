from django.contrib.auth import views as auth_views
from django.urls import path

from hub.throttling import throttled

from . import landing, views

urlpatterns = [
    path("inscription/", views.signup, name="signup"),
    path("connexion/", auth_views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("accueil/", landing.landing, name="landing"),
    path(
        "mot-de-passe/oubli/",
        # Each request sends an e-mail: a few per hour from one address.
        throttled("password_reset", methods=("POST",))(auth_views.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "mot-de-passe/oubli/envoye/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/modifie/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
