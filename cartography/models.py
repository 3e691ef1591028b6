"""Territories keyed on official INSEE / SIREN codes, and the COG history of commune codes."""

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.gis.db.models import Union
from django.contrib.postgres.indexes import GistIndex
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from hub.collation import FRENCH


class Departement(models.Model):
    code = models.CharField("code INSEE", max_length=3, unique=True)
    name = models.CharField("nom", max_length=100, db_collation=FRENCH)
    geometry = models.MultiPolygonField(
        "contour", srid=settings.STORAGE_SRID, null=True, spatial_index=False
    )

    class Meta:
        verbose_name = "département"
        ordering = ["code"]
        indexes = [GistIndex(fields=["geometry"], name="departement_geometry_gist")]

    def __str__(self):
        return f"{self.name} ({self.code})"


class EPCIQuerySet(models.QuerySet):
    def in_departement(self, code: str):
        """EPCI with at least one member commune in the département."""
        return self.filter(pk__in=Commune.objects.in_departement(code).values("epci_id"))

    def with_members(self, departement: str | None = None):
        """Annotate members count, population and outline; with `departement`, only its part."""
        members = Commune.objects.filter(epci=OuterRef("pk")).order_by().values("epci")
        if departement:
            members = members.filter(departement__code=departement)
        outline = (
            members.annotate(u=Union("geometry")).values("u")
            if departement
            else EPCI.objects.filter(pk=OuterRef("pk")).values("geometry")
        )
        return self.annotate(
            communes_count=Coalesce(
                Subquery(members.annotate(n=Count("pk")).values("n")),
                0,
                output_field=IntegerField(),
            ),
            population=Subquery(
                members.annotate(p=Sum("population")).values("p"), output_field=IntegerField()
            ),
            outline=Subquery(
                outline, output_field=models.MultiPolygonField(srid=settings.STORAGE_SRID)
            ),
        )


class EPCI(models.Model):
    """An intercommunal body; it may straddle départements (its seat is in one of them)."""

    siren = models.CharField("SIREN", max_length=9, unique=True)
    name = models.CharField("raison sociale", max_length=200, db_collation=FRENCH)
    legal_form = models.CharField("nature juridique", max_length=10, blank=True)
    seat_departement_code = models.CharField("département du siège", max_length=3)
    geometry = models.MultiPolygonField(
        "contour", srid=settings.STORAGE_SRID, null=True, spatial_index=False
    )

    class Meta:
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"
        ordering = ["name"]
        indexes = [GistIndex(fields=["geometry"], name="epci_geometry_gist")]

    objects = EPCIQuerySet.as_manager()

    def __str__(self):
        return self.name


class CommuneQuerySet(models.QuerySet):
    def in_departement(self, code: str):
        return self.filter(departement__code=code)

    def search(self, text: str):
        """Communes whose INSEE code is `text` or whose name contains it, accents ignored."""
        text = text.strip()
        if not text:
            return self.none()
        return self.filter(Q(code=text.upper()) | Q(name__unaccent__icontains=text))


class Commune(models.Model):
    code = models.CharField("code INSEE", max_length=5, unique=True)
    name = models.CharField("nom", max_length=200, db_collation=FRENCH)
    departement = models.ForeignKey(
        Departement, models.PROTECT, related_name="communes", verbose_name="département"
    )
    epci = models.ForeignKey(
        EPCI, models.SET_NULL, null=True, blank=True, related_name="communes", verbose_name="EPCI"
    )
    population = models.PositiveIntegerField("population municipale", null=True, blank=True)
    geometry = models.MultiPolygonField(
        "contour", srid=settings.STORAGE_SRID, null=True, spatial_index=False
    )

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = "commune"
        ordering = ["name"]
        indexes = [GistIndex(fields=["geometry"], name="commune_geometry_gist")]

    def __str__(self):
        return f"{self.name} ({self.code})"


class CommuneChange(models.Model):
    """One row of the INSEE COG `mouvements des communes` file: a (before, after) pair."""

    kind = models.CharField("type d'événement (MOD)", max_length=2)
    effective_date = models.DateField("date d'effet")
    type_before = models.CharField(max_length=4)
    code_before = models.CharField(max_length=5, db_index=True)
    name_before = models.CharField(max_length=200)
    type_after = models.CharField(max_length=4)
    code_after = models.CharField(max_length=5)
    name_after = models.CharField(max_length=200)

    class Meta:
        verbose_name = "changement de commune (COG)"
        verbose_name_plural = "changements de communes (COG)"
        ordering = ["-effective_date", "code_before"]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "kind",
                    "effective_date",
                    "type_before",
                    "code_before",
                    "type_after",
                    "code_after",
                ],
                name="unique_commune_change",
            )
        ]

    def __str__(self):
        return f"{self.effective_date} {self.code_before} → {self.code_after}"


