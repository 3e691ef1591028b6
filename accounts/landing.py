"""Where a person lands after signing in (LOGIN_REDIRECT_URL): the page where their role works.

Each app declares its roles' pages (`hub_landing_pages` on its AppConfig, see
`hub.registry.LandingPage`); the first that applies, most specific role first, wins. A `next`
parameter given to the sign-in form still takes precedence (Django's LoginView keeps it when it
is a safe, same-site address) and never reaches this view.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.module_loading import import_string

from hub.registry import landing_pages

from . import roles
from .rules import role_names


def landing_url(user) -> str:
    """The URL of the page where `user` works (the home map when no role declares one)."""
    for page in landing_pages():
        url = import_string(page.function)(user)
        if url:
            return url
    return reverse("home")


@login_required
def landing(request):
    return redirect(landing_url(request.user))


def hub_admin(user) -> str:
    """Hub administrators: the administration."""
    if roles.HUB_ADMINS in role_names(user) and user.is_staff:
        return reverse("admin:index")
    return ""
