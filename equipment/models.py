"""Schools, keyed on their UAI, as the Annuaire de l'éducation and the IPS file describe them."""

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GistIndex
from django.core.validators import MinValueValidator, RegexValidator
from simple_history.models import HistoricalRecords

from accounts import roles
from accounts.rules import territory
from cartography.models import Commune
from hub.collation import FRENCH

uai_validator = RegexValidator(
    r"^\d{7}[A-Z]$", "Un UAI compte 7 chiffres suivis d'une lettre, par ex. 0280123A."
)


def _within(queryset, user, mine):
    """`queryset` filtered by the Q `mine` (a subquery: its joins never duplicate rows)."""
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(pk__in=queryset.model.objects.filter(mine).values("pk"))


class CirconscriptionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The circonscriptions whose census `user` follows: DSDEN staff and hub administrators
        in their départements, an ERUN theirs."""
        area = territory(user, roles.HUB_ADMINS, roles.DSDEN_STAFF)
        if area.national:
            return self
        return _within(self, user, area.q("departement_code") | models.Q(referents__user=user))


class Circonscription(models.Model):
    """A primary-school inspection district (circonscription d'inspection du 1er degré).

    Keyed on its code when the Annuaire gives one (2024 and later); older layouts only give
    the name, which then identifies it within its département.
    """

    code = models.CharField("code", max_length=10, blank=True)
    name = models.CharField("nom", max_length=200, db_collation=FRENCH)
    departement_code = models.CharField("département", max_length=3)

    objects = CirconscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = "circonscription"
        ordering = ["departement_code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~models.Q(code=""), name="unique_circonscription_code"
            ),
        ]

    def __str__(self):
        return self.name


class SchoolQuerySet(models.QuerySet):
    def in_departement(self, code: str):
        return self.filter(departement_code=code)

    def primary(self):
        """Écoles maternelles, élémentaires and primaires (the premier degré)."""
        return self.filter(kind__in=School.PRIMARY_KINDS)

    def visible_to(self, user):
        """The schools whose census figures and deployments `user` may read: within the
        territory of their DSDEN, hub administrator or local authority roles, in their
        circonscriptions as ERUN, their own as director. Pages, API, exports and tasks all use
        it; a school outside answers 404."""
        return self._scoped(user, roles.HUB_ADMINS, roles.DSDEN_STAFF, roles.LOCAL_AUTHORITY)

    def answerable_by(self, user):
        """The schools whose census `user` may answer and whose equipment they follow: the same
        people, but local authorities only read."""
        return self._scoped(user, roles.HUB_ADMINS, roles.DSDEN_STAFF)

    def _scoped(self, user, *staff_roles):
        area = territory(user, *staff_roles)
        if area.national:
            return self
        mine = area.q("departement_code", "commune__epci__siren", "commune__code")
        if user.is_authenticated:
            mine |= models.Q(directors__user=user) | models.Q(circonscription__referents__user=user)
        return _within(self, user, mine)


class School(models.Model):
    class Kind(models.TextChoices):
        MATERNELLE = "maternelle", "école maternelle"
        ELEMENTAIRE = "elementaire", "école élémentaire"
        PRIMAIRE = "primaire", "école primaire"
        COLLEGE = "college", "collège"
        LYCEE = "lycee", "lycée"
        LYCEE_PRO = "lycee_pro", "lycée professionnel"
        OTHER = "other", "autre établissement"

    PRIMARY_KINDS = (Kind.MATERNELLE, Kind.ELEMENTAIRE, Kind.PRIMAIRE)

    class Sector(models.TextChoices):
        PUBLIC = "public", "public"
        PRIVATE = "private", "privé"

    class Priority(models.TextChoices):
        NONE = "", "hors éducation prioritaire"
        REP = "REP", "REP"
        REP_PLUS = "REP+", "REP+"

    class Status(models.TextChoices):
        OPEN = "open", "ouvert"
        CLOSING = "closing", "à fermer"
        CLOSED = "closed", "fermé"

    class Source(models.TextChoices):
        ANNUAIRE = "annuaire", "Annuaire de l'éducation"
        IPS = "ips", "IPS des écoles (en attente de l'Annuaire)"

    uai = models.CharField("UAI", max_length=8, unique=True, validators=[uai_validator])
    name = models.CharField("nom", max_length=250, db_collation=FRENCH)
    kind = models.CharField("type", max_length=12, choices=Kind.choices)
    sector = models.CharField("secteur", max_length=8, choices=Sector.choices, blank=True)
    departement_code = models.CharField("département", max_length=3, db_index=True)
    commune = models.ForeignKey(
        Commune,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="schools",
        verbose_name="commune",
    )
    commune_code = models.CharField(
        "code commune (tel que publié)",
        max_length=5,
        help_text="parfois un ancien code, rattaché à la commune actuelle par l'historique du COG",
    )
    circonscription = models.ForeignKey(
        Circonscription,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="schools",
        verbose_name="circonscription",
    )
    # Geography, as for places: distances in metres. Null when neither the file nor the
    # commune gives a position.
    location = models.PointField(
        "position", srid=settings.STORAGE_SRID, geography=True, null=True, spatial_index=False
    )
    location_precision = models.CharField(
        "précision de la position (publiée)", max_length=50, blank=True
    )
    location_approximate = models.BooleanField(
        "position approximative",
        default=False,
        help_text="précision « Ville » ou « Lieu-dit », ou placée dans sa commune faute de mieux",
    )
    education_priority = models.CharField(
        "éducation prioritaire", max_length=4, choices=Priority.choices, blank=True
    )
    ips = models.DecimalField(
        "indice de position sociale", max_digits=5, decimal_places=2, null=True, blank=True
    )
    ips_year = models.CharField("rentrée de l'IPS", max_length=9, blank=True)
    pupils = models.PositiveIntegerField("nombre d'élèves", null=True, blank=True)
    status = models.CharField("état", max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_on = models.DateField("date d'ouverture", null=True, blank=True)
    source_updated_on = models.DateField("mise à jour dans la source", null=True, blank=True)
    source = models.CharField(
        "fiche issue de",
        max_length=8,
        choices=Source.choices,
        help_text="l'Annuaire remplace les valeurs d'une école connue seulement par l'IPS",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        verbose_name = "établissement scolaire"
        verbose_name_plural = "établissements scolaires"
        ordering = ["name"]
        indexes = [GistIndex(fields=["location"], name="school_location_gist")]

    def __str__(self):
        return f"{self.name} ({self.uai})"

    def save(self, *args, update_fields=None, **kwargs):
        # Importers write only changed fields; the modification date must follow them.
        if update_fields is not None:
            update_fields = {*update_fields, "updated_at"}
        super().save(*args, update_fields=update_fields, **kwargs)

    @property
    def latitude(self) -> float | None:
        return self.location.y if self.location else None

    @property
    def longitude(self) -> float | None:
        return self.location.x if self.location else None


# --- Who answers for which school ---------------------------------------------------------------


class SchoolDirector(models.Model):
    """An account tied to a school's UAI: its director answers the census for it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="directed_schools"
    )
    school = models.ForeignKey(School, models.CASCADE, related_name="directors")

    class Meta:
        verbose_name = "direction d'école"
        verbose_name_plural = "directions d'école"
        constraints = [
            models.UniqueConstraint(fields=["user", "school"], name="unique_school_director")
        ]

    def __str__(self):
        return f"{self.user} — {self.school}"


