"""What every API of the hub shares."""

from rest_framework.renderers import JSONRenderer


class GeoJSONRenderer(JSONRenderer):
    """`?format=geojson` (or Accept: application/geo+json) asks a view for a FeatureCollection."""

    format = "geojson"
    media_type = "application/geo+json"
