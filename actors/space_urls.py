from django.urls import path

from . import claims_views, space

urlpatterns = [
    path("", space.my_space, name="space"),
    path("rejoindre/", space.claim, name="space-claim"),
    path("demandes/<int:pk>/", space.decide, name="space-decide"),
    path("structures/<int:pk>/inviter/", space.invite, name="space-invite"),
    path("structures/<int:pk>/lieux/nouveau/", space.new_place, name="space-new-place"),
    path("invitation/<str:token>/", space.accept, name="space-accept"),
    path("lieux/<int:pk>/modifier/", space.edit_place, name="space-edit-place"),
    path("lieux/<int:pk>/confirmer/", space.confirm_place, name="space-confirm-place"),
    path("lieux/<int:pk>/historique/", space.place_history, name="space-place-history"),
    path("revendications/<int:pk>/", claims_views.decide_claim, name="space-decide-claim"),
    path("signalements/", claims_views.error_reports, name="error-reports"),
    path(
        "signalements/<int:pk>/traiter/",
        claims_views.resolve_error_report,
        name="error-report-resolve",
    ),
]
