"""Indicators: the registry (what is measured, how, from which sources) and their values."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from accounts import roles
from accounts.rules import territory
from hub.collation import FRENCH

# Who reads the staff-only indicators (figures of schools, deployments, loans): the people who
# read the schools' figures, within their territory.
STAFF_READERS = (roles.HUB_ADMINS, roles.DSDEN_STAFF, roles.LOCAL_AUTHORITY)


class Level(models.TextChoices):
    COMMUNE = "commune", "commune"
    EPCI = "epci", "EPCI"
    DEPARTEMENT = "departement", "département"
    CIRCONSCRIPTION = "circonscription", "circonscription"
    FRANCE = "france", "France"


class Aggregation(models.TextChoices):
    SUM = "sum", "somme"
    RATIO_OF_SUMS = "ratio_of_sums", "rapport des sommes"
    POPULATION_WEIGHTED_MEAN = "population_weighted_mean", "moyenne pondérée par la population"
    NONE = "none", "aucune"


class Obtained(models.TextChoices):
    COMPUTED = "computed", "calculé par le hub"
    IMPORTED = "imported", "importé d’un fichier"


class ValueStatus(models.TextChoices):
    COMPUTED = "computed", "calculée"
    IMPORTED = "imported", "importée"
    ESTIMATED = "estimated", "estimée"
    WITHHELD = "withheld", "masquée (effectif trop faible)"
    MISSING = "missing", "manquante (données absentes)"


class Theme(models.Model):
    code = models.SlugField("code", max_length=50, unique=True)
    name = models.CharField("nom", max_length=200, db_collation=FRENCH)

    class Meta:
        verbose_name = "thème"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Audience(models.Model):
    code = models.SlugField("code", max_length=50, unique=True)
    name = models.CharField("nom", max_length=200, db_collation=FRENCH)

    class Meta:
        verbose_name = "public visé"
        verbose_name_plural = "publics visés"
        ordering = ["name"]

    def __str__(self):
        return self.name


def circonscription_code(circonscription) -> str:
    """A circonscription's territory code: its code; the hub's number when the Annuaire gave
    none (layouts of 2023 and before)."""
    return circonscription.code or str(circonscription.pk)


class IndicatorQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Public indicators for everyone; staff-only ones for their readers."""
        if territory(user, *STAFF_READERS):
            return self
        return self.filter(is_public=True)


class Indicator(models.Model):
    """One measured quantity; computed ones are declared in code and synced here."""

    code = models.SlugField("code", max_length=80, unique=True)
    name = models.CharField("nom", max_length=250, db_collation=FRENCH)
    definition = models.TextField("définition", blank=True)
    method = models.TextField("méthode de calcul", blank=True)
    unit = models.CharField("unité", max_length=50, blank=True)
    precision = models.PositiveSmallIntegerField("décimales", default=1)
    polarity = models.BooleanField(
        "plus élevé est meilleur", null=True, blank=True, help_text="Vide : sans objet."
    )
    levels = ArrayField(
        models.CharField(max_length=20, choices=Level.choices),
        verbose_name="échelons",
        default=list,
        blank=True,
    )
    aggregation = models.CharField(
        "agrégation", max_length=30, choices=Aggregation.choices, default=Aggregation.NONE
    )
    sources = models.TextField("sources", blank=True)
    source_vintage = models.CharField("millésime des sources", max_length=50, blank=True)
    small_count_threshold = models.PositiveIntegerField(
        "seuil de secret",
        default=0,
        help_text="Une valeur décrivant moins d’unités que ce seuil est masquée.",
    )
    obtained = models.CharField(
        "obtention", max_length=10, choices=Obtained.choices, default=Obtained.IMPORTED
    )
    is_public = models.BooleanField("public", default=True)
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="indicators", verbose_name="thèmes"
    )
    audiences = models.ManyToManyField(
        Audience, blank=True, related_name="indicators", verbose_name="publics visés"
    )
    method_version = models.PositiveIntegerField("version de la méthode", default=1)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = "indicateur"
        ordering = ["code"]

    def __str__(self):
        return self.name


class ValueQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Values of public indicators; of staff-only ones, those of territories inside the
        reader's: its communes, the EPCI it names or that have a commune in its départements,
        its départements and their circonscriptions; France for national readers only."""
        from cartography.models import Commune
        from equipment.models import Circonscription

        public = models.Q(indicator__is_public=True)
        area = territory(user, *STAFF_READERS)
        if area.national:
            return self
        if not area:
            return self.filter(public)
        communes = Commune.objects.filter(area.q("departement__code", "epci__siren", "code"))
        epcis = set(area.epcis) | set(
            Commune.objects.filter(departement__code__in=area.departements)
            .exclude(epci=None)
            .values_list("epci__siren", flat=True)
        )
        circonscriptions = [
            circonscription_code(c)
            for c in Circonscription.objects.filter(departement_code__in=area.departements)
        ]
        inside = (
            models.Q(level=Level.COMMUNE, territory_code__in=communes.values("code"))
            | models.Q(level=Level.EPCI, territory_code__in=epcis)
            | models.Q(level=Level.DEPARTEMENT, territory_code__in=area.departements)
            | models.Q(level=Level.CIRCONSCRIPTION, territory_code__in=circonscriptions)
        )
        return self.filter(public | inside)


class Value(models.Model):
    """An indicator's value for one territory and period, with what it was computed from."""

    indicator = models.ForeignKey(
        Indicator, models.CASCADE, related_name="values", verbose_name="indicateur"
    )
    level = models.CharField("échelon", max_length=20, choices=Level.choices)
    territory_code = models.CharField("code du territoire", max_length=20)
    period = models.CharField("période", max_length=30)
    value = models.FloatField("valeur", null=True, blank=True)
    numerator = models.FloatField("numérateur", null=True, blank=True)
    denominator = models.FloatField("dénominateur", null=True, blank=True)
    units = models.PositiveIntegerField(
        "unités décrites", null=True, blank=True, help_text="Pour la règle des petits effectifs."
    )
    status = models.CharField("statut", max_length=10, choices=ValueStatus.choices)
    data_vintage = models.CharField("millésime des données", max_length=250, blank=True)
    geography_vintage = models.CharField(
        "millésime de la géographie (COG)", max_length=10, blank=True
    )
    computed_at = models.DateTimeField("calculée le", null=True, blank=True)
    input_state = models.CharField("empreinte des données d’entrée", max_length=64, blank=True)
    missing_inputs = ArrayField(
        models.CharField(max_length=200),
        verbose_name="données manquantes",
        default=list,
        blank=True,
    )
    method_version = models.PositiveIntegerField("version de la méthode", default=1)

    objects = ValueQuerySet.as_manager()

    class Meta:
        verbose_name = "valeur"
        ordering = ["indicator", "level", "territory_code", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "level", "territory_code", "period"],
                name="indicator_value_unique",
            )
        ]
        indexes = [models.Index(fields=["indicator", "level", "period"])]

    def __str__(self):
        return f"{self.indicator.code} {self.level} {self.territory_code} {self.period}"


class FragilityWeighting(models.TextChoices):
    POPULATION = "population", "moyenne pondérée par la population des IRIS"
    MEAN = "mean", "moyenne simple des IRIS"


class FragilityScore(models.Model):
    """A commune's digital fragility index (IFN, La MedNum) for one edition, aggregated from
    the file's IRIS rows (indicators/fragility.py says how)."""

    edition = models.CharField("édition", max_length=20)
    commune_code = models.CharField("code INSEE (courant)", max_length=5)
    # {"<axis>_<reference>": index around 100}, e.g. "global_departement" (see fragility.AXES).
    scores = models.JSONField("indices", default=dict)
    weighting = models.CharField("pondération", max_length=10, choices=FragilityWeighting.choices)
    iris_rows = models.PositiveIntegerField("lignes IRIS agrégées")
    source_codes = ArrayField(
        models.CharField(max_length=5),
        verbose_name="codes communes du fichier",
        default=list,
        help_text="Plusieurs codes : communes fusionnées depuis l’édition.",
    )
    population = models.FloatField("population des IRIS (pondération)", null=True, blank=True)

    class Meta:
        verbose_name = "indice de fragilité numérique"
        verbose_name_plural = "indices de fragilité numérique"
        ordering = ["edition", "commune_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "commune_code"], name="fragility_score_unique"
            )
        ]

    def __str__(self):
        return f"IFN {self.edition} {self.commune_code}"


class DiagnosticWeights(models.Model):
    """The named weights of the gap diagnostic (indicators/diagnostic.py). Versioned: saving a
    change never edits a version, it adds the next one, so a ranking always names the weights
    it was made with. The newest version is the one in force."""

    version = models.PositiveIntegerField("version", unique=True, editable=False)
    fragility = models.FloatField(
        "poids de la fragilité numérique", default=1, validators=[MinValueValidator(0)]
    )
    distance = models.FloatField(
        "poids de l’éloignement de l’aide", default=1, validators=[MinValueValidator(0)]
    )
    fibre = models.FloatField(
        "poids des locaux sans fibre", default=1, validators=[MinValueValidator(0)]
    )
    equipment = models.FloatField(
        "poids du sous-équipement des écoles", default=1, validators=[MinValueValidator(0)]
    )
    note = models.CharField("motif du changement", max_length=250, blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        verbose_name="créée par",
    )

    FACTORS = ("fragility", "distance", "fibre", "equipment")

    class Meta:
        verbose_name = "pondération du diagnostic"
        verbose_name_plural = "pondérations du diagnostic"
        ordering = ["-version"]

    def __str__(self):
        return f"Pondération v{self.version}"

    def save(self, *args, **kwargs):
        """Always a new version: a change to a saved version is stored as the next one."""
        if self.pk is not None:
            current = DiagnosticWeights.objects.filter(pk=self.pk).first()
            if current is not None and current.weights() == self.weights():
                return super().save(*args, **kwargs)  # only the note changed
            self.pk = None
            self._state.adding = True
        if self._state.adding:
            newest = DiagnosticWeights.objects.aggregate(newest=models.Max("version"))["newest"]
            self.version = (newest or 0) + 1
            kwargs.pop("force_update", None)
        return super().save(*args, **kwargs)

    def weights(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in self.FACTORS}

    def clean(self):
        if not any(self.weights().values()):
            raise ValidationError("Au moins un poids doit être supérieur à zéro.")

    @classmethod
    def current(cls) -> "DiagnosticWeights":
        """The weights in force (version 1, every weight 1, when none was ever saved)."""
        newest = cls.objects.order_by("-version").first()
        if newest is None:  # get_or_create: two first readers at once make one version 1
            newest, _ = cls.objects.get_or_create(
                version=1, defaults={"note": "pondération initiale : chaque facteur pèse autant"}
            )
        return newest
