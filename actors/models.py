"""Structures, their places of digital inclusion, the offers made there, and itinerant stops.

Field names follow the domain; the national standard's column names live in `standard.py` and
the importers, which are the only places that translate between the two.
"""

import datetime
import secrets

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.measure import D
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, GistIndex
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cartography.models import Commune
from hub.collation import FRENCH

from . import standard


def choices(values):
    return [(v, v) for v in values]


def text_list(verbose_name, values=None):
    """A multi-valued field of the standard ("|" in files), order kept."""
    base = models.CharField(max_length=200, choices=choices(values) if values else None)
    return ArrayField(base, verbose_name=verbose_name, default=list, blank=True)


class StructureQuerySet(models.QuerySet):
    def editable_by(self, user):
        """The structures whose listing `user` keeps: all for hub administrators, else those
        where they are an active member (see actors/rules.py)."""
        from .rules import active_memberships, is_hub_admin

        if is_hub_admin(user):
            return self
        return self.filter(pk__in=list(active_memberships(user)))

    def with_admin(self):
        """Structures with at least one active administrator (who decides on who joins)."""
        return self.filter(memberships__role="admin", memberships__status="active")


class Structure(models.Model):
    """An organisation (identified by SIRET or RNA) that runs places of digital inclusion."""

    name = models.CharField("nom", max_length=250, db_collation=FRENCH)
    siret = models.CharField("SIRET ou RNA", max_length=14, blank=True, db_index=True)
    typologie = ArrayField(
        models.CharField(max_length=50), verbose_name="typologie", default=list, blank=True
    )
    parent_network = models.CharField("réseau ou structure parente", max_length=250, blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    email = models.EmailField("adresse électronique", blank=True)
    website = models.URLField("site internet", max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="proposée par",
        help_text="une structure proposée par un médiateur, à valider avec sa demande",
    )
    history = HistoricalRecords()

    objects = StructureQuerySet.as_manager()

    class Meta:
        verbose_name = "structure"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def has_admin(self) -> bool:
        return self.memberships.filter(
            role=Membership.Role.ADMIN, status=Membership.Status.ACTIVE
        ).exists()


class Membership(models.Model):
    """A person's place in a structure: member or admin, pending until someone approves."""

    class Role(models.TextChoices):
        MEMBER = "member", "membre"
        ADMIN = "admin", "administrateur"

    class Status(models.TextChoices):
        PENDING = "pending", "en attente"
        ACTIVE = "active", "active"
        REFUSED = "refused", "refusée"

    structure = models.ForeignKey(Structure, models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships")
    role = models.CharField("rôle", max_length=10, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(
        "statut", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "appartenance à une structure"
        verbose_name_plural = "appartenances aux structures"
        constraints = [
            models.UniqueConstraint(fields=["structure", "user"], name="unique_membership")
        ]

    def __str__(self):
        return f"{self.user} — {self.structure} ({self.get_role_display()}, {self.get_status_display()})"

    def decide(self, user, approve: bool) -> None:
        self.status = self.Status.ACTIVE if approve else self.Status.REFUSED
        self.decided_by = user
        self.decided_at = timezone.now()
        self.save(update_fields=["status", "decided_by", "decided_at"])


class Invitation(models.Model):
    """A structure admin's invitation, by e-mail, to join the structure."""

    structure = models.ForeignKey(Structure, models.CASCADE, related_name="invitations")
    email = models.EmailField("adresse électronique")
    role = models.CharField(
        max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "invitation"

    def __str__(self):
        return f"{self.email} → {self.structure}"

    @property
    def expires_at(self):
        return self.created_at + datetime.timedelta(days=settings.HUB_INVITATION_DAYS)

    def refusal_for(self, user) -> str | None:
        """Why `user` may not use this invitation (in French), or None: an invitation is for
        the invited address only, used once, and expires."""
        if self.accepted_at is not None:
            return "Cette invitation a déjà été utilisée : demandez-en une nouvelle à un administrateur de la structure."
        if timezone.now() >= self.expires_at:
            return (
                f"Cette invitation a expiré le {timezone.localtime(self.expires_at):%d/%m/%Y} : "
                "demandez-en une nouvelle à un administrateur de la structure."
            )
        if (user.email or "").strip().casefold() != self.email.strip().casefold():
            return (
                "Cette invitation a été envoyée à une autre adresse électronique que celle de "
                "votre compte : connectez-vous avec le compte de l’adresse invitée, ou demandez "
                "une invitation pour votre adresse."
            )
        return None

    def accept(self, user) -> Membership:
        if refusal := self.refusal_for(user):
            raise PermissionDenied(refusal)
        # Marked used first, in one statement: two simultaneous uses cannot both succeed.
        now = timezone.now()
        if not Invitation.objects.filter(pk=self.pk, accepted_at=None).update(
            accepted_by=user, accepted_at=now
        ):
            raise PermissionDenied("Cette invitation a déjà été utilisée.")
        self.accepted_by, self.accepted_at = user, now
        membership, _ = Membership.objects.update_or_create(
            structure=self.structure,
            user=user,
            defaults={
                "role": self.role,
                "status": Membership.Status.ACTIVE,
                "decided_by": self.invited_by,
                "decided_at": now,
            },
        )
        return membership


class PlaceQuerySet(models.QuerySet):
    def within(self, territory):
        """Places in a commune, an EPCI or a département."""
        if isinstance(territory, Commune):
            return self.filter(commune=territory)
        if territory.__class__.__name__ == "EPCI":
            return self.filter(commune__epci=territory)
        return self.filter(commune__departement=territory)

    def around(self, point, km: float):
        """Places within `km` of `point`, nearest first (index-friendly filter, then sort)."""
        return (
            self.filter(location__dwithin=(point, D(km=km)))
            .annotate(distance=Distance("location", point))
            .order_by("distance")
        )

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(name__unaccent__icontains=text)
            | Q(structure__name__unaccent__icontains=text)
            | Q(commune__name__unaccent__icontains=text)
            | Q(summary__unaccent__icontains=text)
        )


class Place(models.Model):
    """A place where people get help with digital tools (one row of the national standard)."""

    class Level(models.IntegerChoices):
        FREE_ACCESS = 1, "Accès libre au matériel"
        GUIDED_USE = 2, "Accompagnement à l’usage"
        ON_BEHALF = 3, "Démarches accompagnées"

    structure = models.ForeignKey(
        Structure, models.CASCADE, related_name="places", verbose_name="structure"
    )
    name = models.CharField("nom", max_length=250, db_collation=FRENCH)
    address = models.CharField("adresse", max_length=250)
    address_complement = models.CharField("complément d’adresse", max_length=250, blank=True)
    postal_code = models.CharField("code postal", max_length=5)
    commune_name = models.CharField("commune (telle que déclarée)", max_length=200)
    commune = models.ForeignKey(
        Commune,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="places",
        verbose_name="commune",
    )
    # Geography: distances and "within N metres" in metres, index-friendly.
    location = models.PointField(
        "position", srid=settings.STORAGE_SRID, geography=True, spatial_index=False
    )
    location_approximate = models.BooleanField(
        "position approximative", default=False, help_text="placé au centre de sa commune"
    )
    typologie = text_list("typologie")
    phone = models.CharField("téléphone", max_length=20, blank=True)
    emails = text_list("adresses électroniques")
    website = models.URLField("site internet", max_length=500, blank=True)
    opening_hours = models.TextField(
        "horaires (syntaxe OpenStreetMap)",
        blank=True,
        help_text="par exemple : Mo-Fr 09:00-12:00,14:00-18:00",
    )
    opening_hours_valid = models.BooleanField("horaires lisibles", default=True)
    summary = models.CharField("présentation courte", max_length=280, blank=True)
    description = models.TextField("présentation détaillée", blank=True)
    itinerance = text_list("itinérance", values=standard.ENUMERATIONS["itinerance"])
    acceslibre_url = models.URLField("fiche Acceslibre", max_length=500, blank=True)
    appointment_url = models.URLField("prise de rendez-vous", max_length=500, blank=True)
    access_modes = text_list("modalités d’accès", values=standard.ACCESS_MODES)
    other_labels = text_list("autres formations et labels")
    accompaniment_level = models.PositiveSmallIntegerField(
        "niveau d’accompagnement", choices=Level.choices, null=True, blank=True
    )
    updated_on = models.DateField("date de mise à jour (source)")
    confirmed_at = models.DateTimeField("dernière confirmation", null=True, blank=True)
    reminded_at = models.DateTimeField("dernier rappel de mise à jour", null=True, blank=True)
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = "lieu"
        ordering = ["name"]
        indexes = [
            GistIndex(fields=["location"], name="place_location_gist"),
            GinIndex(fields=["typologie"], name="place_typologie_gin"),
        ]

    def __str__(self):
        return self.name

    @property
    def latitude(self) -> float:
        return self.location.y

    @property
    def longitude(self) -> float:
        return self.location.x

    @property
    def is_itinerant(self) -> bool:
        return "Itinérant" in self.itinerance

    def replace_offers(self, services: list[str], shared: dict) -> bool:
        """Make the offers one per service, each with the `shared` lists (publics, fees…);
        a place with no service but such lists keeps them on one unnamed offer.
        Returns whether anything changed."""
        wanted = offer_rows(services, shared)
        fields = ["service", "position", *shared]
        current = [{f: getattr(o, f) for f in fields} for o in self.offers.order_by("position")]
        if current == wanted:
            return False
        self.offers.all().delete()
        Offer.objects.bulk_create(Offer(place=self, **offer) for offer in wanted)
        return True

    def confirm(self, when=None):
        self.confirmed_at = when or timezone.now()
        self.save(update_fields=["confirmed_at"])


def offer_rows(services: list[str], shared: dict) -> list[dict]:
    """The offers a place makes: one per service, each with the same publics, fees, etc."""
    services = services or ([""] if any(shared.values()) else [])
    return [{"service": s, "position": i, **shared} for i, s in enumerate(services)]


class PlaceSource(models.Model):
    """How a source names a place: (source, its own id). A place may be known to several."""

    place = models.ForeignKey(Place, models.CASCADE, related_name="sources")
    source = models.CharField("source", max_length=200)
    external_id = models.CharField("identifiant dans la source", max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "identifiant de source"
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="unique_place_source")
        ]

    def __str__(self):
        return f"{self.source}:{self.external_id}"


class Offer(models.Model):
    """One service offered at a place, with who it is for, what it costs and how it works."""

    place = models.ForeignKey(Place, models.CASCADE, related_name="offers")
    position = models.PositiveSmallIntegerField(default=0)
    service = models.CharField("service", max_length=100, choices=choices(standard.SERVICES))
    publics = text_list("publics spécifiquement adressés", values=standard.PUBLICS)
    specific_support = text_list("prise en charge spécifique", values=standard.SPECIFIC_SUPPORT)
    fees = text_list("frais à charge", values=standard.FEES)
    accompaniment_modes = text_list(
        "modalités d’accompagnement", values=standard.ACCOMPANIMENT_MODES
    )
    programmes = text_list("dispositifs et programmes nationaux", values=standard.PROGRAMMES)
    labels = text_list("formations et labels", values=standard.LABELS)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "offre"
        ordering = ["place", "position"]
        constraints = [
            models.UniqueConstraint(fields=["place", "service"], name="unique_offer_service")
        ]

    def __str__(self):
        return f"{self.service} — {self.place}"


class Stop(models.Model):
    """A stop of an itinerant place (a digital bus): where, and when in OSM opening_hours syntax
    (which writes both dates, `2026 Dec 01 09:00-12:00`, and recurrences, `Tu 09:00-12:00`)."""

    place = models.ForeignKey(
        Place, models.CASCADE, related_name="stops", verbose_name="lieu itinérant"
    )
    commune = models.ForeignKey(
        Commune, models.PROTECT, related_name="stops", verbose_name="commune"
    )
    label = models.CharField(
        "lieu de l’arrêt", max_length=250, help_text="par exemple : place de la mairie"
    )
    location = models.PointField(
        "position", srid=settings.STORAGE_SRID, geography=True, null=True, blank=True
    )
    opening_hours = models.TextField("jours et horaires (syntaxe OpenStreetMap)")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "arrêt"
        ordering = ["place", "commune__name"]

    def __str__(self):
        return f"{self.place} à {self.commune.name}"


class DuplicateCandidate(models.Model):
    """An imported row that looks like an existing place: a person decides."""

    class Status(models.TextChoices):
        PENDING = "pending", "à traiter"
        MERGED = "merged", "fusionné"
        CREATED = "created", "créé à part"

    place = models.ForeignKey(Place, models.CASCADE, related_name="duplicate_candidates")
    source = models.CharField(max_length=200)
    external_id = models.CharField(max_length=200)
    row = models.JSONField("ligne importée")
    reason = models.CharField("raison", max_length=250)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "doublon possible"
        verbose_name_plural = "doublons possibles"
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="unique_duplicate_row")
        ]

    def __str__(self):
        return f"{self.row.get('nom')} ~ {self.place}"


def moderated_by(user, prefix: str = "") -> Q:
    """A filter on places (through `prefix`) within the territory the user moderates as a hub
    administrator: nothing when they moderate nowhere."""
    from accounts import roles
    from accounts.rules import territory

    area = territory(user, roles.HUB_ADMINS)
    if area.national:  # every place; not Q(), which an "|" would silently drop
        return Q(**{f"{prefix}pk__isnull": False})
    if not area:
        return Q(pk__in=[])
    commune = f"{prefix}commune__"
    return area.q(f"{commune}departement__code", f"{commune}epci__siren", f"{commune}code")


class PlaceClaimQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=PlaceClaim.Status.PENDING)

    def visible_to(self, user):
        """The claims `user` follows: their own, those they decide on, and as a hub
        administrator every claim on the places of their territory."""
        if not user.is_authenticated:
            return self.none()
        mine = Q(user=user) | Q(pk__in=self.decidable_by(user).values("pk"))
        return self.filter(mine | moderated_by(user, "place__"))

    def decidable_by(self, user):
        """The claims `user` decides on: as an active admin of the place's structure, or, for a
        structure without admin, as a hub administrator whose territory covers the place."""
        if not user.is_authenticated:
            return self.none()
        from .rules import active_memberships

        admin_of = [s for s, role in active_memberships(user).items() if role == "admin"]
        unadministered = ~Q(place__structure__in=Structure.objects.with_admin().values("pk"))
        return self.filter(
            Q(place__structure__in=admin_of) | (unadministered & moderated_by(user, "place__"))
        )


