"""Placing an address on the map with the national address API (BAN), when one is configured."""

import json
import logging
import urllib.parse
import urllib.request

from django.conf import settings

logger = logging.getLogger(__name__)


def geocode(address: str, postal_code: str, commune: str) -> tuple[float, float] | None:
    """(longitude, latitude) of an address, or None (no geocoder, no answer, or a poor match)."""
    base = settings.HUB_GEOCODER_URL
    if not base:
        return None
    asked = {"q": " ".join(f"{address} {postal_code} {commune}".split()), "limit": 1}
    if postal_code:  # the API refuses an empty postcode filter
        asked["postcode"] = postal_code
    query = urllib.parse.urlencode(asked)
    try:
        with urllib.request.urlopen(f"{base}?{query}", timeout=settings.HUB_GEOCODER_TIMEOUT) as r:
            data = json.load(r)
    except (OSError, ValueError) as exc:
        logger.warning("geocoder unreachable: %s", exc)
        return None
    features = data.get("features") or []
    if not features or features[0].get("properties", {}).get("score", 0) < 0.5:
        return None
    lon, lat = features[0]["geometry"]["coordinates"]
    return float(lon), float(lat)
