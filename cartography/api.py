"""Public read-only API of the territory, in GeoJSON: communes and EPCI, filtered by département."""

import django_filters
from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework_gis.fields import GeometryField
from rest_framework_gis.pagination import GeoJsonPagination
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from .models import EPCI, Commune
from .services import normalize_departement_code


def validate_departement(value: str) -> None:
    try:
        normalize_departement_code(value)
    except ValueError as exc:
        # The message quotes what was typed: passed as a parameter, a "%" in it is not read as a
        # formatting directive (django-filter %-formats every message).
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

    class Meta:
        model = Commune
        fields = ["departement", "epci", "q"]

    def filter_departement(self, queryset, name, value):
        return queryset.in_departement(normalize_departement_code(value))

    def filter_search(self, queryset, name, value):
        return queryset.search(value)


class CommuneSerializer(GeoFeatureModelSerializer):
    departement = serializers.CharField(source="departement.code")
    epci = serializers.CharField(source="epci.siren", allow_null=True, default=None)
    epci_name = serializers.CharField(source="epci.name", allow_null=True, default=None)

    class Meta:
        model = Commune
        geo_field = "geometry"
        id_field = "code"
        fields = ["code", "name", "population", "departement", "epci", "epci_name"]


class CommuneViewSet(viewsets.ReadOnlyModelViewSet):
    """Current communes (COG) with their municipal population and EPCI."""

    permission_classes = [AllowAny]  # public territorial data, opened on purpose
    serializer_class = CommuneSerializer
    pagination_class = TerritoryPagination
    filterset_class = CommuneFilter
    lookup_field = "code"
    queryset = Commune.objects.select_related("departement", "epci").order_by("code")


class EPCIFilter(django_filters.FilterSet):
    departement = django_filters.CharFilter(
        method="filter_departement", validators=[validate_departement], label="code du département"
    )

    class Meta:
        model = EPCI
        fields = ["departement"]

    def filter_departement(self, queryset, name, value):
        return queryset.in_departement(normalize_departement_code(value))


@extend_schema_field({"type": "object", "description": "GeoJSON (Multi)Polygon"})
class OutlineField(GeometryField):
    pass


class EPCISerializer(GeoFeatureModelSerializer):
    seat_departement = serializers.CharField(source="seat_departement_code")
    communes_count = serializers.IntegerField()
    population = serializers.IntegerField(allow_null=True)
    # The annotated outline: only the members in the asked département when one is given.
    geometry = OutlineField(source="outline")

    class Meta:
        model = EPCI
        geo_field = "geometry"
        id_field = "siren"
        fields = ["siren", "name", "legal_form", "seat_departement", "communes_count", "population"]


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
        return EPCI.objects.with_members(departement).order_by("name")
