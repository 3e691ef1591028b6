"""Where the schools' people land after signing in (declared in equipment/apps.py, see
accounts.landing): a director on their school's census, an ERUN on their circonscription's
schools, DSDEN staff on the schools map."""

from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.rules import territory

from .models import Campaign, Circonscription, School


def director(user) -> str:
    """One school: its census form while a campaign asking it is open, else its page; several
    schools: their list."""
    schools = list(School.objects.filter(directors__user=user)[:2])
    if len(schools) != 1:
        return reverse("equipment-schools") if schools else ""
    school = schools[0]
    today = timezone.localdate()
    campaign = (
        Campaign.objects.filter(opens_on__lte=today, closes_on__gte=today)
        .filter(Q(kinds__contains=[school.kind]) | Q(kinds=[]))
        .order_by("-opens_on")
        .first()
    )
    if campaign is not None:
        return reverse("equipment-census", args=[school.uai, campaign.pk])
    return reverse("equipment-school", args=[school.uai])


def digital_referent(user) -> str:
    """An ERUN: the schools of their circonscription (all of theirs when several)."""
    circonscriptions = list(Circonscription.objects.filter(referents__user=user)[:2])
    if not circonscriptions:
        return ""
    url = reverse("equipment-schools")
    if len(circonscriptions) == 1:
        url += "?" + urlencode({"circonscription": circonscriptions[0].pk})
    return url


def dsden(user) -> str:
    return reverse("equipment-schools") if territory(user, roles.DSDEN_STAFF) else ""
