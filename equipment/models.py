"""Schools, keyed on their UAI, as the Annuaire de l'éducation and the IPS file describe them."""

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GistIndex
from django.core.validators import RegexValidator

from cartography.models import Commune

uai_validator = RegexValidator(
    r"^\d{7}[A-Z]$", "Un UAI compte 7 chiffres suivis d'une lettre, par ex. 0280123A."
)


class Circonscription(models.Model):
    """A primary-school inspection district (circonscription d'inspection du 1er degré).

    Keyed on its code when the Annuaire gives one (2024 and later); older layouts only give
    the name, which then identifies it within its département.
    """

    code = models.CharField("code", max_length=10, blank=True)
    name = models.CharField("nom", max_length=200)
    departement_code = models.CharField("département", max_length=3)

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
    name = models.CharField("nom", max_length=250)
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