class CommunePart(models.Model):
    """A commune déléguée, associée or municipal arrondissement, and the commune it belongs to."""

    code = models.CharField("code INSEE", max_length=5)
    kind = models.CharField("type (TYPECOM)", max_length=4)
    name = models.CharField("nom", max_length=200)
    parent_code = models.CharField("commune de rattachement", max_length=5)

    class Meta:
        verbose_name = "commune déléguée, associée ou arrondissement"
        verbose_name_plural = "communes déléguées, associées et arrondissements"
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["code", "kind"], name="unique_commune_part")]

    def __str__(self):
        return f"{self.name} ({self.code}, {self.kind})"


class PostalCode(models.Model):
    """One row of La Poste's "base officielle des codes postaux": a postal code serving a
    commune (the COG does not know postal codes). One code may serve several communes and one
    commune may have several codes; `commune` is the current commune of the row's INSEE code."""

    code = models.CharField("code postal", max_length=5, db_index=True)
    commune = models.ForeignKey(
        Commune, models.CASCADE, related_name="postal_codes", verbose_name="commune"
    )
    insee_code = models.CharField("code INSEE (tel que publié)", max_length=5)
    commune_name = models.CharField("nom de la commune (tel que publié)", max_length=200)
    delivery_label = models.CharField("libellé d’acheminement", max_length=200, blank=True)
    line_5 = models.CharField("ligne 5 (lieu-dit, commune déléguée)", max_length=200, blank=True)

    class Meta:
        verbose_name = "code postal"
        verbose_name_plural = "codes postaux"
        ordering = ["code", "insee_code", "line_5"]
        constraints = [
            models.UniqueConstraint(
                fields=["insee_code", "code", "line_5"], name="unique_postal_code_row"
            )
        ]

    def __str__(self):
        return f"{self.code} {self.commune_name}"


# --- Fixed broadband coverage (ARCEP) -------------------------------------------------------


class CoverageLevel(models.TextChoices):
    COMMUNE = "commune", "commune"
    EPCI = "epci", "EPCI"
    DEPARTEMENT = "departement", "département"


class CoverageSnapshot(models.Model):
    """One territory's fibre figures for one quarter, as published in one ARCEP edition.

    A new edition adds rows (new quarters, or revised values of old ones) and never overwrites
    an earlier edition's; the figures of a quarter are those of the newest edition giving them.
    The two observatoire files fill different fields: `ftthCommunes` the premises ready for
    fibre per quarter, `communes` the premises (dwellings + business premises) of the edition.
    """

    level = models.CharField("échelon", max_length=12, choices=CoverageLevel.choices)
    code = models.CharField("code INSEE ou SIREN", max_length=9)
    name = models.CharField("nom", max_length=200, blank=True)
    period = models.DateField("trimestre (premier jour)")
    edition = models.DateField("édition (trimestre le plus récent du fichier)")
    ftth_ready = models.PositiveIntegerField("locaux raccordables (FttH)", null=True)
    category = models.PositiveSmallIntegerField("catégorie ARCEP", null=True)
    dwellings = models.PositiveIntegerField("logements", null=True)
    businesses = models.PositiveIntegerField("établissements", null=True)
    epci_siren = models.CharField("SIREN de l'EPCI (publié)", max_length=9, blank=True)
    zoning = models.JSONField("zonage (zones très denses, L. 33-13, rural…)", default=dict)
    operators = models.CharField("opérateurs d'infrastructure", max_length=200, blank=True)
    source_file = models.CharField("fichier", max_length=255, blank=True)
    imported_at = models.DateTimeField("importé le", auto_now_add=True)

    class Meta:
        verbose_name = "relevé de couverture fibre"
        verbose_name_plural = "relevés de couverture fibre"
        ordering = ["level", "code", "period", "edition"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "code", "period", "edition"], name="unique_coverage_snapshot"
            )
        ]
        indexes = [models.Index(fields=["level", "period", "code"], name="coverage_period_idx")]

    def __str__(self):
        from .coverage import Quarter

        return f"{self.code} {Quarter.from_date(self.period)} (édition {self.edition:%Y-%m})"


