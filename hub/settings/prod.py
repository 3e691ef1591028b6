"""Production: secrets and hosts must come from the environment; HTTPS only.

The hub runs behind a TLS-terminating proxy that sets `X-Forwarded-Proto`. Without one (a local
try of the image over plain HTTP), set DJANGO_SECURE_SSL_REDIRECT=false and
DJANGO_SECURE_COOKIES=false.
"""

from .base import *  # noqa: F403
from .base import MIDDLEWARE, REST_FRAMEWORK, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# The manifest storage rewrites the DSFR's CSS (its url() references get hashed names), so the
# integrity hashes django-dsfr writes no longer match and browsers would refuse the styles. The
# files come from the hub itself, where subresource integrity adds nothing.
DSFR_USE_INTEGRITY_CHECKSUMS = False

SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Trust the proxy's word on HTTPS only when a proxy is there (it must overwrite the header).
if env.bool("DJANGO_BEHIND_PROXY", default=True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Client addresses (throttles, lockout) from the one proxy's X-Forwarded-For.
    REST_FRAMEWORK = {**REST_FRAMEWORK, "NUM_PROXIES": env.int("HUB_PROXY_COUNT", default=1)}
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probes call it over plain HTTP inside the network
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
# Static files served by the web process itself (no separate static server needed).
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
