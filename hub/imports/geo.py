"""Coordinates of imported files checked against their declared system and the territory.

A GeoJSON says its system in a `crs` member (older files) or is WGS84 (RFC 7946). Values in
metres read as degrees would be stored far outside France: such a file is refused with the
reason; a declared projected system (Lambert-93, EPSG:2154) is reprojected to WGS84.
"""

from __future__ import annotations

import re

from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSGeometry

from .report import ImportFileError

WGS84 = 4326
LAMBERT_93 = 2154
EPSG_IN_NAME = re.compile(r"EPSG:*(?:[\d.]*:)?(\d{4,5})$", re.IGNORECASE)

# Longitude/latitude boxes, with a margin, of metropolitan France (Corsica included) and of each
# overseas département: a point outside its box was read in the wrong system or axis order.
FRANCE_BOXES = {
    "971": (-61.9, 15.8, -60.9, 16.6),
    "972": (-61.3, 14.3, -60.7, 15.0),
    "973": (-54.7, 2.0, -51.5, 5.9),
    "974": (55.1, -21.5, 56.0, -20.8),
    "975": (-56.6, 46.7, -56.1, 47.2),
    "976": (44.9, -13.1, 45.4, -12.5),
    "977": (-63.0, 17.8, -62.7, 18.0),
    "978": (-63.2, 18.0, -62.9, 18.2),
    "986": (-178.3, -14.4, -176.0, -13.1),
    "987": (-154.8, -28.0, -134.4, -7.8),
    "988": (163.5, -22.8, 168.2, -19.5),
    "": (-5.9, 41.2, 10.0, 51.3),
}


def declared_srid(data: dict, path) -> int:
    """The SRID a GeoJSON object declares in its `crs` member; WGS84 when it has none."""
    crs = data.get("crs") if isinstance(data, dict) else None
    if not crs:
        return WGS84
    name = str((crs.get("properties") or {}).get("name") or "")
    if name.upper().endswith("CRS84"):
        return WGS84
    match = EPSG_IN_NAME.search(name)
    if match is None:
        raise ImportFileError(path, f"système de coordonnées « {name} » non reconnu (membre crs)")
    return int(match[1])


def boxes_of(departement: str | None) -> list[tuple[float, float, float, float]]:
    """The boxes a département's coordinates must fall in (any French one when not given)."""
    if departement in FRANCE_BOXES:
        return [FRANCE_BOXES[departement]]
    if departement and not departement.startswith("9"):  # 2A, 2B and 01…95
        return [FRANCE_BOXES[""]]
    return list(FRANCE_BOXES.values())


def in_box(extent, box) -> bool:
    xmin, ymin, xmax, ymax = extent
    return box[0] <= xmin and xmax <= box[2] and box[1] <= ymin and ymax <= box[3]


def in_france(lon: float, lat: float, departement: str | None = None) -> bool:
    """Whether a WGS84 point lies in France (in `departement`'s part of it when given)."""
    return any(in_box((lon, lat, lon, lat), box) for box in boxes_of(departement))


def to_wgs84(
    geometry: GEOSGeometry, srid: int, path, where: str, departement: str | None = None
) -> GEOSGeometry:
    """`geometry` (in `srid`) in WGS84, after checking its values fit the system and the
    territory; else `ImportFileError` with the reason."""
    xmin, ymin, xmax, ymax = geometry.extent
    degrees = max(abs(xmin), abs(xmax)) <= 180 and max(abs(ymin), abs(ymax)) <= 90
    if srid == WGS84 and not degrees:
        raise ImportFileError(
            path,
            f"{where} : coordonnées en mètres (x ≈ {xmin:.0f}, y ≈ {ymin:.0f}), pas en degrés : "
            "un fichier en Lambert-93 (ou une autre projection) ne peut être lu comme du "
            "WGS84 (longitude, latitude). Déclarez son système dans le membre « crs » "
            "(EPSG:2154) ou convertissez-le en WGS84.",
        )
    if srid != WGS84:
        if degrees:
            raise ImportFileError(
                path,
                f"{where} : le fichier déclare EPSG:{srid} mais ses coordonnées sont des degrés "
                f"(x ≈ {xmin:.4f}, y ≈ {ymin:.4f}) : membre « crs » erroné ?",
            )
        try:
            geometry = geometry.transform(WGS84, clone=True)
        except GDALException as exc:
            raise ImportFileError(path, f"{where} : projection EPSG:{srid} inconnue") from exc
    if not any(in_box(geometry.extent, box) for box in boxes_of(departement)):
        raise ImportFileError(
            path,
            f"{where} : coordonnées hors du territoire attendu (longitude {geometry.extent[0]:.4f}, "
            f"latitude {geometry.extent[1]:.4f}) : système de coordonnées ou ordre "
            "longitude/latitude erroné ?",
        )
    return geometry
