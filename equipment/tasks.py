"""Celery tasks of the schools' census: thin wrappers around `census_files`."""

from celery import shared_task
from django.contrib.auth import get_user_model

from .census_files import send_census_reminders
from .models import Campaign, Circonscription


@shared_task(name="equipment.remind_census")
def remind_census(
    campaign_id: int, circonscription_id: int | None = None, user_id: int | None = None
) -> int:
    """On behalf of the user who asked, e-mail the directors of the schools of their scope that
    have not answered the campaign yet (in one circonscription, or all); returns the number of
    e-mails sent. Nobody asking means nobody's scope: nothing is sent."""
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    circonscription = (
        Circonscription.objects.filter(pk=circonscription_id).first()
        if circonscription_id
        else None
    )
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if campaign is None or user is None or (circonscription_id and circonscription is None):
        return 0  # deleted since the reminder was asked for
    return send_census_reminders(campaign, circonscription, user)
