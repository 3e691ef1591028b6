"""Where préfecture staff land after signing in (declared in cartography/apps.py, see
accounts.landing): the coverage report they prepare for their départements."""

from django.urls import reverse

from accounts import roles
from accounts.rules import territory


def prefecture(user) -> str:
    return reverse("coverage-report-form") if territory(user, roles.PREFECTURE_STAFF) else ""
