"""What every API of the hub shares."""

from rest_framework.renderers import JSONRenderer


class GeoJSONRenderer(JSONRenderer):
    """`?format=geojson` (or Accept: application/geo+json) asks a view for a FeatureCollection."""

    format = "geojson"
    media_type = "application/geo+json"


def point_feature(identifier: str, point, properties: dict) -> dict:
    """A GeoJSON Feature for a GEOS point (6 decimals: about 10 cm)."""
    return {
        "type": "Feature",
        "id": identifier,
        "geometry": {"type": "Point", "coordinates": [round(point.x, 6), round(point.y, 6)]},
        "properties": properties,
    }
