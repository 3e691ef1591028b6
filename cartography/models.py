"""Territories keyed on official INSEE / SIREN codes, and the COG history of commune codes."""

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.gis.db.models import Union
from django.contrib.postgres.indexes import GistIndex
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce


class Departement(models.Model):
    code = models.CharField("code INSEE", max_length=3, unique=True)
    name = models.CharField("nom", max_length=100)
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
    name = models.CharField("raison sociale", max_length=200)
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
    name = models.CharField("nom", max_length=200)
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
