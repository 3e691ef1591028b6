"""Vector tiles of an indicator (Mapbox Vector Tile, PostGIS `ST_AsMVT`): the map of all of
France at any zoom without sending 35 000 commune outlines as one GeoJSON. The level follows
the zoom (départements, then EPCI, then communes); a withheld value is sent without a figure;
a tile is cached on a key that changes whenever the values it draws on change."""

import hashlib

from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from .api import period_key
from .models import Indicator, Level, Value, ValueStatus

LAYER = "indicateur"
MAX_ZOOM = 16
# Coarsest first: the level drawn up to each zoom (inclusive), then communes.
LEVELS_BY_ZOOM = ((5, Level.DEPARTEMENT), (7, Level.EPCI), (MAX_ZOOM, Level.COMMUNE))
TABLES = {
    Level.COMMUNE: ("cartography_commune", "code"),
    Level.EPCI: ("cartography_epci", "siren"),
    Level.DEPARTEMENT: ("cartography_departement", "code"),
}
TILE_SQL = """
WITH v AS ({values}),
bounds AS (SELECT ST_TileEnvelope(%s, %s, %s) AS env),
features AS (
    SELECT t.{key} AS code, t.name, v.period,
           CASE WHEN v.status = %s OR v.value IS NULL THEN NULL
                ELSE round(v.value::numeric, %s)::float8 END AS value,
           v.status,
           ST_AsMVTGeom(ST_Transform(t.geometry, 3857), bounds.env, 4096, 64, true) AS geom
    FROM {table} t JOIN v ON v.territory_code = t.{key} CROSS JOIN bounds
    WHERE t.geometry && ST_Transform(bounds.env, 4326)
)
SELECT ST_AsMVT(features, '{layer}', 4096, 'geom') FROM features WHERE geom IS NOT NULL
"""
# What changes when any value the tile draws changes (a recomputation replaces changed rows;
# an administrator edits imported ones in place): a checksum of the tile's territories' values.
VERSION_SQL = """
SELECT count(*), coalesce(sum(hashtext(concat_ws('|', v.territory_code, v.value, v.status))), 0)
FROM ({values}) v JOIN {table} t ON t.{key} = v.territory_code
WHERE t.geometry && ST_Transform(ST_TileEnvelope(%s, %s, %s), 4326)
"""


def level_for_zoom(z: int, levels) -> str | None:
    """The level drawn at zoom `z`: the one the zoom asks for, else the nearest finer one
    the indicator has, else the nearest coarser one."""
    wanted = next(i for i, (top, _) in enumerate(LEVELS_BY_ZOOM) if z <= top)
    order = [level for _, level in LEVELS_BY_ZOOM]
    for level in order[wanted:] + order[:wanted][::-1]:
        if not levels or level in levels:
            return level
    return None


class IndicatorTileView(APIView):
    """A vector tile (`application/vnd.mapbox-vector-tile`, layer « indicateur ») of an
    indicator at web-mercator tile z/x/y: départements up to zoom 5, EPCI up to 7, then
    communes; each feature has `code`, `name`, `period`, `value` (none when withheld) and
    `status`. `?period=` (newest by default)."""

    permission_classes = [AllowAny]  # open for public indicators; staff ones are filtered

    @extend_schema(
        parameters=[OpenApiParameter("period", str, required=False)],
        responses={(200, "application/vnd.mapbox-vector-tile"): OpenApiTypes.BINARY},
        description="Une tuile vectorielle (`application/vnd.mapbox-vector-tile`, couche "
        "« indicateur ») d’un indicateur, à la tuile z/x/y du web Mercator : départements "
        "jusqu’au zoom 5, EPCI jusqu’au 7, puis communes ; chaque objet porte `code`, `name`, "
        "`period`, `value` (absente sous le secret statistique) et `status`. `?period=` choisit "
        "la période (la plus récente par défaut).",
    )
    def get(self, request, code, z, x, y):
        indicator = Indicator.objects.visible_to(request.user).filter(code=code).first()
        if indicator is None:
            raise Http404("Indicateur inconnu.")
        if z > MAX_ZOOM or x >= 2**z or y >= 2**z:
            raise ValidationError(
                {"tuile": [f"tuile {z}/{x}/{y} inexistante (zoom de 0 à {MAX_ZOOM}, x et y < 2^z)"]}
            )
        level = level_for_zoom(z, indicator.levels)
        if level is None:
            raise ValidationError(
                {"tuile": ["cet indicateur n’existe à aucun échelon cartographié"]}
            )
        values = Value.objects.visible_to(request.user).filter(indicator=indicator, level=level)
        values = values.order_by()  # no sort inside the tile's queries
        periods = sorted(values.values_list("period", flat=True).distinct(), key=period_key)
        period = request.query_params.get("period") or (periods[-1] if periods else "")
        if periods and period not in periods:
            raise ValidationError(
                {
                    "period": [
                        f"aucune valeur pour cette période (disponibles : {', '.join(periods)})"
                    ]
                }
            )
        sql, params = (
            values.filter(period=period)
            .values("territory_code", "period", "value", "status")
            .query.sql_with_params()
        )
        table, column = TABLES[level]
        with connection.cursor() as cursor:
            cursor.execute(
                VERSION_SQL.format(values=sql, table=table, key=column), [*params, z, x, y]
            )
            version = cursor.fetchone()
        # The values' own query (hence the reader's reach) and the tile's SQL are in the key.
        key = hashlib.sha256(repr((TILE_SQL, sql, params, version, z, x, y)).encode()).hexdigest()
        tile = cache.get(f"indicator-tile:{key}")
        if tile is None:
            with connection.cursor() as cursor:
                cursor.execute(
                    TILE_SQL.format(values=sql, key=column, table=table, layer=LAYER),
                    [*params, z, x, y, ValueStatus.WITHHELD, indicator.precision],
                )
                tile = bytes(cursor.fetchone()[0] or b"")
            cache.set(f"indicator-tile:{key}", tile, 24 * 3600)
        response = HttpResponse(tile, content_type="application/vnd.mapbox-vector-tile")
        response["X-Territory-Level"] = level
        return response
