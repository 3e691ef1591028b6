"""Read API of the indicators: the registry, and an indicator's values per level as JSON, CSV
or GeoJSON. Public indicators are open data; staff-only ones answer only their readers, within
their territory (`Value.objects.visible_to`). A withheld value never carries a figure."""

import csv
import io
import json

from django.db import connection
from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from cartography.api import DEFAULT_ZOOM, SIMPLIFIED, simplification
from cartography.models import EPCI, Commune, Departement
from cartography.services import normalize_departement_code
from hub.api import GeoJSONRenderer
from hub.exports import safe_row

from .models import Indicator, Level, Value, ValueStatus, circonscription_code


class CSVRenderer(BaseRenderer):
    """`?format=csv`: the view answers the file itself; this only lets DRF accept the format."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return json.dumps(data, ensure_ascii=False).encode()  # errors only (400, 404)


class IndicatorSerializer(serializers.ModelSerializer):
    themes = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    audiences = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    values_url = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = [
            "code", "name", "definition", "method", "unit", "precision", "polarity", "levels",
            "aggregation", "sources", "source_vintage", "small_count_threshold", "obtained",
            "is_public", "themes", "audiences", "method_version", "values_url",
        ]  # fmt: skip

    def get_values_url(self, indicator) -> str:
        return self.context["request"].build_absolute_uri(
            f"/api/indicators/{indicator.code}/values/"
        )


class IndicatorViewSet(viewsets.GenericViewSet):
    """The registry: every indicator the reader may see, with its definition, method, unit,
    levels, aggregation rule, sources and small-count threshold (a ViewSet, so the API's root
    lists it)."""

    permission_classes = [AllowAny]  # public indicators are open data; the rest is filtered
    serializer_class = IndicatorSerializer
    pagination_class = None

    def get_queryset(self):
        return Indicator.objects.visible_to(self.request.user).prefetch_related(
            "themes", "audiences"
        )

    @extend_schema(
        responses={200: IndicatorSerializer(many=True)},
        description="Le registre des indicateurs que vous pouvez consulter : définition, "
        "méthode, unité, niveaux, règle d’agrégation, sources et seuil du secret statistique.",
    )
    def list(self, request):
        data = self.get_serializer(self.get_queryset(), many=True).data
        return Response({"count": len(data), "results": data})


class ValuesQuery(serializers.Serializer):
    level = serializers.ChoiceField(Level.choices, default=Level.COMMUNE)
    departement = serializers.CharField(
        required=False, help_text="code INSEE : les territoires de ce département"
    )
    period = serializers.CharField(
        required=False, help_text="« 2026 », « T1 2018 », « 2025-2026 » ; défaut : la dernière"
    )

    def validate_departement(self, value):
        try:
            return normalize_departement_code(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc


def codes_in_departement(level: str, departement: str):
    """Territory codes of `level` in the département (EPCI: those with a commune in it); for
    communes and EPCI a subquery, cheaper than hundreds of codes sent back to the database."""
    from equipment.models import Circonscription

    communes = Commune.objects.filter(departement__code=departement)
    if level == Level.COMMUNE:
        return communes.values_list("code", flat=True)
    if level == Level.EPCI:
        return communes.exclude(epci=None).values_list("epci__siren", flat=True).distinct()
    if level == Level.CIRCONSCRIPTION:
        circonscriptions = Circonscription.objects.filter(departement_code=departement)
        return [circonscription_code(c) for c in circonscriptions]
    if level == Level.DEPARTEMENT:
        return [departement]
    return ["FR"]


def territory_names(level: str, codes: list[str]) -> dict[str, str]:
    from equipment.models import Circonscription

    if level == Level.COMMUNE:
        return dict(Commune.objects.filter(code__in=codes).values_list("code", "name"))
    if level == Level.EPCI:
        return dict(EPCI.objects.filter(siren__in=codes).values_list("siren", "name"))
    if level == Level.DEPARTEMENT:
        return dict(Departement.objects.filter(code__in=codes).values_list("code", "name"))
    if level == Level.CIRCONSCRIPTION:
        return {circonscription_code(c): c.name for c in Circonscription.objects.all()}
    return {"FR": "France"}


def value_json(value: Value, names: dict, precision: int) -> dict:
    shown = value.status != ValueStatus.WITHHELD
    figure = None if value.value is None or not shown else round(value.value, precision)
    return {
        "code": value.territory_code,
        "name": names.get(value.territory_code, ""),
        "period": value.period,
        "value": figure,
        "numerator": value.numerator if shown else None,
        "denominator": value.denominator if shown else None,
        "status": value.status,
        "status_label": value.get_status_display(),
        "missing_inputs": value.missing_inputs,
        "data_vintage": value.data_vintage,
        "geography_vintage": value.geography_vintage,
        "computed_at": value.computed_at.isoformat() if value.computed_at else None,
        "method_version": value.method_version,
    }


CSV_COLUMNS = [
    ("code", "code du territoire"),
    ("name", "nom"),
    ("period", "période"),
    ("value", "valeur"),
    ("status_label", "statut"),
    ("missing_inputs", "données manquantes"),
    ("data_vintage", "millésime des données"),
    ("geography_vintage", "géographie (COG)"),
    ("computed_at", "calculée le"),
    ("method_version", "version de la méthode"),
]

# Outlines simplified for a département's map, as the territory API draws them by default.
GEOMETRY_SQL = {
    Level.COMMUNE: f"SELECT code, {SIMPLIFIED.format('geometry')} FROM cartography_commune "
    "WHERE code = ANY(%s)",
    Level.EPCI: f"SELECT siren, {SIMPLIFIED.format('geometry')} FROM cartography_epci "
    "WHERE siren = ANY(%s)",
    Level.DEPARTEMENT: f"SELECT code, {SIMPLIFIED.format('geometry')} "
    "FROM cartography_departement WHERE code = ANY(%s)",
}


def csv_cell(item: dict, key: str):
    value = item[key]
    if key == "missing_inputs":
        return " | ".join(value)
    if key == "value" and value is not None:
        return str(value).replace(".", ",")
    return "" if value is None else value


class IndicatorValuesView(APIView):
    """An indicator's values at one level (commune, EPCI, circonscription, département, France)
    for one period (the newest by default), optionally within a département. Each value says
    its status: computed, imported, estimated (some inputs missing, listed), missing (listed,
    never 0) or withheld (it would describe fewer units than the indicator's threshold: no
    figure). `?format=csv` (`;`, UTF-8) or `?format=geojson` (outlines of communes, EPCI and
    départements)."""

    permission_classes = [AllowAny]  # open for public indicators; staff ones are filtered
    renderer_classes = [JSONRenderer, GeoJSONRenderer, CSVRenderer]

    @extend_schema(
        parameters=[
            ValuesQuery,
            OpenApiParameter("format", str, enum=["json", "csv", "geojson"], required=False),
        ],
        responses={200: OpenApiTypes.OBJECT},
        description="Les valeurs d’un indicateur à un niveau (commune, EPCI, circonscription, "
        "département, France) pour une période (la plus récente par défaut), éventuellement dans "
        "un département. Chaque valeur dit son état : calculée, importée, estimée (les entrées "
        "manquantes sont listées), manquante (jamais 0) ou couverte par le secret statistique "
        "(elle décrirait moins d’unités que le seuil de l’indicateur : pas de chiffre). "
        "`?format=csv` (`;`, UTF-8) ou `?format=geojson` (contours des territoires).",
    )
    def get(self, request, code):
        indicator = Indicator.objects.visible_to(request.user).filter(code=code).first()
        if indicator is None:
            raise Http404("Indicateur inconnu.")
        query = ValuesQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        asked = query.validated_data
        level = asked["level"]
        if indicator.levels and level not in indicator.levels:
            known = ", ".join(indicator.levels)
            raise ValidationError({"level": [f"cet indicateur n’existe qu’aux échelons : {known}"]})
        fmt = getattr(request.accepted_renderer, "format", "")
        if fmt == "geojson" and level == Level.COMMUNE and not asked.get("departement"):
            raise ValidationError(  # 35 000 outlines in one answer: the tiles draw France
                {
                    "departement": [
                        "les contours de toutes les communes de France ne sont pas servis en "
                        f"GeoJSON : choisissez un département, ou les tuiles vectorielles "
                        f"/api/indicators/{indicator.code}/tiles/{{z}}/{{x}}/{{y}}.mvt"
                    ]
                }
            )
        values = Value.objects.visible_to(request.user).filter(indicator=indicator, level=level)
        if asked.get("departement"):
            values = values.filter(
                territory_code__in=codes_in_departement(level, asked["departement"])
            )
        periods = sorted(set(values.values_list("period", flat=True)), key=period_key, reverse=True)
        period = asked.get("period") or (periods[0] if periods else None)
        if periods and period not in periods:
            raise ValidationError(
                {
                    "period": [
                        f"aucune valeur pour cette période (disponibles : {', '.join(periods)})"
                    ]
                }
            )
        values = list(values.filter(period=period).order_by("territory_code"))
        names = territory_names(level, [v.territory_code for v in values])
        items = [value_json(v, names, indicator.precision) for v in values]
        envelope = {
            "indicator": indicator.code,
            "name": indicator.name,
            "unit": indicator.unit,
            "level": level,
            "period": period,
            "periods": periods,
            "count": len(items),
        }
        if fmt == "csv":
            return csv_response(indicator, level, period, items)
        if fmt == "geojson":
            return geojson_response(level, envelope, items)
        return Response({**envelope, "results": items})


def period_key(period: str):
    """Newest first: "T1 2018" after "T4 2017", "2025-2026" after "2024-2025"."""
    digits = [int(part) for part in period.replace("-", " ").split() if part.isdigit()]
    quarter = int(period[1]) if period[:1] == "T" and period[1:2].isdigit() else 0
    return (digits[0] if digits else 0, quarter, period)


def csv_response(indicator, level, period, items) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([label for _, label in CSV_COLUMNS])
    for item in items:
        writer.writerow(safe_row(csv_cell(item, key) for key, _ in CSV_COLUMNS))
    response = HttpResponse(("\ufeff" + out.getvalue()).encode(), content_type="text/csv")
    filename = f"{indicator.code}-{level}-{period or 'aucune'}.csv".replace(" ", "-")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def geojson_response(level, envelope, items) -> HttpResponse:
    shapes = {}
    if level in GEOMETRY_SQL and items:
        with connection.cursor() as cursor:
            cursor.execute(
                GEOMETRY_SQL[level],
                [*simplification(DEFAULT_ZOOM), [item["code"] for item in items]],
            )
            shapes = dict(cursor.fetchall())
    # PostGIS's GeoJSON text is spliced in as it is: parsing and re-serialising hundreds of
    # outlines made a département's map ten times slower than the SQL producing it.
    features = ",".join(
        '{{"type": "Feature", "id": {}, "geometry": {}, "properties": {}}}'.format(
            json.dumps(item["code"]),
            shapes.get(item["code"]) or "null",
            json.dumps(item, ensure_ascii=False),
        )
        for item in items
    )
    head = json.dumps({"type": "FeatureCollection", **envelope}, ensure_ascii=False)[:-1]
    body = f'{head}, "features": [{features}]}}'
    return HttpResponse(body, content_type="application/geo+json")
