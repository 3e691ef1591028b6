"""Registrations to sessions, the waiting list and attendance.

Personal data (name, contact, needs) lives only on `Registration` and is blanked a set number of
months after the session (`erased_at`), leaving status, attendance and audience for the counts.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from .catalogue import Audience

__all__ = ["Registration", "RegistrationMessage", "WalkInCount", "confirmed_seats"]


def new_token() -> str:
    """The secret of a registration's links (cancel, accept an offer): no account needed."""
    return secrets.token_urlsafe(32)


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmee", "confirmée"
        WAITING = "en_attente", "en attente"
        OFFERED = "proposee", "place proposée"
        CANCELLED = "annulee", "annulée"

    class Attendance(models.TextChoices):
        PRESENT = "present", "présent"
        EXCUSED = "excuse", "excusé"
        ABSENT = "absent", "absent"

    # Statuses holding a seat: an offer keeps the seat until it is accepted or expires.
    SEATED = (Status.CONFIRMED, Status.OFFERED)

    session = models.ForeignKey(
        "trainings.Session",
        models.CASCADE,
        related_name="registrations",
        verbose_name="session",
    )
    name = models.CharField("nom ou pseudonyme", max_length=100, blank=True)
    email = models.EmailField("adresse électronique", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    needs = models.TextField("besoins particuliers", blank=True)
    audience = models.CharField(
        "public", max_length=20, choices=Audience.choices, blank=True, default=""
    )
    consent_at = models.DateTimeField("consentement donné le")
    status = models.CharField("statut", max_length=12, choices=Status.choices)
    # Order of the waiting list (lowest first); kept once promoted, for the record.
    position = models.PositiveIntegerField("rang sur la liste d’attente", null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="inscrit en personne par",
    )
    # Unique while kept; NULL once erased (several erased rows cannot share "").
    token = models.CharField(max_length=64, unique=True, null=True, default=new_token)  # noqa: DJ001
    offer_expires_at = models.DateTimeField("offre valable jusqu’au", null=True, blank=True)
    attendance = models.CharField(
        "présence", max_length=10, choices=Attendance.choices, blank=True, default=""
    )
    created_at = models.DateTimeField("inscrit le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)
    erased_at = models.DateTimeField("données personnelles effacées le", null=True, blank=True)

    class Meta:
        verbose_name = "inscription"
        ordering = ["session", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "email"],
                condition=~Q(email="") & ~Q(status="annulee"),
                name="registration_one_per_email",
                violation_error_message="Cette adresse électronique est déjà inscrite à cette "
                "session.",
            ),
            models.UniqueConstraint(
                fields=["session", "phone"],
                condition=~Q(phone="") & ~Q(status="annulee"),
                name="registration_one_per_phone",
                violation_error_message="Ce numéro de téléphone est déjà inscrit à cette session.",
            ),
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone="") | Q(erased_at__isnull=False),
                name="registration_has_contact",
                violation_error_message="Indiquez une adresse électronique ou un téléphone.",
            ),
            models.CheckConstraint(
                condition=~Q(status="proposee") | Q(offer_expires_at__isnull=False),
                name="registration_offer_expires",
            ),
        ]
        indexes = [models.Index(fields=["session", "status"], name="registration_session_status")]

    def __str__(self):
        return self.name or f"inscription {self.pk}"

    @property
    def contact(self) -> str:
        return self.email or self.phone

    @property
    def holds_seat(self) -> bool:
        return self.status in self.SEATED


class RegistrationMessage(models.Model):
    """A message sent about a registration (no address kept: it is personal data). The
    reminder is sent once per registration: a second row of that kind is refused."""

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", "confirmation"
        WAITING = "attente", "liste d’attente"
        OFFER = "offre", "place proposée"
        REMINDER = "rappel", "rappel"
        SESSION_CANCELLED = "seance_annulee", "séance annulée"

    registration = models.ForeignKey(Registration, models.CASCADE, related_name="messages")
    kind = models.CharField("message", max_length=15, choices=Kind.choices)
    channel = models.CharField("canal", max_length=20)
    subject = models.CharField("objet", max_length=250)
    sent_at = models.DateTimeField("envoyé le", auto_now_add=True)

    class Meta:
        verbose_name = "message d’inscription"
        verbose_name_plural = "messages d’inscription"
        ordering = ["sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration"],
                condition=Q(kind="rappel"),
                name="registration_one_reminder",
            )
        ]

    def __str__(self):
        return self.subject


class WalkInCount(models.Model):
    """People who came to a session without registering, counted by audience (anonymous)."""

    session = models.ForeignKey(
        "trainings.Session", models.CASCADE, related_name="walk_ins", verbose_name="session"
    )
    audience = models.CharField("public", max_length=20, choices=Audience.choices)
    count = models.PositiveIntegerField("personnes venues sans inscription")

    class Meta:
        verbose_name = "venue sans inscription"
        verbose_name_plural = "venues sans inscription"
        constraints = [
            models.UniqueConstraint(fields=["session", "audience"], name="walk_in_one_per_audience")
        ]

    def __str__(self):
        return f"{self.get_audience_display()} : {self.count}"


def confirmed_seats():
    """Seats taken in the session `OuterRef("pk")`: confirmed registrations and pending offers
    (the catalogue's `Session.objects.with_seats()` annotates it)."""
    taken = (
        Registration.objects.filter(session=OuterRef("pk"), status__in=Registration.SEATED)
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(taken, output_field=models.IntegerField()), 0)
