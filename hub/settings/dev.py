"""Development: debug pages, e-mails printed to the console."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# The development server starts a thread per request: persistent connections would pile up.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
