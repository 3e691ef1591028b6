"""Public read API of the directory (JSON and GeoJSON, the directory's filters, bbox) and the
standard export; writes are not opened here (the API denies by default)."""

import json

from django.conf import settings
from django.db import connection
from django.db.models import Prefetch
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView
from rest_framework_gis.pagination import GeoJsonPagination
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from cartography.models import Departement
from hub.api import GeoJSONRenderer
from hub.links import http_url_validator

from . import standard
from .directory import DirectoryForm, distance_km, search
from .exporters import write_csv
from .models import Place, Stop

# Places, then the stops of the itinerant ones (a stop links to its place: `place`).
FEATURES_SQL = """
    SELECT coalesce(json_agg(feature ORDER BY kind, id), '[]')::text FROM (
        SELECT 0 AS kind, p.id, json_build_object(
            'id', p.id,
            'type', 'Feature',
            'geometry', ST_AsGeoJSON(p.location, 6)::json,
            'properties', json_build_object(
                'name', p.name, 'commune', c.name, 'location_approximate', p.location_approximate)
        ) AS feature
        FROM actors_place p LEFT JOIN cartography_commune c ON c.id = p.commune_id
        WHERE p.id = ANY(%(ids)s)
        UNION ALL
        SELECT 1, s.id, json_build_object(
            'id', 'arret-' || s.id,
            'type', 'Feature',
            'geometry', ST_AsGeoJSON(s.location, 6)::json,
            'properties', json_build_object(
                'name', p.name, 'commune', c.name, 'place', p.id, 'stop', s.label)
        )
        FROM actors_stop s JOIN actors_place p ON p.id = s.place_id
        JOIN cartography_commune c ON c.id = s.commune_id
        WHERE s.place_id = ANY(%(ids)s) AND s.location IS NOT NULL
    ) AS features
"""


class StopSerializer(serializers.ModelSerializer):
    commune = serializers.CharField(source="commune.name")
    code_insee = serializers.CharField(source="commune.code")
    latitude = serializers.SerializerMethodField()
    longitude = serializers.SerializerMethodField()

    class Meta:
        model = Stop
        fields = ["commune", "code_insee", "label", "opening_hours", "latitude", "longitude"]

    def get_latitude(self, stop) -> float | None:
        return stop.location.y if stop.location else None

    def get_longitude(self, stop) -> float | None:
        return stop.location.x if stop.location else None


class PlaceSerializer(serializers.ModelSerializer):
    commune = serializers.CharField(source="commune.name", default=None)
    code_insee = serializers.CharField(source="commune.code", default=None)
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    services = serializers.SerializerMethodField()
    distance = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    accompaniment_level_label = serializers.CharField(
        source="get_accompaniment_level_display", default=None
    )
    stops = StopSerializer(many=True, read_only=True)

    class Meta:
        model = Place
        fields = [
            "id", "name", "address", "postal_code", "commune", "code_insee", "latitude",
            "longitude", "location_approximate", "phone", "website", "opening_hours",
            "summary", "services", "accompaniment_level", "accompaniment_level_label",
            "itinerance", "stops", "distance", "url",
        ]  # fmt: skip

    def get_services(self, place) -> list[str]:
        return [o.service for o in place.offers.all() if o.service]

    def get_distance(self, place) -> str | None:
        return distance_km(place)

    def get_url(self, place) -> str:
        return self.context["request"].build_absolute_uri(f"/lieux/{place.pk}/")


class PlaceWriteSerializer(serializers.ModelSerializer):
    """What a member may change through the API; opening hours must be valid OSM syntax."""

    class Meta:
        model = Place
        fields = [
            "name", "address", "address_complement", "postal_code", "phone", "website",
            "appointment_url", "summary", "description", "opening_hours",
        ]  # fmt: skip
        # Shown as links on the public page: http(s) only, like imported addresses.
        extra_kwargs = {
            "website": {"validators": [http_url_validator]},
            "appointment_url": {"validators": [http_url_validator]},
        }

    def validate_postal_code(self, value):
        code = standard.postal_code(value)
        if code is None:
            raise serializers.ValidationError(f"code postal impossible « {value} » : 5 chiffres")
        return code

    def validate_phone(self, value):
        phone = standard.phone_number(value)
        if phone is None:
            raise serializers.ValidationError(
                f"numéro de téléphone impossible « {value} » : {standard.PHONE_HELP}"
            )
        return phone

    def validate_opening_hours(self, value):
        from .importers.places import opening_hours_valid

        if not opening_hours_valid(value):
            raise serializers.ValidationError(
                "horaires illisibles : syntaxe OpenStreetMap attendue, par ex. « Mo-Fr 09:00-12:00 »"
            )
        return value

    def update(self, instance, validated_data):
        if "opening_hours" in validated_data:
            instance.opening_hours_valid = True
        return super().update(instance, validated_data)


