from django.apps import AppConfig
from django.db.models.signals import post_migrate


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "Indicateurs"
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
    ]

    def ready(self):
        from . import signals
        from .registry import sync_indicators

        signals.connect()

        post_migrate.connect(sync_indicators, sender=self, dispatch_uid="indicators-sync")
