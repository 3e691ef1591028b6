"""Territorial action plans: actions answering diagnosed needs, delivered by sessions.

A `Plan` covers one territory (a commune, an EPCI, a circonscription or a département) for a
period; its `Action`s each answer a need (a school, a commune, an indicator below a threshold,
or a row of the gap diagnostic), are funded by `FundingLine`s (the budget is their sum, never
stored twice) and are delivered by training sessions. Who sees what: `Plan.objects.visible_to`
and `Action.objects.visible_to` (pages, API, exports alike).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Sum

from accounts import roles
from accounts.rules import territory
from hub.collation import FRENCH

__all__ = ["Action", "FundingLine", "Plan"]

# Roles whose territory lets them see, create and edit the plans of that territory.
PLANNING_ROLES = (roles.HUB_ADMINS, roles.DSDEN_STAFF, roles.LOCAL_AUTHORITY)


def _in_territory(user, prefix: str = "") -> Q | None:
    """Plans (through `prefix`) of the user's planning territory: None when national (every
    plan: an empty Q would vanish once OR-ed), nothing for someone without one."""
    area = territory(user, *PLANNING_ROLES)
    if area.national:
        return None
    return area.q(f"{prefix}departement_code", f"{prefix}epci_code", f"{prefix}commune_code")


def _touching_schools(user, prefix: str) -> Q:
    """Actions (through `prefix`) in a school the user directs or follows as ERUN, or where
    the user's structure intervenes."""
    from actors.rules import active_memberships

    return (
        Q(**{f"{prefix}school__directors__user": user})
        | Q(**{f"{prefix}school__circonscription__referents__user": user})
        | Q(**{f"{prefix}structure__in": list(active_memberships(user))})
    )


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Plans of the user's territory (hub administrators, DSDEN staff, local authorities),
        those they own, and those with an action in a school they direct or follow (ERUN) or
        where their structure intervenes. Anything else answers 404."""
        area = _in_territory(user)
        if area is None or not user.is_authenticated:
            return self if area is None else self.none()
        mine = area | Q(owners=user) | _touching_schools(user, "actions__")
        return self.filter(pk__in=Plan.objects.filter(mine).values("pk"))

    def editable_by(self, user):
        """Plans the user edits: those of their planning territory, and those they own."""
        area = _in_territory(user)
        if area is None or not user.is_authenticated:
            return self if area is None else self.none()
        mine = area | Q(owners=user)
        return self.filter(pk__in=Plan.objects.filter(mine).values("pk"))


class Plan(models.Model):
    class Level(models.TextChoices):
        COMMUNE = "commune", "commune"
        EPCI = "epci", "EPCI"
        CIRCONSCRIPTION = "circonscription", "circonscription"
        DEPARTEMENT = "departement", "département"

    class State(models.TextChoices):
        DRAFT = "draft", "en préparation"
        ACTIVE = "active", "en cours"
        CLOSED = "closed", "clos"

    title = models.CharField("titre", max_length=200, db_collation=FRENCH)
    level = models.CharField("échelon", max_length=16, choices=Level.choices)
    commune = models.ForeignKey(
        "cartography.Commune", models.PROTECT, null=True, blank=True, related_name="+"
    )
    epci = models.ForeignKey(
        "cartography.EPCI", models.PROTECT, null=True, blank=True, related_name="+"
    )
    circonscription = models.ForeignKey(
        "equipment.Circonscription", models.PROTECT, null=True, blank=True, related_name="+"
    )
    departement = models.ForeignKey(
        "cartography.Departement", models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Codes of the territory, derived on save, so that scopes filter like schools do.
    departement_code = models.CharField("département", max_length=3, editable=False)
    epci_code = models.CharField("SIREN de l'EPCI", max_length=9, blank=True, editable=False)
    commune_code = models.CharField("code commune", max_length=5, blank=True, editable=False)
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin")
    state = models.CharField("état", max_length=8, choices=State.choices, default=State.DRAFT)
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="owned_plans", verbose_name="pilotes"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = "plan d'action territorial"
        verbose_name_plural = "plans d'action territoriaux"
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="plan_period_ordered"
            ),
            models.CheckConstraint(
                condition=(
                    Q(level="commune", commune__isnull=False)
                    | Q(level="epci", epci__isnull=False)
                    | Q(level="circonscription", circonscription__isnull=False)
                    | Q(level="departement", departement__isnull=False)
                ),
                name="plan_territory_given",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.departement_code, self.epci_code, self.commune_code = self._codes()
        super().save(*args, **kwargs)

    @property
    def territory(self):
        """The commune, EPCI, circonscription or département the plan covers."""
        return getattr(self, self.level)

    @property
    def territory_label(self) -> str:
        place = self.territory
        name = place.name if place is not None else "?"
        return f"{self.get_level_display()} {name}".replace("commune ", "")

    def _codes(self) -> tuple[str, str, str]:
        if self.level == self.Level.COMMUNE and self.commune:
            commune = self.commune
            epci = commune.epci.siren if commune.epci_id else ""
            return commune.departement.code, epci, commune.code
        if self.level == self.Level.EPCI and self.epci:
            return self.epci.seat_departement_code, self.epci.siren, ""
        if self.level == self.Level.CIRCONSCRIPTION and self.circonscription:
            return self.circonscription.departement_code, "", ""
        if self.level == self.Level.DEPARTEMENT and self.departement:
            return self.departement.code, "", ""
        return "", "", ""


class ActionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Actions of the plans of the user's territory or that they own, and, for a school's
        director, its ERUN or the intervening structure's members, the actions touching it."""
        area = _in_territory(user, "plan__")
        if area is None or not user.is_authenticated:
            return self if area is None else self.none()
        mine = area | Q(plan__owners=user) | _touching_schools(user, "")
        return self.filter(pk__in=Action.objects.filter(mine).values("pk"))

    def with_budget(self):
        return self.annotate(
            budget_total=models.functions.Coalesce(
                Sum("funding_lines__amount"), Decimal("0"), output_field=models.DecimalField()
            )
        )


