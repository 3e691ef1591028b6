"""Registrations to sessions: register (seat or waiting list), cancel, offer a freed seat to the
next waiting person, expire offers, remind, erase personal data; and the counts shown to all.

Seats are counted under a lock on the session's row (`SELECT … FOR UPDATE`), in the same
transaction as the insert: registrations arriving together queue on that lock, so a session
never takes more people than its capacity, however many arrive at once.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from smtplib import SMTPException

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from actors import standard

from .channels import channel_for
from .models import Registration, RegistrationMessage, Session, WalkInCount

log = logging.getLogger(__name__)
Status = Registration.Status
Kind = RegistrationMessage.Kind


class RegistrationRefused(Exception):
    """A registration that cannot be taken, with the reason in French (nothing was written)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def closed_reason(session: Session, now=None) -> str:
    """Why nobody may register to `session` now ("" when they may)."""
    now = now or timezone.now()
    if session.cancelled:
        return "Cette session est annulée : il n’est plus possible de s’y inscrire."
    if session.starts_at <= now:
        return "Cette session a déjà eu lieu : il n’est plus possible de s’y inscrire."
    if session.registration_deadline <= now:
        when = timezone.localtime(session.registration_deadline)
        return f"Les inscriptions à cette session sont closes depuis le {when:%d/%m/%Y à %H:%M}."
    return ""


def seats_taken(session: Session) -> int:
    return session.registrations.filter(status__in=Registration.SEATED).count()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def duplicate_message(field: str) -> str:
    if field == "email":
        return "Cette adresse électronique est déjà inscrite à cette session."
    return "Ce numéro de téléphone est déjà inscrit à cette session."


def register(
    session_id: int,
    *,
    name: str,
    email: str = "",
    phone: str = "",
    needs: str = "",
    audience: str = "",
    registered_by=None,
    now=None,
) -> Registration:
    """Register someone: a seat while there is one, else the waiting list. Raises
    `RegistrationRefused` (nothing written) for a closed session or a contact already
    registered. The message (confirmation or waiting list) is sent once committed."""
    now = now or timezone.now()
    email = normalise_email(email)
    if phone:  # as the directory keeps phones (+33…), so "02 37…" and "+33 2 37…" are one
        phone = standard.phone_number(phone)
        if not phone:
            raise RegistrationRefused("Numéro de téléphone impossible.", "phone")
    try:
        with transaction.atomic():
            # The lock every registration to this session waits on (see the module's docstring).
            session = Session.objects.select_for_update().get(pk=session_id)
            reason = closed_reason(session, now)
            if reason:
                raise RegistrationRefused(reason)
            active = session.registrations.exclude(status=Status.CANCELLED)
            for field, value in (("email", email), ("phone", phone)):
                if value and active.filter(**{field: value}).exists():
                    raise RegistrationRefused(duplicate_message(field), field)
            registration = Registration(
                session=session,
                name=name.strip(),
                email=email,
                phone=phone,
                needs=needs.strip(),
                audience=audience,
                consent_at=now,
                registered_by=registered_by,
            )
            if seats_taken(session) < session.capacity:
                registration.status = Status.CONFIRMED
            else:
                registration.status = Status.WAITING
                last = session.registrations.aggregate(last=Max("position"))["last"]
                registration.position = (last or 0) + 1
            registration.save()
    except IntegrityError as exc:  # the constraints back the checks above up
        field = "email" if "email" in str(exc) else "phone"
        raise RegistrationRefused(duplicate_message(field), field) from exc
    kind = Kind.CONFIRMATION if registration.status == Status.CONFIRMED else Kind.WAITING
    transaction.on_commit(lambda: notify(registration.pk, kind))
    return registration


def waiting_rank(registration: Registration) -> int | None:
    """1 for the first person waiting, … (None when not waiting)."""
    if registration.status != Status.WAITING:
        return None
    ahead = registration.session.registrations.filter(
        status=Status.WAITING, position__lt=registration.position
    )
    return ahead.count() + 1


def by_token(token: str) -> Registration | None:
    """The registration a link's secret names (None for an unknown or erased one)."""
    if not token:
        return None
    return (
        Registration.objects.filter(token=token, erased_at=None)
        .select_related("session__training", "session__place", "session__school")
        .first()
    )


