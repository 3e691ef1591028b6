"""Where local authorities land after signing in (declared in indicators/apps.py, see
accounts.landing): the page of the territory they cover, the dashboards when they cover several
or all of France."""

from django.urls import reverse

from accounts import roles
from accounts.rules import territory


def local_authority(user) -> str:
    area = territory(user, roles.LOCAL_AUTHORITY)
    if not area:
        return ""
    covered = [
        *(("departement", code) for code in area.departements),
        *(("epci", code) for code in area.epcis),
        *(("commune", code) for code in area.communes),
    ]
    if area.national or len(covered) != 1:
        return reverse("dashboards")
    return reverse("territory", args=covered[0])
