"""Trainings (what is taught, to whom) and their sessions (where, when, how many seats)."""

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.gis.measure import D
from django.contrib.postgres.fields import ArrayField
from django.db.models import Q, Value
from django.utils import timezone

from hub.collation import FRENCH

__all__ = ["Audience", "Session", "SessionQuerySet", "Theme", "Training", "TrainingQuerySet"]


class Audience(models.TextChoices):
    """Who a training is for (a training may address several)."""

    PARENTS = "parents", "parents"
    TEACHERS = "enseignants", "enseignants"
    YOUNG = "jeunes", "jeunes"
    SENIORS = "seniors", "seniors"
    MEDIATEURS = "mediateurs", "médiateurs numériques"
    EVERYONE = "tout_public", "tout public"


class Theme(models.Model):
    """A theme of trainings (an editable list: the autonomy paths of the plan, coding…)."""

    name = models.CharField("nom", max_length=120, unique=True, db_collation=FRENCH)
    slug = models.SlugField("identifiant", max_length=60, unique=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "thème"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class TrainingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The trainings `user` may read: those with a session they may see, and those their
        structures or territory organise (the editable ones)."""
        return self.filter(
            Q(pk__in=Session.objects.visible_to(user).values("training_id"))
            | Q(pk__in=self.editable_by(user).values("pk"))
        )

    def editable_by(self, user):
        """The trainings `user` creates and edits: their structures' (active membership), those
        organised by the DSDEN of their département (DSDEN staff), all in scope for hub
        administrators."""
        from accounts import roles
        from accounts.rules import territory
        from actors.rules import active_memberships

        if not user.is_authenticated:
            return self.none()
        mine = Q(structure_id__in=list(active_memberships(user)))
        dsden = territory(user, roles.DSDEN_STAFF)
        if dsden:
            mine |= Q(structure=None) & dsden.q("organiser_departement")
        admins = territory(user, roles.HUB_ADMINS)
        if admins:
            mine |= (
                admins.q("organiser_departement")
                | Q(sessions__place__commune__departement__code__in=admins.departements)
                | Q(sessions__school__departement_code__in=admins.departements)
                | Q(structure__places__commune__departement__code__in=admins.departements)
            )
        return self.filter(pk__in=Training.objects.filter(mine).values("pk"))


class Training(models.Model):
    """What a structure (or the DSDEN) teaches: a workshop, an autonomy path, a teachers'
    training. Its sessions say where and when."""

    class Level(models.TextChoices):
        ALL = "tous", "tous niveaux"
        BEGINNER = "debutant", "débutant"
        INTERMEDIATE = "intermediaire", "intermédiaire"
        ADVANCED = "avance", "avancé"

    title = models.CharField("titre", max_length=200, db_collation=FRENCH)
    summary = models.TextField(
        "présentation", help_text="ce que l’on y apprend, en quelques lignes"
    )
    audiences = ArrayField(
        models.CharField(max_length=20, choices=Audience.choices),
        verbose_name="publics",
        default=list,
    )
    themes = models.ManyToManyField(Theme, related_name="trainings", verbose_name="thèmes")
    level = models.CharField("niveau", max_length=15, choices=Level.choices, default=Level.ALL)
    duration_minutes = models.PositiveIntegerField("durée (minutes)")
    structure = models.ForeignKey(
        "actors.Structure",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="trainings",
        verbose_name="structure organisatrice",
    )
    # When the DSDEN organises (teachers' trainings, parents' workshops in schools).
    organiser_departement = models.CharField(
        "DSDEN organisatrice (département)", max_length=3, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="créée par",
    )
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = TrainingQuerySet.as_manager()

    class Meta:
        verbose_name = "formation"
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(structure__isnull=False) & Q(organiser_departement=""))
                | (Q(structure__isnull=True) & ~Q(organiser_departement="")),
                name="training_one_organiser",
                violation_error_message="Une formation est organisée par une structure ou par "
                "la DSDEN d’un département, l’un ou l’autre.",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0),
                name="training_duration_positive",
                violation_error_message="La durée doit être d’au moins une minute.",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def organiser_name(self) -> str:
        if self.structure_id:
            return self.structure.name
        return f"DSDEN ({self.organiser_departement})"

    def get_audiences_display(self) -> list[str]:
        labels = dict(Audience.choices)
        return [labels.get(a, a) for a in self.audiences]


class SessionQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        """Sessions not over yet and not cancelled, soonest first."""
        return self.filter(ends_at__gt=now or timezone.now(), cancelled=False).order_by(
            "starts_at", "pk"
        )

    def public(self):
        return self.filter(is_public=True)

    def visible_to(self, user):
        """The sessions `user` may read: public ones for everyone; internal ones to those who
        may edit their training, to their facilitators, and to DSDEN staff for the schools of
        their territory. Pages, API and feeds all use it."""
        from accounts import roles
        from accounts.rules import territory

        if not user.is_authenticated:
            return self.filter(is_public=True)
        mine = (
            Q(is_public=True)
            | Q(training__in=Training.objects.editable_by(user))
            | Q(facilitators=user)
        )
        dsden = territory(user, roles.DSDEN_STAFF)
        if dsden:
            mine |= dsden.q("school__departement_code", None, "school__commune__code")
        return self.filter(pk__in=Session.objects.filter(mine).values("pk"))

    def editable_by(self, user):
        """The sessions `user` creates and edits: those of the trainings they edit, and DSDEN
        staff's sessions in the schools of their territory."""
        from accounts import roles
        from accounts.rules import territory

        if not user.is_authenticated:
            return self.none()
        mine = Q(training__in=Training.objects.editable_by(user))
        dsden = territory(user, roles.DSDEN_STAFF)
        if dsden:
            mine |= Q(school__isnull=False) & dsden.q(
                "school__departement_code", None, "school__commune__code"
            )
        return self.filter(pk__in=Session.objects.filter(mine).values("pk"))

    def near(self, point, km: float):
        """Sessions held within `km` of `point` (at a place of help or a school; not online).
        Index-friendly filter on both venues."""
        return self.filter(
            Q(place__location__dwithin=(point, D(km=km)))
            | Q(school__location__dwithin=(point, D(km=km)))
        )

    def in_commune(self, commune):
        return self.filter(Q(place__commune=commune) | Q(school__commune=commune))

    def for_audience(self, audience: str):
        return self.filter(training__audiences__contains=[audience])

    def for_theme(self, theme):
        return self.filter(training__themes=theme)

    def with_seats(self):
        """Annotate `seats_taken` (confirmed registrations) and `seats_left`.

        The count comes from the registrations module's `confirmed_seats()` expression once it
        defines one (a subquery on this session's `OuterRef("pk")`); until then no seat is taken.
        """
        from . import registrations

        confirmed = getattr(registrations, "confirmed_seats", None)
        taken = confirmed() if confirmed else Value(0)
        return self.annotate(seats_taken=taken).annotate(
            seats_left=models.F("capacity") - models.F("seats_taken")
        )


class Session(models.Model):
    """A dated occurrence of a training: at a place of help, in a school or online."""

    training = models.ForeignKey(
        Training, models.CASCADE, related_name="sessions", verbose_name="formation"
    )
    place = models.ForeignKey(
        "actors.Place",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name="lieu d’aide",
    )
    school = models.ForeignKey(
        "equipment.School",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="training_sessions",
        verbose_name="établissement scolaire",
    )
    is_online = models.BooleanField("en ligne", default=False)
    online_url = models.URLField(
        "lien de connexion",
        max_length=500,
        blank=True,
        help_text="communiqué aux inscrits (pour une session en ligne)",
    )
    room = models.CharField(
        "salle ou précision",
        max_length=200,
        blank=True,
        help_text="par exemple : salle 2, 1er étage",
    )
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    capacity = models.PositiveIntegerField("places")
    is_public = models.BooleanField(
        "ouverte au public",
        default=True,
        help_text="publiée dans l’agenda ; sinon réservée (par exemple aux enseignants d’une école)",
    )
    registration_closes_at = models.DateTimeField(
        "inscriptions jusqu’au", null=True, blank=True, help_text="vide : jusqu’au début"
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="facilitated_sessions",
        verbose_name="animateurs",
    )
    cancelled = models.BooleanField("annulée", default=False)
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="créée par",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = "session"
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["starts_at"], name="session_starts_at")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(place__isnull=False, school__isnull=True, is_online=False)
                    | Q(place__isnull=True, school__isnull=False, is_online=False)
                    | Q(place__isnull=True, school__isnull=True, is_online=True)
                ),
                name="session_one_venue",
                violation_error_message="Une session a lieu dans un lieu d’aide, dans un "
                "établissement scolaire ou en ligne : l’un des trois.",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
                violation_error_message="La fin doit être après le début.",
            ),
            models.CheckConstraint(
                condition=Q(capacity__gt=0),
                name="session_capacity_positive",
                violation_error_message="Le nombre de places doit être d’au moins 1.",
            ),
        ]

    def __str__(self):
        when = timezone.localtime(self.starts_at)
        return f"{self.training} — {when:%d/%m/%Y %H:%M}"

    @property
    def venue(self):
        """The place or school where it is held (None online)."""
        return self.place or self.school

    @property
    def commune(self):
        venue = self.venue
        return venue.commune if venue is not None else None

    @property
    def location(self):
        venue = self.venue
        return venue.location if venue is not None else None

    @property
    def registration_deadline(self):
        return self.registration_closes_at or self.starts_at

    def registration_open(self, now=None) -> bool:
        return not self.cancelled and (now or timezone.now()) < self.registration_deadline
