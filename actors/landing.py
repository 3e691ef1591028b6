"""Where médiateurs land after signing in (declared in actors/apps.py, see accounts.landing)."""

from django.urls import reverse

from accounts import roles
from accounts.rules import role_names


def mediateur(user) -> str:
    """Their space: their structures, places and requests."""
    if roles.MEDIATEURS in role_names(user) or user.memberships.exists():
        return reverse("space")
    return ""