def cancel(registration_id: int, now=None) -> Registration:
    """Cancel a registration (its link, or an organiser); a freed seat goes to the next person
    waiting, as an offer. Cancelling twice changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        registration = Registration.objects.select_related("session").get(pk=registration_id)
        session = Session.objects.select_for_update().get(pk=registration.session_id)
        registration.refresh_from_db()
        if registration.status == Status.CANCELLED:
            return registration
        registration.status, registration.cancelled_at = Status.CANCELLED, now
        registration.offer_expires_at = None
        registration.save(
            update_fields=["status", "cancelled_at", "offer_expires_at", "updated_at"]
        )
        offer_free_seats(session, now)
    return registration


def cancel_session(session_id: int) -> int:
    """The organiser calls a session off: it leaves the agenda, nothing more is offered, and
    everyone holding, offered or awaiting a seat is told once the change is committed; how many
    are told. Calling it off twice changes nothing."""
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session_id)
        if session.cancelled:
            return 0
        session.cancelled = True
        session.save(update_fields=["cancelled"])
        told = list(
            session.registrations.filter(
                status__in=[Status.CONFIRMED, Status.OFFERED, Status.WAITING], erased_at=None
            ).values_list("pk", flat=True)
        )
        for pk in told:
            transaction.on_commit(lambda pk=pk: notify(pk, Kind.SESSION_CANCELLED))
    return len(told)


def offer_free_seats(session: Session, now=None) -> list[Registration]:
    """Offer each free seat to the first person waiting (lowest position), for
    HUB_TRAINING_OFFER_HOURS (never beyond the session's start). The caller holds the lock
    on the session. Nothing is offered once the session has started."""
    now = now or timezone.now()
    if session.cancelled or session.starts_at <= now:
        return []
    free = session.capacity - seats_taken(session)
    if free <= 0:
        return []
    expires = min(
        now + datetime.timedelta(hours=settings.HUB_TRAINING_OFFER_HOURS), session.starts_at
    )
    waiting = list(
        session.registrations.filter(status=Status.WAITING).order_by("position", "pk")[:free]
    )
    for registration in waiting:
        registration.status, registration.offer_expires_at = Status.OFFERED, expires
        registration.save(update_fields=["status", "offer_expires_at", "updated_at"])
        transaction.on_commit(lambda pk=registration.pk: notify(pk, Kind.OFFER))
    return waiting


def fill_free_seats(session_id: int, now=None) -> int:
    """Offer the seats a session has free (its capacity was raised) to the people waiting;
    how many were offered."""
    with transaction.atomic():
        session = Session.objects.select_for_update().filter(pk=session_id).first()
        return len(offer_free_seats(session, now)) if session else 0


def session_saved(sender, instance, created, raw=False, **kwargs) -> None:
    """post_save receiver of sessions: seats added to a session go to its waiting list once
    the change is committed."""
    if not created and not raw:
        transaction.on_commit(lambda: fill_free_seats(instance.pk))


def accept_offer(registration_id: int, now=None) -> Registration:
    """The person offered a seat takes it (before the offer expires)."""
    now = now or timezone.now()
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration_id)
        if registration.status != Status.OFFERED or registration.offer_expires_at <= now:
            raise RegistrationRefused(
                "Cette proposition n’est plus valable : la place a été proposée à la personne "
                "suivante sur la liste d’attente."
            )
        registration.status, registration.offer_expires_at = Status.CONFIRMED, None
        registration.save(update_fields=["status", "offer_expires_at", "updated_at"])
    transaction.on_commit(lambda: notify(registration.pk, Kind.CONFIRMATION))
    return registration


def expire_offers(now=None) -> int:
    """Offers not taken in time are withdrawn (the registration is cancelled) and their seat
    offered to the next person waiting. Returns how many expired."""
    now = now or timezone.now()
    expired = 0
    sessions = (
        Registration.objects.filter(status=Status.OFFERED, offer_expires_at__lte=now)
        .values_list("session_id", flat=True)
        .distinct()
    )
    for session_id in list(sessions):
        with transaction.atomic():
            session = Session.objects.select_for_update().get(pk=session_id)
            stale = session.registrations.filter(status=Status.OFFERED, offer_expires_at__lte=now)
            expired += stale.update(status=Status.CANCELLED, cancelled_at=now, updated_at=now)
            offer_free_seats(session, now)
    return expired


# Messages ---------------------------------------------------------------------------------------

SUBJECTS = {
    Kind.CONFIRMATION: "Inscription confirmée : {title}, le {when}",
    Kind.WAITING: "Liste d’attente : {title}, le {when}",
    Kind.OFFER: "Une place se libère : {title}, le {when}",
    Kind.REMINDER: "Rappel : {title}, le {when}",
    Kind.SESSION_CANCELLED: "Séance annulée : {title}, le {when}",
}


def link(name: str, registration: Registration) -> str:
    return settings.HUB_BASE_URL + reverse(name, args=[registration.token])


def message(registration: Registration, kind: str) -> tuple[str, str]:
    """(subject, body) of a message about `registration`."""
    session = registration.session
    when = timezone.localtime(session.starts_at)
    subject = SUBJECTS[kind].format(
        title=" ".join(session.training.title.split()), when=f"{when:%d/%m/%Y à %H:%M}"
    )
    body = render_to_string(
        f"trainings/registrations/email/{kind}.txt",
        {
            "registration": registration,
            "session": session,
            "starts_at": when,
            "ends_at": timezone.localtime(session.ends_at),
            "offer_expires_at": registration.offer_expires_at
            and timezone.localtime(registration.offer_expires_at),
            "cancel_url": link("trainings:registration-cancel", registration),
            "accept_url": link("trainings:registration-accept", registration),
            "session_url": settings.HUB_BASE_URL + reverse("trainings:register", args=[session.pk]),
            "agenda_url": settings.HUB_BASE_URL + reverse("trainings:agenda"),
        },
    )
    return subject, body


def send(registration: Registration, kind: str) -> bool:
    """Send one message through the first channel reaching the person and record it (without
    the address). False when no channel reaches them. Raises on a delivery failure."""
    channel = channel_for(registration)
    if channel is None:
        return False
    subject, body = message(registration, kind)
    with transaction.atomic():
        RegistrationMessage.objects.create(
            registration=registration, kind=kind, channel=channel.name, subject=subject[:250]
        )
        channel.send(registration, subject, body)
    return True


def notify(registration_id: int, kind: str) -> None:
    """Send a message after a change was saved: a mail server out of reach does not undo the
    registration (logged; organisers see who was not told)."""
    registration = Registration.objects.filter(pk=registration_id).select_related(
        "session__training", "session__place__commune", "session__school"
    )
    registration = registration.first()
    if registration is None or registration.erased_at:
        return
    try:
        send(registration, kind)
    except (OSError, SMTPException):
        log.exception("message « %s » non envoyé pour l’inscription %s", kind, registration_id)


def send_reminders(now=None) -> int:
    """Remind the confirmed participants of the sessions starting within
    HUB_TRAINING_REMINDER_DAYS days, once each (a registration already reminded is skipped,
    so running it again sends nothing more). Returns how many were sent."""
    now = now or timezone.now()
    soon = now + datetime.timedelta(days=settings.HUB_TRAINING_REMINDER_DAYS)
    due = (
        Registration.objects.filter(
            status=Status.CONFIRMED,
            erased_at=None,
            session__cancelled=False,
            session__starts_at__gt=now,
            session__starts_at__lte=soon,
        )
        .exclude(messages__kind=Kind.REMINDER)
        .select_related("session__training", "session__place__commune", "session__school")
    )
    sent = 0
    for registration in due:
        try:
            sent += send(registration, Kind.REMINDER)
        except IntegrityError:
            continue  # reminded meanwhile by another run
        except (OSError, SMTPException):
            log.exception("rappel non envoyé pour l’inscription %s", registration.pk)
    return sent


def erase_personal_data(now=None) -> int:
    """Blank the names, contacts and needs of the participants of sessions ended more than
    HUB_TRAINING_DATA_MONTHS months ago; status, attendance and audience stay for the counts.
    Returns how many registrations were erased."""
    now = now or timezone.now()
    before = now - relativedelta(months=settings.HUB_TRAINING_DATA_MONTHS)
    return Registration.objects.filter(erased_at=None, session__ends_at__lte=before).update(
        name="", email="", phone="", needs="", token=None, erased_at=now, updated_at=now
    )


# Counts -----------------------------------------------------------------------------------------


@dataclass
class Counts:
    """What anyone may know of a session's registrations (no name)."""

    capacity: int
    confirmed: int
    offered: int
    waiting: int
    present: int
    excused: int
    absent: int
    walk_ins: int

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.confirmed - self.offered, 0)

    @property
    def attended(self) -> int:
        return self.present + self.walk_ins

    @property
    def marked(self) -> int:
        return self.present + self.excused + self.absent

    @property
    def fill_rate(self) -> float:
        return 100 * self.confirmed / self.capacity if self.capacity else 0

    @property
    def no_show_rate(self) -> float | None:
        return 100 * self.absent / self.marked if self.marked else None


