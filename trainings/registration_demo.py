"""Demo registrations, all fictitious and named as demonstration: half the seats of the upcoming
public demo sessions at places of help, and one session held ten days ago in Dreux with its
attendance and walk-ins (so the organisers' page and the workshops' indicators show something).
Written directly (no message is sent). Idempotent; a later run moves the past session along."""

import datetime

from django.utils import timezone

from .models import Registration, Session, Training, WalkInCount

MARK = "(démonstration)"
# The past session: a training of the demo the catalogue's loader does not hold in Dreux (its
# loader finds sessions by training and place, so it never meets this one).
PAST_TRAINING = "Premiers pas avec son smartphone (démonstration)"
PAST_ATTENDANCE = ["present"] * 5 + ["excuse", "absent"]


def _person(session, number, **fields):
    registration, _ = Registration.objects.update_or_create(
        session=session,
        email=f"participant-{session.pk}-{number}@example.org",
        defaults={
            "name": f"Participant·e {number} {MARK}",
            "consent_at": session.created_at,
            "status": Registration.Status.CONFIRMED,
            "audience": session.training.audiences[0] if session.training.audiences else "",
            **fields,
        },
    )
    return registration


def load_demo_registrations() -> list[str]:
    now = timezone.now()
    upcoming = Session.objects.filter(
        is_demo=True, is_public=True, place__isnull=False, starts_at__gt=now
    ).select_related("training")
    people = 0
    for session in upcoming:
        for number in range(1, session.capacity // 2 + 1):
            _person(session, number)
            people += 1
    training = Training.objects.filter(title=PAST_TRAINING, is_demo=True).first()
    dreux = (
        Session.objects.filter(is_demo=True, place__commune__code="28134")
        .select_related("place")
        .first()
    )
    if training is None or dreux is None:
        return [f"Inscriptions de démonstration : {people}"]
    starts = (now - datetime.timedelta(days=10)).replace(hour=14, minute=0, second=0)
    past, _ = Session.objects.update_or_create(
        training=training,
        place=dreux.place,
        is_demo=True,
        defaults={
            "starts_at": starts,
            "ends_at": starts + datetime.timedelta(minutes=training.duration_minutes),
            "capacity": 8,
            "is_public": True,
            "cancelled": False,
            "room": "Salle informatique",
        },
    )
    for number, attendance in enumerate(PAST_ATTENDANCE, start=1):
        _person(past, number, attendance=attendance)
    WalkInCount.objects.update_or_create(session=past, audience="seniors", defaults={"count": 2})
    return [
        f"Inscriptions de démonstration : {people} aux séances à venir, "
        f"{len(PAST_ATTENDANCE)} à une séance passée à Dreux (présences notées)"
    ]
