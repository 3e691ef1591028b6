"""Settings of the worker started by the kill test: the test settings plus the slow importer."""

from hub.settings.test import *  # noqa: F403
from hub.settings.test import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.hub.slowapp.apps.SlowAppConfig"]
