from django.apps import AppConfig

from accounts import roles
from hub.registry import DemoLoader, Importer, LandingPage, MenuEntry, PageUrls


class EquipmentConfig(AppConfig):
    name = "equipment"
    verbose_name = "Équipement"
    hub_urls = [PageUrls("ecoles/", "equipment.urls")]
    hub_menu_entries = [
        MenuEntry("Écoles", "equipment-schools", order=40, visible="equipment.rules.has_schools")
    ]
    hub_demo_loaders = [
        DemoLoader(30, "equipment.demo.load_demo_schools"),
        DemoLoader(40, "equipment.demo.load_demo_census"),
        DemoLoader(95, "equipment.demo.load_demo_school_accounts"),
        DemoLoader(96, "equipment.demo.load_demo_logistics"),
    ]
    hub_importers = [
        Importer(
            "schools", "Annuaire de l’éducation", "equipment.importers.schools.import_schools"
        ),
        Importer("ips", "IPS des écoles", "equipment.importers.ips.import_ips"),
    ]
    hub_coverage_overlays = ["equipment.overlays.schools_in_communes"]
    # DSDEN staff follow the schools of their départements; local authorities, funders of
    # school equipment, read the figures and deployments of the schools of their territory.
    hub_roles = [
        roles.Role(roles.DSDEN_STAFF, territories=(roles.DEPARTEMENT,)),
        roles.Role(
            roles.LOCAL_AUTHORITY, territories=(roles.COMMUNE, roles.EPCI, roles.DEPARTEMENT)
        ),
    ]

    # After signing in (see accounts.landing): a director, an ERUN, then DSDEN staff.
    hub_landing_pages = [
        LandingPage(10, "equipment.landing.director"),
        LandingPage(20, "equipment.landing.digital_referent"),
        LandingPage(40, "equipment.landing.dsden"),
    ]

    def ready(self):
        from . import signals  # noqa: F401 - connects the maturity receivers
