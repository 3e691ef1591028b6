"""Tests: the same real PostGIS and Redis, on Redis databases of their own."""

import os

from .base import *  # noqa: F403
from .base import celery_broker_url, env, redis_url

# Playwright's sync API runs an event loop in the test thread; the ORM calls there are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

DEBUG = False
# Live-server tests serve each request from a new thread (as the development server does).
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
REDIS_BROKER_DB = env.int("REDIS_TEST_BROKER_DB", default=14)
REDIS_CACHE_DB = env.int("REDIS_TEST_CACHE_DB", default=15)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": redis_url(REDIS_CACHE_DB),
    }
}
CELERY_BROKER_URL = celery_broker_url(REDIS_BROKER_DB)
# Data changes do not queue indicator recomputations (the suite's shared worker would write
# jobs and values into unrelated tests); the tests of that behaviour turn it on.
HUB_INDICATORS_AUTO_RECOMPUTE = False
# No background tiles in tests: the machines reach no tile server.
MAP_TILES_URL = env("MAP_TILES_URL", default="")
LEAFLET_CONFIG = {**LEAFLET_CONFIG, "TILES": []}  # noqa: F405
CHROMIUM_PATH = env("CHROMIUM_PATH", default="/usr/bin/chromium")
# The suite makes far more requests from 127.0.0.1 than any person would; the tests of the
# limits set their own rates.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": dict.fromkeys(
        REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],  # noqa: F405
        "100000/minute",
    ),
}
