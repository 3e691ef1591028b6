"""What every API of the hub shares."""

from django.http import Http404
from rest_framework.exceptions import NotFound, ParseError, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.views import exception_handler as drf_exception_handler


class GeoJSONRenderer(JSONRenderer):
    """`?format=geojson` (or Accept: application/geo+json) asks a view for a FeatureCollection."""

    format = "geojson"
    media_type = "application/geo+json"


def exception_handler(exc, context):
    """DRF's, in French where DRF and Django leave English untranslated: Django's
    `get_object_or_404` ("No Place matches the given query.") becomes DRF's "Non trouvé." (the
    hub's own 404 messages kept), a body that is not JSON or is empty says so in French."""
    if isinstance(exc, Http404) and str(exc).endswith("matches the given query."):
        exc = NotFound()
    elif isinstance(exc, ParseError) and str(exc.detail).startswith("JSON parse error"):
        exc = ParseError("JSON illisible : le corps de la requête doit être un objet JSON (UTF-8).")
    elif isinstance(exc, ValidationError) and _codes(exc.detail) == ["null"]:
        exc = ValidationError(
            {"non_field_errors": ["Aucune donnée envoyée : un objet JSON est attendu."]}
        )
    return drf_exception_handler(exc, context)


def _codes(detail) -> list[str]:
    """The codes of a serializer's errors when all are general ones (["null"]: DRF's "No data
    provided"); [] otherwise."""
    if not isinstance(detail, dict) or set(detail) != {"non_field_errors"}:
        return []
    return [getattr(error, "code", "") for error in detail["non_field_errors"]]


def point_feature(identifier: str, point, properties: dict) -> dict:
    """A GeoJSON Feature for a GEOS point (6 decimals: about 10 cm)."""
    return {
        "type": "Feature",
        "id": identifier,
        "geometry": {"type": "Point", "coordinates": [round(point.x, 6), round(point.y, 6)]},
        "properties": properties,
    }


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """'west,south,east,north' in degrees → four floats; ValueError saying what is expected."""
    try:
        west, south, east, north = (float(v) for v in text.split(","))
    except ValueError as exc:
        raise ValueError(
            "bbox attendu : ouest,sud,est,nord en degrés (par ex. 1.2,48.3,1.6,48.6)"
        ) from exc
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise ValueError("bbox hors des limites ou dans le désordre (ouest,sud,est,nord)")
    return west, south, east, north


def api_urls() -> list:
    """The API's URL patterns, from the routes the apps declare (`hub_api_routes`): views at
    their prefix first (so `places/export.csv` wins over a ViewSet's detail), then the router."""
    from django.urls import path
    from django.utils.module_loading import import_string
    from rest_framework.routers import DefaultRouter
    from rest_framework.viewsets import ViewSetMixin

    from .registry import collect

    router, views = DefaultRouter(), []
    for route in collect("hub_api_routes"):
        view = import_string(route.view)
        if issubclass(view, ViewSetMixin):
            router.register(route.prefix, view, basename=route.name)
        else:
            views.append(path(route.prefix, view.as_view(), name=route.name))
    return [*views, *router.urls]