class DigitalReferent(models.Model):
    """An ERUN (enseignant référent pour les usages du numérique) of a circonscription."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="referent_for")
    circonscription = models.ForeignKey(Circonscription, models.CASCADE, related_name="referents")

    class Meta:
        verbose_name = "ERUN (référent numérique de circonscription)"
        verbose_name_plural = "ERUN (référents numériques de circonscription)"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "circonscription"], name="unique_digital_referent"
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.circonscription}"


# --- Census campaigns -------------------------------------------------------------------------


class Campaign(models.Model):
    """A census of the schools' digital equipment for one school year."""

    school_year = models.CharField(
        "année scolaire",
        max_length=9,
        unique=True,
        validators=[RegexValidator(r"^\d{4}-\d{4}$", "Année scolaire attendue : 2025-2026.")],
    )
    title = models.CharField("intitulé", max_length=200)
    opens_on = models.DateField("ouverture")
    closes_on = models.DateField("clôture")
    kinds = ArrayField(
        models.CharField(max_length=12, choices=School.Kind.choices),
        verbose_name="types d'établissement interrogés",
        default=list,
    )
    is_demo = models.BooleanField("données de démonstration", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "campagne de recensement"
        verbose_name_plural = "campagnes de recensement"
        ordering = ["-school_year"]

    def __str__(self):
        return f"{self.title} ({self.school_year})"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": "La clôture précède l'ouverture."})

    def schools(self):
        """The open schools this campaign asks."""
        return School.objects.filter(kind__in=self.kinds).exclude(status=School.Status.CLOSED)


# Devices asked in the census: (field prefix, label). Each has a total and how many pupils use.
DEVICE_KINDS = [
    ("desktops", "ordinateurs fixes"),
    ("laptops", "ordinateurs portables"),
    ("tablets", "tablettes"),
    ("displays", "écrans interactifs ou vidéoprojecteurs (TNI, VPI)"),
    ("mobile_classrooms", "classes mobiles"),
    ("document_cameras", "visualiseurs"),
    ("robots", "robots et kits de programmation"),
]
# The devices counted in "terminals for pupils", the measure of the national ETIC survey.
PUPIL_TERMINALS = ("desktops", "laptops", "tablets")
# ETIC 2018-2019: computers per 100 pupils, by kind of school.
NATIONAL_REFERENCE = {
    "maternelle": 6.3,
    "elementaire": 14.4,
    "primaire": 14.4,
    "college": 33.8,
    "lycee": 43.9,
    "lycee_pro": 62.0,
}


class CensusAnswerQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The answers of the schools `user` may read."""
        return self.filter(school__in=School.objects.visible_to(user))


class CensusAnswer(models.Model):
    """One school's answer to one campaign; edits are kept in its history."""

    class FleetAge(models.TextChoices):
        RECENT = "lt3", "moins de 3 ans"
        MIDDLE = "3to5", "3 à 5 ans"
        OLD = "5to8", "5 à 8 ans"
        VERY_OLD = "gt8", "plus de 8 ans"
        UNKNOWN = "unknown", "ne sait pas"

    class Connection(models.TextChoices):
        FIBRE = "fibre", "fibre optique"
        COPPER = "copper", "cuivre (ADSL, VDSL)"
        CABLE = "cable", "câble"
        MOBILE = "4g", "4G / 5G"
        SATELLITE = "satellite", "satellite"
        NONE = "none", "aucune connexion"

    class Wifi(models.TextChoices):
        NONE = "none", "aucune classe"
        SOME = "some", "une partie des classes"
        ALL = "all", "toutes les classes"

    class Platform(models.TextChoices):
        PRONOTE = "pronote", "Pronote"
        BENEYLU = "beneylu", "Beneylu School"
        ENT_REGION = "ent_region", "ENT de la région ou du département"
        OTHER = "other", "autre"
        NONE = "none", "aucun"

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="answers")
    school = models.ForeignKey(School, models.CASCADE, related_name="census_answers")
    pupils = models.PositiveIntegerField("nombre d'élèves")
    desktops_total = models.PositiveIntegerField("ordinateurs fixes", default=0)
    desktops_pupils = models.PositiveIntegerField("dont utilisables par les élèves", default=0)
    laptops_total = models.PositiveIntegerField("ordinateurs portables", default=0)
    laptops_pupils = models.PositiveIntegerField("dont utilisables par les élèves", default=0)
    tablets_total = models.PositiveIntegerField("tablettes", default=0)
    tablets_pupils = models.PositiveIntegerField("dont utilisables par les élèves", default=0)
    displays_total = models.PositiveIntegerField("écrans interactifs, vidéoprojecteurs", default=0)
    displays_pupils = models.PositiveIntegerField("dont dans les classes", default=0)
    mobile_classrooms_total = models.PositiveIntegerField("classes mobiles", default=0)
    mobile_classrooms_pupils = models.PositiveIntegerField("dont utilisables", default=0)
    document_cameras_total = models.PositiveIntegerField("visualiseurs", default=0)
    document_cameras_pupils = models.PositiveIntegerField("dont utilisables", default=0)
    robots_total = models.PositiveIntegerField("robots, kits de programmation", default=0)
    robots_pupils = models.PositiveIntegerField("dont utilisables", default=0)
    fleet_age = models.CharField(
        "âge moyen du parc", max_length=8, choices=FleetAge.choices, default=FleetAge.UNKNOWN
    )
    connection = models.CharField("connexion internet", max_length=10, choices=Connection.choices)
    download_mbps = models.DecimalField(
        "débit descendant mesuré (Mbit/s)",
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    wifi = models.CharField("Wi-Fi dans les classes", max_length=5, choices=Wifi.choices)
    platform = models.CharField(
        "ENT ou plateforme scolaire", max_length=12, choices=Platform.choices
    )
    platform_other = models.CharField("autre plateforme (précisez)", max_length=100, blank=True)
    digital_referent = models.CharField(
        "référent numérique de l'école", max_length=150, blank=True, help_text="nom ou fonction"
    )
    trained_staff = models.PositiveIntegerField("personnels formés au numérique", default=0)
    needs = models.TextField("besoins exprimés", blank=True)
    level = models.PositiveSmallIntegerField(
        "niveau de maturité numérique", null=True, editable=False
    )
    level_reasons = models.TextField("raisons du niveau", blank=True, editable=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, editable=False
    )
    is_demo = models.BooleanField("données de démonstration", default=False)
    created_at = models.DateTimeField("répondu le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    history = HistoricalRecords(excluded_fields=["level", "level_reasons", "updated_at"])

    objects = CensusAnswerQuerySet.as_manager()

    class Meta:
        verbose_name = "réponse au recensement"
        verbose_name_plural = "réponses au recensement"
        ordering = ["campaign", "school__name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "school"], name="unique_census_answer")
        ]

    def __str__(self):
        return f"{self.school} — {self.campaign.school_year}"

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        for kind, _ in DEVICE_KINDS:
            total, pupils = getattr(self, f"{kind}_total"), getattr(self, f"{kind}_pupils")
            if total is not None and pupils is not None and pupils > total:
                errors[f"{kind}_pupils"] = f"Plus que le total ({total})."
        if self.platform == self.Platform.OTHER and not self.platform_other:
            errors["platform_other"] = "Précisez la plateforme."
        if errors:
            raise ValidationError(errors)

    @property
    def pupil_terminals(self) -> int:
        return sum(getattr(self, f"{kind}_pupils") or 0 for kind in PUPIL_TERMINALS)

    @property
    def terminals_per_100_pupils(self) -> float | None:
        if not self.pupils:
            return None
        return round(100 * self.pupil_terminals / self.pupils, 1)

    @property
    def national_reference(self) -> float | None:
        return NATIONAL_REFERENCE.get(self.school.kind)


# --- Digital maturity: rules kept as data ----------------------------------------------------


class MaturityLevel(models.Model):
    """A level of digital maturity; a school reaches it when it meets every criterion of this
    level and of the levels below."""

    number = models.PositiveSmallIntegerField("niveau", unique=True)
    name = models.CharField("nom", max_length=100)
    description = models.TextField("description", blank=True)

    class Meta:
        verbose_name = "niveau de maturité numérique"
        verbose_name_plural = "niveaux de maturité numérique"
        ordering = ["number"]

    def __str__(self):
        return f"niveau {self.number} : {self.name}"


class MaturityCriterion(models.Model):
    class Measure(models.TextChoices):
        TERMINALS_PER_100 = "terminals_per_100", "terminaux élèves pour 100 élèves"
        DOWNLOAD = "download_mbps", "débit descendant mesuré (Mbit/s)"
        CONNECTION = "connection", "connexion internet"
        WIFI = "wifi", "Wi-Fi dans les classes"
        PLATFORM = "platform", "ENT ou plateforme"
        DISPLAYS = "displays_pupils", "écrans interactifs ou vidéoprojecteurs en classe"
        TRAINED = "trained_staff", "personnels formés"
        REFERENT = "has_referent", "référent numérique désigné (1 oui, 0 non)"
        FLEET_AGE = "fleet_age", "âge du parc"

    class Operator(models.TextChoices):
        AT_LEAST = "gte", "au moins"
        AT_MOST = "lte", "au plus"
        EQUALS = "eq", "égal à"
        NOT = "ne", "différent de"
        ONE_OF = "in", "parmi (valeurs séparées par des virgules)"

    level = models.ForeignKey(MaturityLevel, models.CASCADE, related_name="criteria")
    measure = models.CharField("mesure", max_length=20, choices=Measure.choices)
    operator = models.CharField("comparaison", max_length=3, choices=Operator.choices)
    value = models.CharField(
        "valeur", max_length=100, help_text="un nombre, ou un code : fibre, all, none…"
    )
    failure = models.CharField(
        "phrase quand le critère manque",
        max_length=200,
        help_text="par ex. « {value} terminaux pour 100 élèves, moins de {threshold} » ; "
        "{value} est la valeur de l'école, {threshold} celle du critère",
    )

    class Meta:
        verbose_name = "critère de maturité"
        verbose_name_plural = "critères de maturité"
        ordering = ["level__number", "pk"]

    def __str__(self):
        return f"{self.get_measure_display()} {self.get_operator_display()} {self.value}"


# --- Deployments and family loans -------------------------------------------------------------


class DeploymentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The deployments of the schools `user` may read (local authorities included)."""
        return self.filter(school__in=School.objects.visible_to(user))

    def editable_by(self, user):
        """The deployments `user` records and moves along."""
        return self.filter(school__in=School.objects.answerable_by(user))


class Deployment(models.Model):
    """Equipment ordered for a school, followed until it is installed."""

    class Funding(models.TextChoices):
        LOCAL = "collectivite", "collectivité (commune, EPCI, département)"
        CNR = "cnr", "CNR Éducation"
        TNE = "tne", "Territoires numériques éducatifs (TNE)"
        STATE = "etat", "autre financement de l'État"
        OTHER = "autre", "autre"

    class Status(models.TextChoices):
        ORDERED = "ordered", "commandé"
        DELIVERED = "delivered", "livré"
        INSTALLED = "installed", "installé"

    school = models.ForeignKey(School, models.CASCADE, related_name="deployments")
    kind = models.CharField(
        "équipement", max_length=20, choices=DEVICE_KINDS + [("other", "autre")]
    )
    quantity = models.PositiveIntegerField("quantité", validators=[MinValueValidator(1)])
    funding = models.CharField("financement", max_length=12, choices=Funding.choices)
    status = models.CharField("état", max_length=10, choices=Status.choices, default=Status.ORDERED)
    ordered_on = models.DateField("commandé le")
    delivered_on = models.DateField("livré le", null=True, blank=True)
    installed_on = models.DateField("installé le", null=True, blank=True)
    note = models.CharField("remarque", max_length=200, blank=True)
    history = HistoricalRecords()

    objects = DeploymentQuerySet.as_manager()

    class Meta:
        verbose_name = "déploiement d'équipement"
        verbose_name_plural = "déploiements d'équipement"
        ordering = ["-ordered_on"]

    def __str__(self):
        return f"{self.quantity} × {self.get_kind_display()} — {self.school}"

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.status in (self.Status.DELIVERED, self.Status.INSTALLED) and not self.delivered_on:
            errors["delivered_on"] = "Indiquez la date de livraison."
        if self.status == self.Status.INSTALLED and not self.installed_on:
            errors["installed_on"] = "Indiquez la date d'installation."
        if self.ordered_on and self.delivered_on and self.delivered_on < self.ordered_on:
            errors["delivered_on"] = "La livraison précède la commande."
        if self.delivered_on and self.installed_on and self.installed_on < self.delivered_on:
            errors["installed_on"] = "L'installation précède la livraison."
        if errors:
            raise ValidationError(errors)


class LoanPoolQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The pools `user` manages: those of the schools they answer for and of the structures
        they edit (DSDEN staff: the structures with a place in their départements)."""
        from actors.models import Structure

        schools = School.objects.answerable_by(user)
        structures = Structure.objects.editable_by(user)
        area = territory(user, roles.DSDEN_STAFF)
        if area:
            structures = structures | Structure.objects.filter(
                pk__in=Structure.objects.filter(
                    area.q("places__commune__departement__code")
                ).values("pk")
            )
        return self.filter(models.Q(school__in=schools) | models.Q(structure__in=structures))


class LoanPool(models.Model):
    """Devices a school or a structure lends to families."""

    class Kind(models.TextChoices):
        LAPTOP = "laptop", "ordinateurs portables"
        ROUTER = "router_4g", "routeurs 4G"
        HEADSET = "headset", "casques"
        OTHER = "other", "autre"

    name = models.CharField("nom", max_length=150, db_collation=FRENCH)
    school = models.ForeignKey(
        School, models.CASCADE, null=True, blank=True, related_name="loan_pools"
    )
    structure = models.ForeignKey(
        "actors.Structure", models.CASCADE, null=True, blank=True, related_name="loan_pools"
    )
    kind = models.CharField("matériel", max_length=10, choices=Kind.choices)
    quantity = models.PositiveIntegerField("nombre d'appareils")

    objects = LoanPoolQuerySet.as_manager()

    class Meta:
        verbose_name = "parc de prêt"
        verbose_name_plural = "parcs de prêt"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(school__isnull=False) ^ models.Q(structure__isnull=False),
                name="loan_pool_has_one_owner",
            )
        ]

    def __str__(self):
        return self.name