def mark_attendance(session: Session, marks: dict[int, str], walk_ins: dict[str, int]) -> None:
    """After the session: each confirmed registration's attendance ("" unmarked) and the
    walk-in counts by audience (0 removes one)."""
    with transaction.atomic():
        for registration in session.registrations.filter(
            status=Status.CONFIRMED, pk__in=list(marks)
        ):
            if registration.attendance != marks[registration.pk]:
                registration.attendance = marks[registration.pk]
                registration.save(update_fields=["attendance", "updated_at"])
        for audience, count in walk_ins.items():
            if count:
                WalkInCount.objects.update_or_create(
                    session=session, audience=audience, defaults={"count": count}
                )
            else:
                WalkInCount.objects.filter(session=session, audience=audience).delete()


def counts(session: Session) -> Counts:
    rows = session.registrations.aggregate(
        confirmed=_count(status=Status.CONFIRMED),
        offered=_count(status=Status.OFFERED),
        waiting=_count(status=Status.WAITING),
        present=_count(status=Status.CONFIRMED, attendance=Registration.Attendance.PRESENT),
        excused=_count(status=Status.CONFIRMED, attendance=Registration.Attendance.EXCUSED),
        absent=_count(status=Status.CONFIRMED, attendance=Registration.Attendance.ABSENT),
    )
    walk_ins = WalkInCount.objects.filter(session=session).aggregate(n=Sum("count"))["n"] or 0
    return Counts(capacity=session.capacity, walk_ins=walk_ins, **rows)


def _count(**conditions):
    return Count("pk", filter=Q(**conditions))
