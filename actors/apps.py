from django.apps import AppConfig

from accounts import roles
from hub.registry import ApiRoute, DemoLoader, Importer, LandingPage, MenuEntry, PageUrls


class ActorsConfig(AppConfig):
    name = "actors"
    verbose_name = "Acteurs"
    hub_urls = [PageUrls("lieux/", "actors.urls"), PageUrls("espace/", "actors.space_urls")]
    hub_api_routes = [
        ApiRoute("places/export.csv", "actors.api.PlaceExportView", "place-export"),
        ApiRoute("places", "actors.api.PlaceViewSet", "place"),
    ]
    hub_menu_entries = [
        MenuEntry(
            "Trouver de l’aide", "directory", order=20, current=("directory", "directory-place")
        ),
        # Moderators (hub administrators) follow the error reports of their territory.
        MenuEntry("Signalements", "error-reports", order=70, visible="actors.rules.is_moderator"),
    ]
    hub_demo_loaders = [
        DemoLoader(20, "actors.demo.load_demo_places"),
        DemoLoader(95, "actors.demo.load_demo_memberships"),  # once the accounts exist
        DemoLoader(96, "actors.claims.load_demo_claims"),  # once the memberships exist
    ]
    hub_importers = [
        Importer("places", "Lieux de médiation numérique", "actors.importers.places.import_places"),
    ]
    # Shown over the coverage map in the communes without fibre.
    hub_coverage_overlays = ["actors.overlays.places_in_communes"]
    # Médiateurs keep their structures' listings; their rights come from their memberships.
    hub_roles = [roles.Role(roles.MEDIATEURS)]
    # After signing in (see accounts.landing): their space.
    hub_landing_pages = [LandingPage(30, "actors.landing.mediateur")]
