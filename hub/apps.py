from django.apps import AppConfig
from django.db.models.signals import post_delete

from .registry import MenuEntry


class HubConfig(AppConfig):
    name = "hub"
    verbose_name = "Hub"
    hub_menu_entries = [MenuEntry("API", "api-docs", order=90)]

    def ready(self):
        from . import caching, checks  # noqa: F401 - checks registers the apps' declarations' check
        from .models import ScheduledImport
        from .scheduling import unschedule

        post_delete.connect(unschedule, sender=ScheduledImport, dispatch_uid="hub.unschedule")
        caching.connect()  # layers' versions follow the data
