from django.apps import AppConfig
from django.db.models.signals import post_migrate

from hub.registry import ApiRoute, DemoLoader, LandingPage, MenuEntry, PageUrls


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "Indicateurs"
    hub_urls = [
        PageUrls("", "indicators.urls"),  # /territoires/…
        PageUrls("", "indicators.dashboard_urls"),  # /tableaux-de-bord/…, /diagnostic/
    ]
    hub_menu_entries = [
        MenuEntry("Tableaux de bord", "dashboards", order=60, current=("dashboards", "dashboard")),
        MenuEntry("Diagnostic", "diagnostic", order=65),
    ]
    hub_api_routes = [
        ApiRoute("indicators", "indicators.api.IndicatorViewSet", "indicator"),
        ApiRoute(
            "indicators/<slug:code>/values/",
            "indicators.api.IndicatorValuesView",
            "indicator-values",
        ),
        ApiRoute(
            "indicators/<slug:code>/tiles/<int:z>/<int:x>/<int:y>.mvt",
            "indicators.tiles.IndicatorTileView",
            "indicator-tiles",
        ),
    ]
    # Computed indicators, each a dotted path to an `indicators.registry.IndicatorDefinition`.
    hub_indicators = [
        "indicators.builtins.places.PLACES_PER_10K",
        "indicators.builtins.places.OPEN_SATURDAY_OR_EVENING",
        "indicators.builtins.places.SHARE_FAR_FROM_HELP",
        "indicators.builtins.places.MEAN_DISTANCE_TO_HELP",
        "indicators.builtins.coverage.FIBRE_SHARE",
        "indicators.builtins.schools.SCHOOLS_WITHOUT_FIBRE",
        "indicators.builtins.schools.TERMINALS_PER_100_PUPILS",
        "indicators.builtins.schools.MATURITY_SHARES",
        "indicators.builtins.schools.CENSUS_RESPONSE_RATE",
        "indicators.builtins.schools.INSTALLED_EQUIPMENT",
        "indicators.builtins.schools.ACTIVE_LOANS",
        "indicators.builtins.schools.OVERDUE_LOANS",
        "indicators.builtins.fragility.FRAGILITY",  # a list: global score and axes × references
    ]

    # After signing in (see accounts.landing): a local authority on its territory's page.
    hub_landing_pages = [LandingPage(60, "indicators.landing.local_authority")]

    # After the territory (10), whose communes the index is mapped onto.
    hub_demo_loaders = [
        DemoLoader(55, "indicators.fragility.load_demo_fragility"),
        DemoLoader(99, "indicators.demo.load_demo_indicators"),  # after every other demo step
    ]

    def ready(self):
        from . import signals
        from .registry import sync_indicators

        signals.connect()

        post_migrate.connect(sync_indicators, sender=self, dispatch_uid="indicators-sync")
