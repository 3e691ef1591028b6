"""Settings shared by every environment; everything that varies comes from the environment."""

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ

BASE_DIR = Path(__file__).resolve().parents[2]
env = environ.Env()

# Project-local state (PostgreSQL cluster, Redis, logs) lives here, git-ignored.
VAR_DIR = Path(env("HUB_VAR_DIR", default=str(BASE_DIR / "var")))
SOCKET_DIR = VAR_DIR / "run"

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-development-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django.contrib.postgres",
    "django.forms",
    "dsfr",
    "widget_tweaks",
    "leaflet",
    "rest_framework",
    "rest_framework.authtoken",
    "rest_framework_gis",
    "django_filters",
    "drf_spectacular",
    "django_celery_beat",
    "simple_history",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",  # imports each app's rules.py
    "hub",
    "accounts",
    "cartography",
    "actors",
    "equipment",
    "trainings",
    "indicators",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Every text response compressed when the browser accepts it (pages, JSON, GeoJSON, CSV).
    # BREACH: the only secret a page reflects is the CSRF token, which Django masks afresh in
    # every response, and this middleware pads each gzip stream with random bytes (Django ≥ 4.2).
    "django.middleware.gzip.GZipMiddleware",
    "hub.csp.ContentSecurityPolicyMiddleware",
    "hub.middleware.RefuseNulCharacter",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hub.urls"
WSGI_APPLICATION = "hub.wsgi.application"
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hub.context_processors.site",
            ],
        },
    },
]

# Database: PostGIS. Without DATABASE_URL, the project-local cluster started by bin/hub.
if env("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL", engine="django.contrib.gis.db.backends.postgis")}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.contrib.gis.db.backends.postgis",
            "NAME": env("HUB_DATABASE_NAME", default="hub"),
            "USER": "hub",
            "HOST": str(SOCKET_DIR),
        }
    }
DATABASES["default"]["ENGINE"] = "django.contrib.gis.db.backends.postgis"
# Persistent connections: a new PostgreSQL backend loading PostGIS costs about 10 ms a request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("HUB_DB_CONN_MAX_AGE", default=600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL's JIT compiles any query whose estimated cost is high, which for the hub's short
# spatial queries (an importer's batch look-ups, map layers) costs more than it saves.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Debian 12 ships GDAL 3.6; the hub parses geometries with GEOS, not GDAL's network readers.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

# All geometries are stored in this SRID; the API and the browser speak EPSG:4326 too.
STORAGE_SRID = 4326


def redis_url(db: int) -> str:
    """The Redis URL for one logical database (broker and cache use separate ones)."""
    parts = urlsplit(env("REDIS_URL", default="") or f"unix://{SOCKET_DIR / 'redis.sock'}")
    if parts.scheme == "unix":
        return f"unix://{parts.path}?db={db}"
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, ""))


def celery_broker_url(db: int) -> str:
    """Kombu spells a Unix-socket Redis differently from redis-py."""
    parts = urlsplit(redis_url(db))
    if parts.scheme == "unix":
        return f"redis+socket://{parts.path}?virtual_host={db}"
    return redis_url(db)


REDIS_BROKER_DB = env.int("REDIS_BROKER_DB", default=0)
REDIS_CACHE_DB = env.int("REDIS_CACHE_DB", default=1)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": redis_url(REDIS_CACHE_DB),
    }
}

CELERY_BROKER_URL = celery_broker_url(REDIS_BROKER_DB)
CELERY_RESULT_BACKEND = None
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "Europe/Paris"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Background jobs (hub.jobs): a running job writes a heartbeat every few seconds; the sweeper
# fails those silent for longer than HUB_JOB_STALE_AFTER (their worker vanished).
HUB_JOB_HEARTBEAT_SECONDS = env.float("HUB_JOB_HEARTBEAT_SECONDS", default=10.0)
HUB_JOB_STALE_AFTER = env.float("HUB_JOB_STALE_AFTER", default=90.0)
# Scheduled imports: downloads are capped in size and time; the task's soft limit comes first.
HUB_IMPORT_MAX_BYTES = env.int("HUB_IMPORT_MAX_BYTES", default=500_000_000)
HUB_IMPORT_TIMEOUT = env.float("HUB_IMPORT_TIMEOUT", default=600.0)
HUB_IMPORT_SOFT_TIME_LIMIT = 40 * 60
HUB_IMPORT_TIME_LIMIT = 45 * 60

