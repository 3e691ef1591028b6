from django.apps import AppConfig

from accounts import roles
from hub.registry import ApiRoute, DemoLoader, Importer, LandingPage, MenuEntry, PageUrls


class CartographyConfig(AppConfig):
    name = "cartography"
    verbose_name = "Cartographie"
    hub_urls = [PageUrls("", "cartography.urls")]
    hub_api_routes = [
        ApiRoute("communes", "cartography.api.CommuneViewSet", "commune"),
        ApiRoute("epci", "cartography.api.EPCIViewSet", "epci"),
        ApiRoute("coverage/", "cartography.coverage_api.CoverageView", "coverage"),
        ApiRoute(
            "coverage/buildings/", "cartography.coverage_api.BuildingsView", "coverage-buildings"
        ),
        ApiRoute(
            "coverage/unserved/", "cartography.coverage_api.UnservedView", "coverage-unserved"
        ),
    ]
    hub_menu_entries = [
        MenuEntry("Carte du territoire", "home", order=10),
        MenuEntry("Couverture fibre", "coverage-map", order=30),
    ]
    hub_demo_loaders = [
        DemoLoader(10, "cartography.demo.load_demo_territory"),
        DemoLoader(12, "cartography.importers.postal_codes.load_demo_postal_codes"),
        DemoLoader(50, "cartography.importers.coverage.load_demo_coverage"),
        DemoLoader(51, "cartography.demo_buildings.load_demo_buildings"),  # a few streets
    ]
    hub_importers = [
        Importer("coverage", "Couverture ARCEP", "cartography.importers.coverage.import_coverage"),
        Importer(
            "postal_codes",
            "Codes postaux (La Poste)",
            "cartography.importers.postal_codes.import_postal_codes",
        ),
    ]
    # Map layers drawn from these models are cached until one of them changes (hub/caching.py).
    hub_data_topics = [
        ("territory", "cartography.Departement"),
        ("territory", "cartography.EPCI"),
        ("territory", "cartography.Commune"),
        ("territory", "cartography.PostalCode"),  # named in the commune layer
        ("coverage", "cartography.CoverageSnapshot"),
        ("coverage", "cartography.EligibilitySnapshot"),
        ("coverage", "cartography.Building"),
    ]
    # Préfecture staff follow fibre coverage and ask for reports in their départements.
    hub_roles = [roles.Role(roles.PREFECTURE_STAFF, territories=(roles.DEPARTEMENT,))]
    # After signing in (see accounts.landing): the coverage report form.
    hub_landing_pages = [LandingPage(50, "cartography.landing.prefecture")]