class LoanQuerySet(models.QuerySet):
    def current(self):
        return self.filter(returned_on__isnull=True)

    def overdue(self, today=None):
        from django.utils import timezone

        return self.current().filter(due_on__lt=today or timezone.localdate())

    def visible_to(self, user):
        """The loans of the pools `user` manages."""
        return self.filter(pool__in=LoanPool.objects.visible_to(user))


class Loan(models.Model):
    """One loan to a family; the borrower is a reference, never a name."""

    pool = models.ForeignKey(LoanPool, models.CASCADE, related_name="loans")
    borrower_reference = models.CharField(
        "référence de l'emprunteur",
        max_length=40,
        help_text="une référence interne (n° de dossier), pas de nom ni de coordonnées",
    )
    quantity = models.PositiveIntegerField("nombre d'appareils", default=1)
    started_on = models.DateField("prêté le")
    due_on = models.DateField("à rendre le")
    returned_on = models.DateField("rendu le", null=True, blank=True)

    objects = LoanQuerySet.as_manager()

    class Meta:
        verbose_name = "prêt"
        ordering = ["due_on"]

    def __str__(self):
        return f"{self.borrower_reference} — {self.pool}"

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.started_on and self.due_on and self.due_on < self.started_on:
            errors["due_on"] = "L'échéance précède le début du prêt."
        if self.started_on and self.returned_on and self.returned_on < self.started_on:
            errors["returned_on"] = "Le retour précède le début du prêt."
        if errors:
            raise ValidationError(errors)
