"""`{% hub_map "places-map" "hubPlacesMap" %}`: a Leaflet map started by static/js/map-init.js.

django-leaflet's `{% leaflet_map %}` starts the map with an inline script, which the
Content-Security-Policy forbids; this tag writes the same options as JSON data instead.
"""

import json

from django import template
from django.utils.html import format_html, json_script
from leaflet.templatetags.leaflet_tags import leaflet_map

register = template.Library()


@register.simple_tag
def hub_map(name: str, callback: str, base: str = "") -> str:
    """The map's container (its id is `name`) and its options; `callback` is the name of the
    page's function (on `window`) that receives the map; `base`, the URL of the communes drawn
    beneath it (outlines and names, e.g. `departement|communes_layer_url`), so that the map
    shows where things are without a tile server."""
    options = json.loads(leaflet_map(name)["djoptions"])
    return format_html(
        '<div id="{}" class="leaflet-container-default" data-hub-map="{}" data-hub-base="{}">'
        "</div>{}",
        name,
        callback,
        base or "",
        json_script(options, f"{name}-options"),
    )