class EligibilitySnapshot(models.Model):
    """Premises of a commune eligible per technology and speed class ("Ma connexion internet").

    The counts are kept under the file's own column names (`elig_ftth`, `elig_cu_8`…) because
    technologies overlap and the set of columns varies between files.
    """

    code = models.CharField("code INSEE", max_length=5)
    name = models.CharField("nom", max_length=200, blank=True)
    date = models.DateField("date des données")
    theme = models.CharField("type (thème du fichier)", max_length=60, blank=True)
    premises = models.PositiveIntegerField("locaux", null=True)
    counts = models.JSONField("locaux éligibles par colonne", default=dict)
    imported_at = models.DateTimeField("importé le", auto_now_add=True)

    class Meta:
        verbose_name = "éligibilité par technologie"
        verbose_name_plural = "éligibilités par technologie"
        ordering = ["code", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["code", "date", "theme"], name="unique_eligibility")
        ]

    def __str__(self):
        return f"{self.code} {self.date} {self.theme}"


class BuildingState(models.TextChoices):
    DEPLOYED = "deploye", "déployé (raccordable)"
    ON_DEMAND = "raccordable_demande", "raccordable sur demande"
    IN_PROGRESS = "en_cours", "en cours de déploiement"
    SIGNED = "signe", "signé"
    TARGET = "cible", "cible"
    ABANDONED = "abandonne", "abandonné"
    UNKNOWN = "inconnu", "inconnu"


class Building(models.Model):
    """A building of the per-building files (operators' IPE, ARCEP "immeubles")."""

    identifier = models.CharField("identifiant immeuble", max_length=80, unique=True)
    location = models.PointField("position", srid=settings.STORAGE_SRID, spatial_index=False)
    commune_code = models.CharField("code INSEE (courant)", max_length=5, db_index=True)
    state = models.CharField(
        "état du déploiement", max_length=20, choices=BuildingState.choices, db_index=True
    )
    state_label = models.CharField("état publié", max_length=60, blank=True)
    dwellings = models.PositiveIntegerField("logements", null=True)
    premises_class = models.CharField("catégorie de locaux", max_length=30, blank=True)
    address = models.CharField("adresse", max_length=300, blank=True)
    pm_reference = models.CharField("point de mutualisation", max_length=80, blank=True)
    pm_state = models.CharField("état du PM", max_length=40, blank=True)
    operator = models.CharField("opérateur", max_length=40, blank=True)
    source = models.CharField("source", max_length=20)
    source_date = models.DateField("date de la source", null=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    class Meta:
        verbose_name = "immeuble"
        ordering = ["identifier"]
        indexes = [GistIndex(fields=["location"], name="building_location_gist")]

    def __str__(self):
        return self.identifier


class CoverageReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The reports `user` follows and downloads: their own (every one, for hub
        administrators) whose communes all lie within the départements their préfecture, DSDEN
        or administrator roles cover. Outside answers 404."""
        from accounts import roles
        from accounts.rules import is_hub_admin, territory

        if not user.is_authenticated:
            return self.none()
        area = territory(user, roles.HUB_ADMINS, roles.PREFECTURE_STAFF, roles.DSDEN_STAFF)
        mine = self if is_hub_admin(user) else self.filter(job__requested_by=user)
        if area.national or not area:
            return mine if area.national else self.none()
        return mine.filter(pk__in=[r.pk for r in mine if r.within(area.departements)])


class CoverageReport(models.Model):
    """A préfecture coverage report: what was asked; its `job` builds it (state, progress, file)."""

    job = models.OneToOneField("hub.Job", models.CASCADE, related_name="coverage_report")
    parameters = models.JSONField("territoire, trimestre et format")
    title = models.CharField("titre", max_length=300, blank=True)

    objects = CoverageReportQuerySet.as_manager()

    class Meta:
        verbose_name = "rapport de couverture"
        verbose_name_plural = "rapports de couverture"
        ordering = ["-job__created_at"]

    def __str__(self):
        return self.title or f"rapport {self.pk}"

    @classmethod
    def request(cls, user, parameters: dict, title: str) -> "CoverageReport":
        """A report asked by `user`, waiting for its job to run."""
        from hub.models import Job

        job = Job.objects.create(kind="coverage_report", title=title, requested_by=user)
        return cls.objects.create(job=job, parameters=parameters, title=title)

    def within(self, departements) -> bool:
        """Whether every commune of the report lies in `departements`."""
        asked = self.parameters
        if asked.get("departement"):
            return asked["departement"] in departements
        communes = Commune.objects.filter(
            Q(epci__siren=asked["epci"])
            if asked.get("epci")
            else Q(code__in=asked.get("communes") or [])
        )
        found = set(communes.values_list("departement__code", flat=True))
        return bool(found) and found <= set(departements)