AUTH_USER_MODEL = "accounts.User"
# Object rights come from each app's rules.py (the `rules` package), model rights from groups.
AUTHENTICATION_BACKENDS = [
    "hub.throttling.LockoutBackend",  # refuses any sign-in while locked out (django-axes)
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout (django-axes) after repeated wrong passwords for one account from one address, on the
# site and the admin; it ends after the cool-off time. Behind a proxy, see AXES_IPWARE_*.
AXES_FAILURE_LIMIT = env.int("HUB_LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = env.float("HUB_LOGIN_LOCKOUT_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_CLIENT_IP_CALLABLE = "hub.throttling.client_ip"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "landing"  # the page where the role works (accounts.landing)
LOGOUT_REDIRECT_URL = "home"

vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="Hub inclusion numérique <no-reply@localhost>"
)

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media/"

REST_FRAMEWORK = {
    # JSON only: people read the API's documentation page, not DRF's English browsable pages.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # The API denies by default; each view opens itself on purpose.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAdminUser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "hub.api.exception_handler",  # French 404s
    # Generous for people (a map loads a few layers per move), a brake on scrapers. The scoped
    # rates also serve pages outside DRF (hub/throttling.py): PDFs, password reset.
    # Proxies in front of the hub whose X-Forwarded-For is trusted (client addresses for the
    # throttles and the lockout); 0 reads only the connection's address.
    "NUM_PROXIES": env.int("HUB_PROXY_COUNT", default=0),
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("HUB_API_ANON_RATE", default="600/minute"),
        "user": env("HUB_API_USER_RATE", default="1200/minute"),
        "pdf": env("HUB_PDF_ANON_RATE", default="30/hour"),
        "password_reset": env("HUB_PASSWORD_RESET_RATE", default="10/hour"),
        # Each error report e-mails a place's members and moderators.
        "error_report": env("HUB_ERROR_REPORT_ANON_RATE", default="10/hour"),
        # Each registration to a session writes a row and sends an e-mail.
        "training_registration": env("HUB_TRAINING_REGISTRATION_RATE", default="20/hour"),
        # Readers' ratings and problem reports on the library's resources.
        "resource_feedback": env("HUB_RESOURCE_FEEDBACK_RATE", default="30/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API du hub de l'inclusion numérique",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}

# Map: the background tile layer is optional; the territory layers come from the hub itself.
MAP_TILES_URL = env("MAP_TILES_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILES_ATTRIBUTION = env("MAP_TILES_ATTRIBUTION", default="© les contributeurs d’OpenStreetMap")


def _origin(url: str) -> str | None:
    """The origin of a tile URL template, `{s}` subdomains as a wildcard."""
    parts = urlsplit(url.replace("{s}", "*"))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


# Content-Security-Policy (django-csp, hub/csp.py): scripts, styles, fonts and data from the hub
# only, no inline script (maps start from static/js/map-init.js; the admin's map widgets run
# with a nonce); images also from the tile server.
# Inline styles stay allowed: Leaflet, the legend swatches and Redoc set them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", *filter(None, [_origin(MAP_TILES_URL)])],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LEAFLET_CONFIG = {
    "TILES": [("Fond de carte", MAP_TILES_URL, {"attribution": MAP_TILES_ATTRIBUTION})]
    if MAP_TILES_URL
    else [],
    "DEFAULT_CENTER": (46.6, 2.4),
    "DEFAULT_ZOOM": 6,
    "MIN_ZOOM": 5,
    "MAX_ZOOM": 18,
    "RESET_VIEW": False,
    "NO_GLOBALS": False,
}

# The département shown first; any loaded département can be chosen.
HUB_DEFAULT_DEPARTEMENT = env("HUB_DEFAULT_DEPARTEMENT", default="28")
# Geocoder for places imported without coordinates: the national address API (BAN) search URL,
# e.g. https://api-adresse.data.gouv.fr/search/ ; empty: such places sit at their commune.
HUB_GEOCODER_URL = env("HUB_GEOCODER_URL", default="")
HUB_GEOCODER_TIMEOUT = env.float("HUB_GEOCODER_TIMEOUT", default=5.0)
# The hub's public address, for links in e-mails sent by background tasks.
HUB_BASE_URL = env("HUB_BASE_URL", default="http://127.0.0.1:8000")
# An invitation to join a structure is valid this many days (for the invited address, once).
HUB_INVITATION_DAYS = env.int("HUB_INVITATION_DAYS", default=14)
# Where "report an error" on a place page writes to.
HUB_CONTACT_EMAIL = env("HUB_CONTACT_EMAIL", default="contact-hub@example.org")
HUB_SITE_TITLE = env("HUB_SITE_TITLE", default="Hub de l’inclusion numérique")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    # WeasyPrint narrates each layout step at INFO; only its problems are worth reading.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# The legal pages (hub/legal.py): who publishes and hosts the hub, whom to write to about
# accessibility and personal data, and the accessibility declaration's state and date. The
# defaults describe the Eure-et-Loir demonstration; a deployment sets its own.
HUB_PUBLISHER_NAME = env("HUB_PUBLISHER_NAME", default="Préfecture d’Eure-et-Loir (démonstration)")
HUB_PUBLISHER_ADDRESS = env(
    "HUB_PUBLISHER_ADDRESS", default="Place de la République, 28019 Chartres Cedex"
)
HUB_PUBLICATION_DIRECTOR = env("HUB_PUBLICATION_DIRECTOR", default="Le préfet d’Eure-et-Loir")
HUB_HOST_NAME = env(
    "HUB_HOST_NAME", default="Instance de démonstration, hébergée par la personne qui l’exécute"
)
HUB_HOST_ADDRESS = env("HUB_HOST_ADDRESS", default="")
HUB_SOURCE_CODE_URL = env("HUB_SOURCE_CODE_URL", default="")
HUB_ACCESSIBILITY_CONTACT = env("HUB_ACCESSIBILITY_CONTACT", default=HUB_CONTACT_EMAIL)
HUB_DPO_CONTACT = env("HUB_DPO_CONTACT", default=HUB_CONTACT_EMAIL)
# "non conforme", "partiellement conforme" or "totalement conforme", as the last check found.
HUB_ACCESSIBILITY_STATUS = env("HUB_ACCESSIBILITY_STATUS", default="partiellement conforme")
# The date of that check, YYYY-MM-DD.
HUB_ACCESSIBILITY_CHECKED_ON = env("HUB_ACCESSIBILITY_CHECKED_ON", default="2026-11-27")
# Days the journal of successful sign-ins (address, browser) is kept: a daily task erases older
# entries, as the personal-data page says.
HUB_SIGN_IN_LOG_DAYS = env.int("HUB_SIGN_IN_LOG_DAYS", default=365)
# Trainings: a seat offered to the next person on a waiting list stays theirs this many hours;
# participants' personal data is erased this many months after their session (counts stay);
# messages to participants go through the first of these channels that reaches them
# (trainings/channels.py: e-mail today, an SMS channel may be added).
HUB_TRAINING_OFFER_HOURS = env.int("HUB_TRAINING_OFFER_HOURS", default=24)
HUB_TRAINING_DATA_MONTHS = env.int("HUB_TRAINING_DATA_MONTHS", default=3)
HUB_TRAINING_REMINDER_DAYS = env.int("HUB_TRAINING_REMINDER_DAYS", default=2)
HUB_TRAINING_CHANNELS = env.list(
    "HUB_TRAINING_CHANNELS", default=["trainings.channels.EmailChannel"]
)