class PlaceClaim(models.Model):
    """ "C'est mon lieu": a médiateur asks to keep a listing. Approved, they join the place's
    structure (as its admin when it had none)."""

    class Status(models.TextChoices):
        PENDING = "pending", "en attente"
        APPROVED = "approved", "acceptée"
        REFUSED = "refused", "refusée"

    place = models.ForeignKey(Place, models.CASCADE, related_name="claims", verbose_name="lieu")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="place_claims",
        verbose_name="demandeur",
    )
    message = models.TextField("message", max_length=1000, blank=True)
    status = models.CharField("état", max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField("demandée le", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="décidée par",
    )
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)

    objects = PlaceClaimQuerySet.as_manager()

    class Meta:
        verbose_name = "revendication de lieu"
        verbose_name_plural = "revendications de lieux"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["place", "user"],
                condition=Q(status="pending"),
                name="unique_pending_place_claim",
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.place} ({self.get_status_display()})"


class ErrorReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The reports `user` follows and resolves: those on the places of their structures, and
        as a hub administrator those on the places within their territory."""
        if not user.is_authenticated:
            return self.none()
        from .rules import active_memberships

        mine = Q(place__structure__in=list(active_memberships(user)))
        return self.filter(pk__in=self.filter(mine | moderated_by(user, "place__")).values("pk"))


class ErrorReport(models.Model):
    """Someone (signed in or not) says a listing is wrong; its members or a moderator fix it."""

    class Kind(models.TextChoices):
        CLOSED = "closed", "Le lieu est fermé ou a déménagé"
        HOURS = "hours", "Les horaires sont faux"
        CONTACT = "contact", "L’adresse, le téléphone ou le courriel est faux"
        SERVICES = "services", "Les services proposés sont faux"
        OTHER = "other", "Autre chose"

    class Status(models.TextChoices):
        OPEN = "open", "à traiter"
        RESOLVED = "resolved", "résolu"

    place = models.ForeignKey(
        Place, models.CASCADE, related_name="error_reports", verbose_name="lieu"
    )
    kind = models.CharField("ce qui est faux", max_length=10, choices=Kind.choices)
    message = models.TextField("précisions", max_length=2000, blank=True)
    email = models.EmailField("adresse électronique du signalant", blank=True)
    notify_reporter = models.BooleanField("prévenir le signalant une fois corrigé", default=False)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="compte du signalant",
    )
    status = models.CharField("état", max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField("signalé le", auto_now_add=True)
    resolution = models.TextField("ce qui a été fait", max_length=2000, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="résolu par",
    )
    resolved_at = models.DateTimeField("résolu le", null=True, blank=True)

    objects = ErrorReportQuerySet.as_manager()

    class Meta:
        verbose_name = "signalement d’erreur"
        verbose_name_plural = "signalements d’erreur"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="error_report_status")]

    def __str__(self):
        return f"{self.place} : {self.get_kind_display()}"
