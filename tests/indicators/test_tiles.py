"""Vector tiles of an indicator: France without 35 000 outlines in one GeoJSON. Tiles are
decoded here (a minimal reader of the Mapbox Vector Tile protobuf) to read what a map would."""

import math
import struct

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.core.cache import cache

from equipment.models import CensusAnswer
from indicators.models import Value
from indicators.registry import recompute

TERMINALS = "terminaux-eleves-pour-100-eleves"


def _varint(buf: bytes, i: int) -> tuple[int, int]:
    shift = result = 0
    while True:
        byte = buf[i]
        i += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, i
        shift += 7


def _fields(buf: bytes):
    i = 0
    while i < len(buf):
        key, i = _varint(buf, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(buf, i)
        elif wire == 1:
            value, i = buf[i : i + 8], i + 8
        elif wire == 2:
            size, i = _varint(buf, i)
            value, i = buf[i : i + size], i + size
        else:
            value, i = buf[i : i + 4], i + 4
        yield number, value


def _value(buf: bytes):
    for number, value in _fields(buf):
        if number == 1:
            return value.decode()
        if number == 3:
            return struct.unpack("<d", value)[0]
        if number == 2:
            return struct.unpack("<f", value)[0]
        return value


def decode(tile: bytes) -> dict[str, list[dict]]:
    """{layer name: [feature properties]}."""
    layers = {}
    for number, layer in _fields(tile):
        if number != 3:
            continue
        name, keys, values, features = "", [], [], []
        for field, value in _fields(layer):
            if field == 1:
                name = value.decode()
            elif field == 3:
                keys.append(value.decode())
            elif field == 4:
                values.append(_value(value))
            elif field == 2:
                features.append(value)
        decoded = []
        for feature in features:
            tags = next(v for f, v in _fields(feature) if f == 2)
            numbers, i = [], 0
            while i < len(tags):
                n, i = _varint(tags, i)
                numbers.append(n)
            decoded.append(
                {keys[k]: values[v] for k, v in zip(numbers[::2], numbers[1::2], strict=True)}
            )
        layers[name] = decoded
    return layers


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    n = 2**z
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return z, int((lon + 180) / 360 * n), int(y)


def tile_url(z, x, y, code=TERMINALS):
    return f"/api/indicators/{code}/tiles/{z}/{x}/{y}.mvt"


@pytest.fixture
def mapped(two_schools):
    """The village and the town side by side near Chartres, their EPCI around them."""
    village, town = two_schools[2].commune, two_schools[0].commune
    for commune, west in ((village, 1.40), (town, 1.45)):
        commune.geometry = MultiPolygon(Polygon.from_bbox((west, 48.40, west + 0.05, 48.50)))
        commune.save()
    epci = town.epci
    epci.geometry = MultiPolygon(Polygon.from_bbox((1.40, 48.40, 1.50, 48.50)))
    epci.save()
    recompute([TERMINALS])
    cache.clear()  # no tile cached by an earlier run
    return village, town


@pytest.mark.django_db
def test_a_commune_tile_names_its_communes_and_withholds_two_schools(client, mapped):
    # Even a withheld value stored with its figure (as a partner file may give it) is sent bare.
    Value.objects.filter(territory_code="28002", status="withheld").update(value=33.3333)
    response = client.get(tile_url(*tile_of(1.45, 48.45, 10)))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    features = {f["code"]: f for f in decode(response.content)["indicateur"]}
    assert set(features) == {"28001", "28002"}
    town = features["28002"]  # two schools: below the threshold of three
    assert town["status"] == "withheld" and "value" not in town, town
    assert town["name"] == "Bourg"
    # The figure the values API withholds (50 terminals for 150 pupils) is nowhere in the bytes.
    assert struct.pack("<d", 33.3) not in response.content


@pytest.mark.django_db
def test_at_a_lower_zoom_the_tile_draws_the_epci_with_its_figure(client, mapped):
    response = client.get(tile_url(*tile_of(1.45, 48.45, 7)))
    assert response["X-Territory-Level"] == "epci"
    (epci,) = decode(response.content)["indicateur"]
    assert (epci["code"], epci["value"], epci["status"]) == ("200000001", 29.4, "computed")


@pytest.mark.django_db
def test_a_cached_tile_changes_when_the_values_change(client, mapped):
    url = tile_url(*tile_of(1.45, 48.45, 7))
    assert decode(client.get(url).content)["indicateur"][0]["value"] == 29.4
    CensusAnswer.objects.filter(school__uai="0280003C").update(laptops_total=20, laptops_pupils=20)
    recompute([TERMINALS])
    # 70 terminals for 170 pupils now.
    assert decode(client.get(url).content)["indicateur"][0]["value"] == 41.2


@pytest.mark.django_db
def test_a_tile_outside_the_grid_or_a_staff_indicator_is_refused_readably(client, mapped):
    response = client.get(tile_url(3, 8, 1))
    assert response.status_code == 400
    assert "inexistante" in response.json()["tuile"][0]
    assert client.get(tile_url(7, 64, 44, code="taux-reponse-recensement")).status_code == 404


@pytest.mark.django_db
def test_national_commune_outlines_are_refused_as_one_geojson(client, mapped):
    url = f"/api/indicators/{TERMINALS}/values/?level=commune&format=geojson"
    response = client.get(url)
    assert response.status_code == 400
    assert "tuiles vectorielles" in response.json()["departement"][0]
    within = client.get(url + "&departement=28").json()
    assert sorted(f["id"] for f in within["features"]) == ["28001", "28002"]
