"""A test-only app registering a slow importer, for the worker the kill test starts."""

from django.apps import AppConfig

from hub.registry import Importer


class SlowAppConfig(AppConfig):
    name = "tests.hub.slowapp"
    label = "hub_slowapp"
    hub_importers = [Importer("slow", "Import lent (tests)", "tests.hub.slowapp.import_slowly")]