class CanEditPlace(permissions.BasePermission):
    """Reading is public; changing a place is for its structure's members and hub admins."""

    message = "Seuls les membres de la structure de ce lieu peuvent le modifier."

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or request.user.is_authenticated

    def has_object_permission(self, request, view, obj):
        return request.method in permissions.SAFE_METHODS or request.user.has_perm(
            "actors.edit_place", obj
        )


class PlaceFeatureSerializer(GeoFeatureModelSerializer):
    """Minimal properties for the map; details are loaded on click."""

    commune = serializers.CharField(source="commune.name", default=None)

    class Meta:
        model = Place
        geo_field = "location"
        fields = ["id", "name", "commune", "location_approximate"]


class PlacePagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 500


class PlaceFeaturePagination(GeoJsonPagination):
    page_size = 2000
    page_size_query_param = "page_size"
    max_page_size = 5000


@extend_schema(
    description="Les lieux d’aide au numérique. Filtres : ceux de l’annuaire public (`besoin`, "
    "`public`, `frais`, `modalite`, `programme`, `ouvert_maintenant`, `lieu` (commune, code "
    "postal ou adresse), `insee` (une commune par son code INSEE), `distance`, `lat`/`lon`, "
    "`epci`, `niveau` (niveau d’accompagnement, de 1 à 3), `q`, `hors_territoire`) et `bbox` "
    "(ouest,sud,est,nord) ; un lieu itinérant est aussi trouvé par ses étapes. "
    "`?format=geojson` pour une FeatureCollection (les étapes des lieux itinérants y sont des "
    "objets portant `place` et `stop`). Les membres de la structure d’un lieu peuvent le "
    "modifier (PATCH), connectés par la session du site ou par un jeton."
)
class PlaceViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Places of digital inclusion. Filters: those of the public directory (`besoin`, `public`,
    `frais`, `modalite`, `programme`, `ouvert_maintenant`, `lieu`, `insee`, `distance`,
    `lat`/`lon`, `epci`, `niveau` (level of accompaniment, 1 to 3), `q`, `hors_territoire`) and `bbox`
    (west,south,east,north); an itinerant place is found by its stops too. `?format=geojson`
    for a FeatureCollection (the stops of itinerant places as features with `place` and `stop`).
    Members of a place's structure may PATCH it (session or token authentication)."""

    permission_classes = [CanEditPlace]  # public reading, members' writes, opened on purpose
    renderer_classes = [JSONRenderer, GeoJSONRenderer]
    filter_backends = []

    def get_queryset(self):
        details = ("offers", Prefetch("stops", queryset=Stop.objects.select_related("commune")))
        if self.action != "list":
            return Place.objects.select_related("commune").prefetch_related(*details)
        departement = Departement.objects.filter(code=settings.HUB_DEFAULT_DEPARTEMENT).first()
        form = DirectoryForm(self.request.query_params, departement=departement)
        if not form.is_valid():
            raise ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
        return search(form.cleaned_data).places.prefetch_related(*details)

    @property
    def geojson(self) -> bool:
        renderer = getattr(
            self.request, "accepted_renderer", None
        )  # absent when drawing the schema
        return getattr(renderer, "format", "") == "geojson"

    def list(self, request, *args, **kwargs):
        if not self.geojson:
            return super().list(request, *args, **kwargs)
        # The map layer, with minimal properties (details load on click), is written by
        # PostgreSQL itself: building thousands of features in Python costs ten times the query.
        ids = self.paginator.paginate_queryset(
            self.get_queryset().order_by("pk").values_list("pk", flat=True), request, view=self
        )
        with connection.cursor() as cursor:
            cursor.execute(FEATURES_SQL, {"ids": list(ids)})
            features = cursor.fetchone()[0]
        envelope = json.dumps(
            {
                "type": "FeatureCollection",
                "count": self.paginator.page.paginator.count,
                "next": self.paginator.get_next_link(),
                "previous": self.paginator.get_previous_link(),
            }
        )
        body = envelope[:-1] + ', "features": ' + features + "}"
        return HttpResponse(body, content_type="application/geo+json")

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return PlaceWriteSerializer
        return PlaceFeatureSerializer if self.geojson else PlaceSerializer

    @property
    def paginator(self):
        if not hasattr(self, "_paginator"):
            self._paginator = PlaceFeaturePagination() if self.geojson else PlacePagination()
        return self._paginator


class PlaceExportView(APIView):
    """All places in the national standard v1.0.2, as CSV."""

    permission_classes = [AllowAny]

    @extend_schema(
        responses={(200, "text/csv"): OpenApiTypes.STR},
        description="Tous les lieux au format du standard national des lieux de médiation "
        "numérique (v1.0.2), en CSV.",
    )
    def get(self, request):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="lieux-mediation-numerique.csv"'
        write_csv(response)
        return response
