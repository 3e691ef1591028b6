"""Public read API of fibre coverage: figures per commune, EPCI or département for a quarter
(JSON or GeoJSON), buildings in a box, and the places of help in communes without fibre."""

import json

from django.db import connection
from django.http import HttpResponse
from django.utils.decorators import method_decorator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from hub.api import GeoJSONRenderer, parse_bbox
from hub.caching import layer_cache
from hub.registry import collect_callables

from .api import DEFAULT_ZOOM, SIMPLIFIED, simplification
from .coverage import CoverageFigures, Quarter, available_quarters, by_epci, commune_figures, total
from .models import CoverageLevel, Departement, EligibilitySnapshot
from .services import normalize_departement_code

MAX_BUILDINGS = 5000


class CoverageQuery(serializers.Serializer):
    level = serializers.ChoiceField(CoverageLevel.choices, default=CoverageLevel.COMMUNE)
    departement = serializers.CharField(required=False)
    epci = serializers.CharField(required=False, help_text="SIREN : les communes de cet EPCI")
    period = serializers.CharField(required=False, help_text="« T1 2018 » ; défaut : le dernier")

    def validate_departement(self, value):
        try:
            return normalize_departement_code(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc

    def validate_period(self, value):
        try:
            return Quarter.parse(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc

    def validate(self, data):
        if data["level"] != CoverageLevel.DEPARTEMENT and not (
            data.get("departement") or data.get("epci")
        ):
            raise serializers.ValidationError(
                {"departement": "précisez un département (ou un EPCI) pour cet échelon"}
            )
        return data


def asked_scope(request) -> tuple[dict, list[str], list[Quarter], Quarter]:
    """Check the query; the asked communes, their quarters with data and the one asked (the
    newest by default). A quarter without data is a 400 naming those that have some."""
    query = CoverageQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    asked = query.validated_data
    codes = communes_in(asked.get("departement"), asked.get("epci"))
    quarters = available_quarters(codes)
    quarter = asked.get("period") or (quarters[0] if quarters else None)
    if quarter is None or quarter not in quarters:
        known = ", ".join(str(q) for q in quarters[:12]) or "aucun"
        raise ValidationError(
            {"period": f"pas de données pour ce trimestre (disponibles : {known})"}
        )
    return asked, codes, quarters, quarter


def communes_in(departement: str | None, epci: str | None) -> list[str]:
    from .models import Commune

    communes = Commune.objects.all()
    if departement:
        communes = communes.filter(departement__code=departement)
    if epci:
        communes = communes.filter(epci__siren=epci)
    return list(communes.values_list("code", flat=True))


def figures_json(f: CoverageFigures) -> dict:
    return {
        "code": f.code,
        "name": f.name,
        "premises": f.premises,
        "ftth_ready": f.ftth_ready,
        "rate": None if f.rate is None else round(f.rate, 4),
        "previous_rate": None if f.previous_rate is None else round(f.previous_rate, 4),
        "without_fibre": f.without_fibre,
        "category": f.category if not f.members else None,
        "epci": f.epci_siren or None,
        "epci_name": f.epci_name or None,
        "communes": f.communes,
    }


def latest_eligibility(codes: list[str], quarter: Quarter) -> dict[str, dict]:
    """Each commune's newest "Ma connexion internet" counts up to the quarter's end."""
    end = Quarter(quarter.year + (quarter.number == 4), quarter.number % 4 + 1).start
    rows = (
        EligibilitySnapshot.objects.filter(code__in=codes, date__lt=end)
        .order_by("code", "theme", "-date")
        .distinct("code", "theme")
    )
    out: dict[str, dict] = {}
    for e in rows:
        out.setdefault(e.code, {"date": e.date.isoformat(), "premises": e.premises, "by": {}})
        out[e.code]["by"][e.theme or "ensemble"] = e.counts
    return out


# Outlines simplified for a département's map (the territory API's default zoom).
GEOMETRY_SQL = {
    CoverageLevel.COMMUNE: f"SELECT code, {SIMPLIFIED.format('geometry')} "
    "FROM cartography_commune WHERE code = ANY(%s)",
    CoverageLevel.DEPARTEMENT: f"SELECT code, {SIMPLIFIED.format('geometry')} "
    "FROM cartography_departement WHERE code = ANY(%s)",
    # an EPCI's part inside the asked département(s): the union of its member communes there
    CoverageLevel.EPCI: f"SELECT e.siren, {SIMPLIFIED.format('ST_Union(c.geometry)')} "
    "FROM cartography_commune c JOIN cartography_epci e ON e.id = c.epci_id "
    "WHERE c.code = ANY(%s) GROUP BY e.siren",
}


@method_decorator(layer_cache("coverage", "territory"), name="get")
class CoverageView(APIView):
    """Fibre coverage for a quarter: premises, premises ready for fibre (FttH), rate, the
    previous quarter's rate and ARCEP's category, per commune, EPCI or département. Figures of
    an EPCI or a département are the sums of their communes in the hub. `?format=geojson` for a
    FeatureCollection with outlines; commune results carry "Ma connexion internet" counts
    when imported."""

    permission_classes = [AllowAny]  # open data, opened on purpose
    renderer_classes = [JSONRenderer, GeoJSONRenderer]

    @extend_schema(
        parameters=[
            CoverageQuery,
            OpenApiParameter("format", str, enum=["json", "geojson"], required=False),
        ],
        responses={200: OpenApiTypes.OBJECT},
        description="La couverture en fibre optique (FttH) d’un trimestre : locaux, locaux "
        "raccordables, taux, taux du trimestre précédent et catégorie de l’ARCEP, par commune, "
        "EPCI ou département. Les chiffres d’un EPCI ou d’un département sont les sommes de "
        "leurs communes présentes dans le hub. `?format=geojson` pour une FeatureCollection avec "
        "les contours ; les communes portent les chiffres de « Ma connexion internet » quand "
        "ils ont été importés.",
    )
    def get(self, request):
        asked, codes, quarters, quarter = asked_scope(request)
        level = asked["level"]
        communes = commune_figures(codes, quarter)
        if level == CoverageLevel.COMMUNE:
            results = communes
        elif level == CoverageLevel.EPCI:
            results = [e for e in by_epci(communes) if e.code]
        else:
            names = dict(Departement.objects.values_list("code", "name"))
            groups: dict[str, list] = {}
            for commune in communes:
                groups.setdefault(commune.departement, []).append(commune)
            results = [total(code, names.get(code, code), m) for code, m in sorted(groups.items())]
        items = [figures_json(f) for f in results]
        if level == CoverageLevel.COMMUNE:
            eligibility = latest_eligibility(codes, quarter)
            for item in items:
                item["eligibility"] = eligibility.get(item["code"])
        envelope = {
            "level": level,
            "period": str(quarter),
            "previous_period": str(quarter.previous()),
            "periods": [str(q) for q in quarters],
            "count": len(items),
        }
        if getattr(request.accepted_renderer, "format", "") != "geojson":
            return Response({**envelope, "results": items})
        with connection.cursor() as cursor:
            cursor.execute(
                GEOMETRY_SQL[level],
                [
                    *simplification(DEFAULT_ZOOM),
                    codes if level == CoverageLevel.EPCI else [i["code"] for i in items],
                ],
            )
            shapes = dict(cursor.fetchall())
        features = [
            {
                "type": "Feature",
                "id": item["code"],
                "geometry": json.loads(shapes[item["code"]]) if shapes.get(item["code"]) else None,
                "properties": item,
            }
            for item in items
        ]
        body = {"type": "FeatureCollection", **envelope, "features": features}
        return HttpResponse(
            json.dumps(body, ensure_ascii=False), content_type="application/geo+json"
        )


class BBoxQuery(serializers.Serializer):
    bbox = serializers.CharField(help_text="ouest,sud,est,nord en degrés (WGS84)")

    def validate_bbox(self, value):
        try:
            return parse_bbox(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc


BUILDINGS_SQL = """
    SELECT count(*) OVER (), json_build_object(
        'type', 'Feature', 'id', b.identifier,
        'geometry', ST_AsGeoJSON(b.location, 6)::json,
        'properties', json_build_object(
            'state', b.state, 'state_label', b.state_label, 'dwellings', b.dwellings,
            'address', b.address, 'commune', b.commune_code))::text
    FROM cartography_building b
    WHERE b.location && ST_MakeEnvelope(%s, %s, %s, %s, 4326)
    ORDER BY b.identifier
    LIMIT %s
"""


@method_decorator(layer_cache("coverage"), name="get")
class BuildingsView(APIView):
    """Buildings of the per-building files inside a box, with their state of fibre deployment
    (GeoJSON, at most 5 000: zoom in for more)."""

    permission_classes = [AllowAny]
    renderer_classes = [GeoJSONRenderer, JSONRenderer]

    @extend_schema(
        parameters=[BBoxQuery],
        responses={200: OpenApiTypes.OBJECT},
        description="Les bâtiments des fichiers à l’immeuble situés dans un rectangle, avec "
        "l’état du déploiement de la fibre (GeoJSON, 5 000 au plus : zoomez pour en voir plus).",
    )
    def get(self, request):
        query = BBoxQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        with connection.cursor() as cursor:
            cursor.execute(BUILDINGS_SQL, [*query.validated_data["bbox"], MAX_BUILDINGS])
            rows = cursor.fetchall()
        count = rows[0][0] if rows else 0
        envelope = {"type": "FeatureCollection", "count": count, "truncated": count > MAX_BUILDINGS}
        body = json.dumps(envelope)[:-1] + ', "features": [' + ",".join(r[1] for r in rows) + "]}"
        return HttpResponse(body, content_type="application/geo+json")


WITHOUT_FIBRE_SQL = """
    SELECT code FROM (
        SELECT DISTINCT ON (code) code, ftth_ready FROM cartography_coveragesnapshot
        WHERE level = 'commune' AND period = %(period)s AND ftth_ready IS NOT NULL
          AND code = ANY(%(codes)s)
        ORDER BY code, edition DESC) latest
    WHERE ftth_ready = 0
"""


class UnservedView(APIView):
    """Places of digital inclusion and schools in the communes where no premises are ready for
    fibre in the quarter (GeoJSON points; `kind` says which). The layers are those the apps
    declare (`hub_coverage_overlays` on their AppConfig: functions taking commune codes)."""

    permission_classes = [AllowAny]
    renderer_classes = [GeoJSONRenderer, JSONRenderer]

    @extend_schema(
        parameters=[CoverageQuery],
        responses={200: OpenApiTypes.OBJECT},
        description="Les lieux d’aide au numérique et les écoles des communes où aucun local "
        "n’est raccordable à la fibre au trimestre demandé (points GeoJSON ; `kind` dit lequel).",
    )
    def get(self, request):
        _, codes, _, quarter = asked_scope(request)
        with connection.cursor() as cursor:
            cursor.execute(WITHOUT_FIBRE_SQL, {"period": quarter.start, "codes": codes})
            without = [row[0] for row in cursor.fetchall()]
        features = [
            f for overlay in collect_callables("hub_coverage_overlays") for f in overlay(without)
        ]
        body = {
            "type": "FeatureCollection",
            "period": str(quarter),
            "communes_without_fibre": len(without),
            "features": features,
        }
        return HttpResponse(
            json.dumps(body, ensure_ascii=False), content_type="application/geo+json"
        )
