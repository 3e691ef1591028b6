from django.apps import AppConfig

from hub.registry import ApiRoute, DemoLoader, MenuEntry, PageUrls


class TrainingsConfig(AppConfig):
    name = "trainings"
    verbose_name = "Formations"
    hub_urls = [
        PageUrls("ressources/", "trainings.resources_urls"),  # the resources library
    ]
    hub_api_routes = [
        ApiRoute("resources", "trainings.resource_api.ResourceViewSet", "resource"),
        ApiRoute(
            "resource-collections",
            "trainings.resource_api.CollectionViewSet",
            "resource-collection",
        ),
    ]
    hub_menu_entries = [
        MenuEntry(
            "Ressources",
            "resources",
            order=27,
            current=("resources", "resource", "resource-collection", "resource-report"),
        ),
        # Hub administrators publish proposed resources and treat readers' reports.
        MenuEntry(
            "Modération des ressources",
            "resource-moderation",
            order=71,
            visible="trainings.resource_rules.moderates_resources",
        ),
    ]
    hub_demo_loaders = [
        # After the trainings (linked by theme) and the demo médiateur (a proposal).
        DemoLoader(98, "trainings.resource_demo.load_demo_resources"),
    ]
