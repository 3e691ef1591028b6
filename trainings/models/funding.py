"""Funding calls (appels à projets, CNR Éducation) and the digest structures ask for."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from hub.collation import FRENCH
from hub.links import http_url_validator

__all__ = ["DigestSubscription", "FundingCall"]

CLOSING_SOON_DAYS = 30


class FundingCallQuerySet(models.QuerySet):
    def open(self, today: datetime.date | None = None):
        return self.filter(deadline__gte=today or timezone.localdate())

    def closing_first(self):
        """Closing soon first (open calls by deadline), the closed ones after, newest first."""
        return self.order_by("deadline", "title")


class FundingCall(models.Model):
    """A call for projects that structures, schools or local authorities may answer."""

    class Applicants(models.TextChoices):
        STRUCTURES = "structures", "structures de médiation numérique et associations"
        SCHOOLS = "schools", "écoles et établissements"
        LOCAL_AUTHORITIES = "collectivites", "collectivités"
        EVERYONE = "everyone", "tous les porteurs de projet"

    title = models.CharField("titre", max_length=250, db_collation=FRENCH)
    funder = models.CharField("financeur", max_length=200)
    summary = models.TextField("présentation", blank=True)
    deadline = models.DateField("date limite de dépôt")
    applicants = models.CharField("qui peut candidater", max_length=16, choices=Applicants.choices)
    amount = models.CharField(
        "montant",
        max_length=120,
        blank=True,
        help_text="un montant ou une fourchette, par ex. « de 5 000 à 20 000 € »",
    )
    link = models.URLField("lien vers l'appel", max_length=500, validators=[http_url_validator])
    departement = models.ForeignKey(
        "cartography.Departement",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="département concerné",
        help_text="vide : appel national",
    )
    is_demo = models.BooleanField("donnée de démonstration", default=False, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("publié le", auto_now_add=True)

    objects = FundingCallQuerySet.as_manager()

    class Meta:
        verbose_name = "appel à projets"
        verbose_name_plural = "appels à projets"
        ordering = ["deadline", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(link__startswith="http://") | Q(link__startswith="https://"),
                name="funding_call_http_link",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.deadline < timezone.localdate()

    @property
    def closes_soon(self) -> bool:
        days = (self.deadline - timezone.localdate()).days
        return 0 <= days <= CLOSING_SOON_DAYS


class DigestSubscription(models.Model):
    """A structure's wish to receive the weekly digest of funding calls at an address."""

    structure = models.ForeignKey(
        "actors.Structure",
        models.CASCADE,
        related_name="funding_digests",
        verbose_name="structure",
    )
    email = models.EmailField("adresse électronique")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The digest goes out at most once a week per address, whoever runs the task how often.
    last_sent_on = models.DateField("dernier envoi", null=True, blank=True)

    class Meta:
        verbose_name = "abonnement à la lettre des financements"
        verbose_name_plural = "abonnements à la lettre des financements"
        constraints = [
            models.UniqueConstraint(fields=["structure", "email"], name="unique_digest_address")
        ]

    def __str__(self):
        return f"{self.structure} — {self.email}"
