"""Public read-only API of the territory, in GeoJSON: communes and EPCI, filtered by département.

Outlines are simplified for the map's zoom (`zoom`, 9 by default: a département on a screen),
and answered with an ETag that changes when the territory does (hub/caching.py)."""

import json
import math

import django_filters
from django.conf import settings
from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.db.models.functions import AsGeoJSON, GeoFunc
from django.contrib.gis.geos import Polygon
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ValidationError
from django.db.models import FloatField, OuterRef, Value
from django.utils.decorators import method_decorator
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework_gis.pagination import GeoJsonPagination
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from hub.api import parse_bbox
from hub.caching import layer_cache

from .models import EPCI, Commune, PostalCode
from .services import normalize_departement_code

DEFAULT_ZOOM = 9
MAX_ZOOM = 18
ZOOM_PARAMETER = OpenApiParameter(
    "zoom",
    int,
    description=f"niveau de zoom de la carte (0 à {MAX_ZOOM}, {DEFAULT_ZOOM} par défaut) : les "
    "contours sont simplifiés au pixel près à ce zoom",
)


class SimplifyPreserveTopology(GeoFunc):
    function = "ST_SimplifyPreserveTopology"
    template = "ST_Multi(%(function)s(%(expressions)s))"  # outlines stay multi-polygons
    output_field = GeometryField(srid=settings.STORAGE_SRID)


# The same in raw SQL: `SIMPLIFIED.format(column)`, its first two parameters `simplification()`'s.
SIMPLIFIED = "ST_AsGeoJSON(ST_Multi(ST_SimplifyPreserveTopology({}, %s)), %s)"


def simplification(zoom: int) -> tuple[float, int]:
    """The tolerance (one pixel at `zoom`, in degrees) and the decimals that pixel needs (a
    third of a pixel at most: 3 decimals at zoom 9, 110 m for a 300 m pixel)."""
    pixels_per_degree = 256 * 2**zoom / 360
    return 1 / pixels_per_degree, max(math.ceil(math.log10(pixels_per_degree)), 1)


def outline_at_zoom(request, field: str):
    """The GeoJSON text of `field` simplified to one pixel at the `zoom` the request asks for."""
    text = request.query_params.get("zoom", "")
    try:
        zoom = int(text) if text else DEFAULT_ZOOM
        if not 0 <= zoom <= MAX_ZOOM:
            raise ValueError
    except ValueError:
        raise exceptions.ValidationError(
            {"zoom": [f"« {text} » n'est pas un niveau de zoom : un entier de 0 à {MAX_ZOOM}."]}
        ) from None
    tolerance, decimals = simplification(zoom)
    tolerance = Value(tolerance, output_field=FloatField())
    return AsGeoJSON(SimplifyPreserveTopology(field, tolerance), precision=decimals)


def validate_departement(value: str) -> None:
    try:
        normalize_departement_code(value)
    except ValueError as exc:
        # The message quotes what was typed: passed as a parameter, a "%" in it is not read as a
        # formatting directive (django-filter %-formats every message).
        raise ValidationError("%(reason)s", params={"reason": str(exc)}) from exc


def validate_bbox(value: str) -> None:
    try:
        parse_bbox(value)
    except ValueError as exc:
        raise ValidationError("%(reason)s", params={"reason": str(exc)}) from exc


class TerritoryPagination(GeoJsonPagination):
    page_size = 1000
    page_size_query_param = "page_size"
    max_page_size = 5000


class CommuneFilter(django_filters.FilterSet):
    departement = django_filters.CharFilter(
        method="filter_departement", validators=[validate_departement], label="code du département"
    )
    epci = django_filters.CharFilter(field_name="epci__siren", label="SIREN de l'EPCI")
    q = django_filters.CharFilter(method="filter_search", label="nom ou code INSEE")
    bbox = django_filters.CharFilter(
        method="filter_bbox",
        validators=[validate_bbox],
        label="ouest,sud,est,nord en degrés : les communes qui touchent ce rectangle",
    )

    class Meta:
        model = Commune
        fields = ["departement", "epci", "q", "bbox"]

    def filter_bbox(self, queryset, name, value):
        # A close zoom asks for the outlines around the view only, not the whole département's.
        return queryset.filter(geometry__bboverlaps=Polygon.from_bbox(parse_bbox(value)))

    def filter_departement(self, queryset, name, value):
        return queryset.in_departement(normalize_departement_code(value))

    def filter_search(self, queryset, name, value):
        return queryset.search(value)


