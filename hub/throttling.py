"""Brakes on guessing and flooding: the sign-in lockout backend (django-axes), and rate limits
for pages outside DRF (anonymous PDF sheets, password reset) with DRF's own throttle: the same
cache and the same rates setting (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], one scope per kind
of request). Over the limit, a readable 429 page says when to come back."""

import math
from functools import wraps

from axes.backends import AxesStandaloneBackend
from django.shortcuts import render
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle


def client_ip(request) -> str:
    """The client's address, for the lockout as for the rate limits: X-Forwarded-For is read
    only through the REST_FRAMEWORK["NUM_PROXIES"] proxies the hub sits behind (0: never), so
    a client cannot escape either by sending the header itself."""
    return BaseThrottle().get_ident(request)


class LockoutBackend(AxesStandaloneBackend):
    """Refuses any sign-in through a web request while its account and address are locked out.
    A check without a request (the shell, the test client's `login`) has no address to lock."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


class AnonymousScopeThrottle(SimpleRateThrottle):
    """Counts one scope's requests per client address; signed-in people are not limited."""

    def __init__(self, scope: str):
        self.scope = scope
        super().__init__()

    def get_cache_key(self, request, view):
        if request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def throttled(scope: str, methods=("GET", "POST")):
    """Limit a view's anonymous requests (of these methods) to the scope's rate."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            throttle = AnonymousScopeThrottle(scope)
            if request.method in methods and not throttle.allow_request(request, None):
                wait = math.ceil(throttle.wait() or 60)
                response = render(
                    request, "429.html", {"minutes": math.ceil(wait / 60)}, status=429
                )
                response["Retry-After"] = str(wait)
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
