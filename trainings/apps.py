from django.apps import AppConfig

from hub.registry import ApiRoute, DemoLoader, MenuEntry, PageUrls


class TrainingsConfig(AppConfig):
    name = "trainings"
    verbose_name = "Formations"
    hub_urls = [
        PageUrls("ateliers/", "trainings.agenda_urls"),  # the agenda (namespace "trainings")
        PageUrls("plans-d-action/", "trainings.plans_urls"),
        PageUrls("financements/", "trainings.funding_urls"),
        PageUrls("ressources/", "trainings.resources_urls"),  # the resources library
    ]
    hub_api_routes = [
        ApiRoute("sessions", "trainings.api.SessionViewSet", "session"),
        ApiRoute("trainings", "trainings.api.TrainingViewSet", "training"),
        ApiRoute("plans", "trainings.plan_api.PlanViewSet", "territorial-plan"),
        ApiRoute("plan-actions", "trainings.plan_api.ActionViewSet", "territorial-plan-action"),
        ApiRoute("funding-calls", "trainings.plan_api.FundingCallViewSet", "funding-call"),
        ApiRoute("resources", "trainings.resource_api.ResourceViewSet", "resource"),
        ApiRoute(
            "resource-collections",
            "trainings.resource_api.CollectionViewSet",
            "resource-collection",
        ),
    ]
    hub_menu_entries = [
        MenuEntry(
            "Ateliers",
            "trainings:agenda",
            order=25,
            current=("trainings:agenda", "trainings:session"),
        ),
        # Organisers: members of a structure, DSDEN staff, hub administrators.
        MenuEntry(
            "Mes ateliers",
            "trainings:manage",
            order=66,
            visible="trainings.rules.organises_trainings",
            current=(
                "trainings:manage",
                "trainings:training-new",
                "trainings:training-edit",
                "trainings:session-new",
                "trainings:session-edit",
            ),
        ),
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
        # Territorial action plans: those who plan (DSDEN, local authorities, hub
        # administrators) and those an action touches (a school's director, its ERUN).
        MenuEntry(
            "Plans d’action",
            "plan-list",
            order=67,
            visible="trainings.plan_rules.can_see_plans",
            current=("plan-list", "plan-detail", "plan-new", "plan-edit", "plan-action"),
        ),
        MenuEntry("Financements", "funding-calls", order=68),
    ]
    # Workshops' fill rate, no-show rate and participants by audience (trainings/indicators.py).
    hub_indicators = [
        "trainings.indicators.FILL_RATE",
        "trainings.indicators.NO_SHOW_RATE",
        "trainings.indicators.PARTICIPANTS",  # a list: all, then each audience
    ]
    hub_demo_loaders = [
        DemoLoader(97, "trainings.demo.load_demo_trainings"),
        DemoLoader(100, "trainings.plan_demo.load_demo_plans"),  # after the indicators
        # After the trainings (linked by theme) and the demo médiateur (a proposal).
        DemoLoader(98, "trainings.resource_demo.load_demo_resources"),
        # After the sessions, before the indicators (the held session's attendance counts).
        DemoLoader(98, "trainings.registration_demo.load_demo_registrations"),
    ]

    def ready(self):
        from django.db.models.signals import post_save

        from .registrations import session_saved

        # Seats added to a session are offered to its waiting list (trainings/registrations.py).
        post_save.connect(session_saved, sender="trainings.Session", dispatch_uid="session-seats")
