"""The weekly digest of funding calls, e-mailed to the addresses structures gave: calls
published since the address's last digest and open calls closing within a month. At most one
digest a week per address, so the task is safe to run again (or retried) the same week."""

import datetime

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mass_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .models.funding import CLOSING_SOON_DAYS, DigestSubscription, FundingCall

DIGEST_EVERY = datetime.timedelta(days=6)  # a weekly beat run never skips a week


def digest_body(new: list[FundingCall], closing: list[FundingCall]) -> str:
    def lines(calls):
        return "\n".join(
            f"- {c.title} ({c.funder}), date limite le {c.deadline:%d/%m/%Y} : {c.link}"
            for c in calls
        )

    parts = ["Bonjour,\n"]
    if new:
        parts.append(f"Nouveaux appels à projets :\n{lines(new)}\n")
    if closing:
        parts.append(f"Appels qui ferment dans les {CLOSING_SOON_DAYS} jours :\n{lines(closing)}\n")
    parts.append(
        f"Tous les appels : {settings.HUB_BASE_URL}{reverse('funding-calls')}\n\n"
        "Vous recevez cette lettre parce que votre structure l’a demandée sur le hub de "
        "l’inclusion numérique. Pour ne plus la recevoir : "
        f"{settings.HUB_BASE_URL}{reverse('funding-digest')}"
    )
    return "\n".join(parts)


@shared_task(name="trainings.send_funding_digest")
def send_funding_digest() -> int:
    """E-mail each subscription its digest (when it has something to say); the number sent."""
    today = timezone.localdate()
    open_calls = FundingCall.objects.open(today)
    closing = list(open_calls.filter(deadline__lte=today + datetime.timedelta(CLOSING_SOON_DAYS)))
    due = DigestSubscription.objects.filter(
        Q(last_sent_on=None) | Q(last_sent_on__lte=today - DIGEST_EVERY)
    ).select_related("structure")
    messages, sent = [], []
    for subscription in due:
        since = subscription.last_sent_on or subscription.created_at.date() - DIGEST_EVERY
        new = list(open_calls.filter(created_at__date__gt=since))
        closing_not_new = [c for c in closing if c not in new]
        if not new and not closing_not_new:
            continue
        subject = f"Appels à projets de la semaine — {subscription.structure.name}"
        messages.append((subject, digest_body(new, closing_not_new), None, [subscription.email]))
        sent.append(subscription.pk)
    send_mass_mail(messages, fail_silently=False)
    DigestSubscription.objects.filter(pk__in=sent).update(last_sent_on=today)
    return len(sent)