class Action(models.Model):
    class Kind(models.TextChoices):
        WORKSHOPS = "workshops", "série d'ateliers"
        TEACHER_TRAINING = "teacher_training", "formation des enseignants"
        EQUIPMENT = "equipment", "équipement"
        AWARENESS_WEEK = "awareness_week", "semaine de sensibilisation"
        PARENTS_MEETINGS = "parents_meetings", "réunions de parents"
        OUTSIDE_INTERVENTION = "outside_intervention", "intervention d'une structure extérieure"
        OTHER = "other", "autre"

    class Status(models.TextChoices):
        PLANNED = "planned", "prévue"
        IN_PROGRESS = "in_progress", "en cours"
        DONE = "done", "réalisée"
        ABANDONED = "abandoned", "abandonnée"

    class Priority(models.IntegerChoices):
        HIGH = 1, "haute"
        MEDIUM = 2, "moyenne"
        LOW = 3, "basse"

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="actions", verbose_name="plan")
    title = models.CharField("intitulé", max_length=200)
    kind = models.CharField("type d'action", max_length=24, choices=Kind.choices)
    status = models.CharField(
        "statut", max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    priority = models.PositiveSmallIntegerField(
        "priorité", choices=Priority.choices, default=Priority.MEDIUM
    )
    starts_on = models.DateField("début", null=True, blank=True)
    ends_on = models.DateField("fin", null=True, blank=True)
    # The need it answers: a school, a commune, an indicator below a threshold, a diagnostic
    # row (its rank and weights version when planned) — and always a sentence saying it.
    school = models.ForeignKey(
        "equipment.School",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_actions",
        verbose_name="école concernée",
    )
    commune = models.ForeignKey(
        "cartography.Commune",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_actions",
        verbose_name="commune concernée",
    )
    indicator = models.ForeignKey(
        "indicators.Indicator",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_actions",
        verbose_name="indicateur",
    )
    indicator_threshold = models.DecimalField(
        "seuil de l'indicateur", max_digits=12, decimal_places=2, null=True, blank=True
    )
    diagnostic_rank = models.PositiveIntegerField(
        "rang au diagnostic des écarts", null=True, blank=True
    )
    diagnostic_version = models.PositiveIntegerField(
        "version de la pondération du diagnostic", null=True, blank=True
    )
    need = models.TextField("besoin auquel l'action répond")
    structure = models.ForeignKey(
        "actors.Structure",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_actions",
        verbose_name="structure intervenante",
    )
    sessions = models.ManyToManyField(
        "trainings.Session", blank=True, related_name="actions", verbose_name="sessions"
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = "action"
        ordering = ["priority", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="action_period_ordered",
            ),
            models.CheckConstraint(condition=~Q(need=""), name="action_need_said"),
            # An indicator is a need only with the threshold it is below.
            models.CheckConstraint(
                condition=Q(indicator__isnull=True) | Q(indicator_threshold__isnull=False),
                name="action_indicator_with_threshold",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def budget(self) -> Decimal:
        """The sum of the funding lines (annotated by `with_budget` when listed)."""
        total = getattr(self, "budget_total", None)
        if total is None:
            total = sum((line.amount for line in self.funding_lines.all()), Decimal("0"))
        return total


class FundingLine(models.Model):
    """One co-funder's share of an action's budget."""

    class FunderKind(models.TextChoices):
        LOCAL_AUTHORITY = "collectivite", "collectivité"
        CNR = "cnr", "CNR Éducation"
        CALL = "aap", "appel à projets"
        STATE = "etat", "État"
        OTHER = "autre", "autre"

    action = models.ForeignKey(Action, models.CASCADE, related_name="funding_lines")
    funder_kind = models.CharField("type de financeur", max_length=12, choices=FunderKind.choices)
    funder_name = models.CharField("financeur", max_length=200)
    amount = models.DecimalField(
        "montant (€)", max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = "ligne de financement"
        verbose_name_plural = "lignes de financement"
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_line_amount_positive")
        ]

    def __str__(self):
        return f"{self.funder_name} : {self.amount} €"
