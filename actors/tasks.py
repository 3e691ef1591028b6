"""Celery tasks of the directory: reminders of listings not confirmed for six months."""

import datetime

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mass_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .models import Membership, Place

STALE_AFTER = datetime.timedelta(days=183)
REMIND_EVERY = datetime.timedelta(days=30)


@shared_task(name="actors.remind_stale_listings")
def remind_stale_listings() -> int:
    """E-mail the members of listings not confirmed for six months (at most once a month)."""
    now = timezone.now()
    stale = Place.objects.filter(
        Q(confirmed_at__lt=now - STALE_AFTER)
        | Q(confirmed_at=None, created_at__lt=now - STALE_AFTER)
    ).filter(Q(reminded_at=None) | Q(reminded_at__lt=now - REMIND_EVERY))
    messages, reminded = [], []
    for place in stale.select_related("structure"):
        emails = list(
            Membership.objects.filter(structure=place.structure, status=Membership.Status.ACTIVE)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
        if not emails:
            continue
        link = settings.HUB_BASE_URL + reverse("space")
        body = (
            f"Bonjour,\n\nLa fiche « {place.name} » n’a pas été confirmée depuis plus de six mois. "
            f"Les personnes qui cherchent de l’aide s’y fient : vérifiez-la et cliquez sur "
            f"« Ma fiche est à jour » dans votre espace :\n{link}\n\nMerci."
        )
        messages.append((f"Votre fiche « {place.name} » est-elle à jour ?", body, None, emails))
        reminded.append(place.pk)
    send_mass_mail(messages, fail_silently=False)
    Place.objects.filter(pk__in=reminded).update(reminded_at=now)
    return len(reminded)