@extend_schema_field({"type": "object", "description": "GeoJSON (Multi)Polygon"})
class OutlineField(serializers.Field):
    """An outline already written as GeoJSON by PostGIS (`outline_at_zoom`)."""

    def to_representation(self, value):
        return json.loads(value) if value else None


class CommuneSerializer(GeoFeatureModelSerializer):
    departement = serializers.CharField(source="departement.code")
    geometry = OutlineField(source="outline_json")
    epci = serializers.CharField(source="epci.siren", allow_null=True, default=None)
    epci_name = serializers.CharField(source="epci.name", allow_null=True, default=None)
    # What people know a commune by, beside its name ("Cintray (28120)"), never its INSEE code.
    codes_postaux = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Commune
        geo_field = "geometry"
        id_field = "code"
        fields = [
            "code", "name", "population", "departement", "epci", "epci_name", "codes_postaux",
        ]  # fmt: skip


def postal_codes() -> ArraySubquery:
    """A commune's postal codes (La Poste), in one query with the communes."""
    codes = PostalCode.objects.filter(commune=OuterRef("pk")).order_by("code").values("code")
    return ArraySubquery(codes.distinct())


@extend_schema(
    parameters=[ZOOM_PARAMETER],
    description="Les communes actuelles (code officiel géographique) avec leur population "
    "municipale et leur EPCI, en GeoJSON. Filtres : `departement`, `epci`, `q` (nom ou code "
    "INSEE) ; `zoom` simplifie les contours à la précision de la carte.",
)
@method_decorator(layer_cache("territory"), name="list")
@method_decorator(layer_cache("territory"), name="retrieve")
class CommuneViewSet(viewsets.ReadOnlyModelViewSet):
    """Current communes (COG) with their municipal population and EPCI."""

    permission_classes = [AllowAny]  # public territorial data, opened on purpose
    serializer_class = CommuneSerializer
    pagination_class = TerritoryPagination
    filterset_class = CommuneFilter
    lookup_field = "code"

    def get_queryset(self):
        return (
            Commune.objects.select_related("departement", "epci")
            # outlines come simplified, as text; the département's and EPCI's not at all
            .defer("geometry", "departement__geometry", "epci__geometry")
            .annotate(outline_json=outline_at_zoom(self.request, "geometry"))
            .annotate(codes_postaux=postal_codes())
            .order_by("code")
        )


class EPCIFilter(django_filters.FilterSet):
    departement = django_filters.CharFilter(
        method="filter_departement", validators=[validate_departement], label="code du département"
    )

    class Meta:
        model = EPCI
        fields = ["departement"]

    def filter_departement(self, queryset, name, value):
        return queryset.in_departement(normalize_departement_code(value))


class EPCISerializer(GeoFeatureModelSerializer):
    seat_departement = serializers.CharField(source="seat_departement_code")
    communes_count = serializers.IntegerField()
    population = serializers.IntegerField(allow_null=True)
    # The annotated outline: only the members in the asked département when one is given.
    geometry = OutlineField(source="outline_json")

    class Meta:
        model = EPCI
        geo_field = "geometry"
        id_field = "siren"
        fields = ["siren", "name", "legal_form", "seat_departement", "communes_count", "population"]


@extend_schema(
    parameters=[ZOOM_PARAMETER],
    description="Les intercommunalités (EPCI) en GeoJSON ; avec `departement`, seules leurs "
    "communes de ce département sont comptées et dessinées.",
)
@method_decorator(layer_cache("territory"), name="list")
@method_decorator(layer_cache("territory"), name="retrieve")
class EPCIViewSet(viewsets.ReadOnlyModelViewSet):
    """EPCI; with `departement`, only their members in that département are counted and drawn."""

    permission_classes = [AllowAny]
    serializer_class = EPCISerializer
    pagination_class = TerritoryPagination
    filterset_class = EPCIFilter
    lookup_field = "siren"

    def get_queryset(self):
        try:
            departement = normalize_departement_code(self.request.query_params["departement"])
        except (KeyError, ValueError):
            departement = None  # an invalid code is answered 400 by the filter
        return (
            EPCI.objects.with_members(departement)
            .defer("geometry")
            .annotate(outline_json=outline_at_zoom(self.request, "outline"))
            .order_by("name")
        )
