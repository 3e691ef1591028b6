"""Light answers: compressed text, map layers a browser keeps until the data change, outlines
simplified for the map, and map code only on the pages that draw a map."""

import gzip
import io
import json

import brotli
import pytest
from django.core.management import call_command

from actors.demo import load_demo_places
from cartography.importers.territory import TerritorySources

pytestmark = pytest.mark.django_db
LAYER = "/api/communes/?departement=28"


def gzipped(client, url, **headers):
    return client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br", **headers)


def decompressed(response) -> bytes:
    encoding = response["Content-Encoding"]
    assert encoding in ("gzip", "br")
    return (gzip.decompress if encoding == "gzip" else brotli.decompress)(response.content)


def test_a_kept_layer_comes_in_brotli_a_third_lighter(territory_28, client):
    built = gzipped(client, LAYER)
    assert built["Content-Encoding"] == "gzip"  # built: gzipped on its way out
    kept = gzipped(client, LAYER)
    assert kept["Content-Encoding"] == "br"
    assert decompressed(kept) == gzip.decompress(built.content)
    assert len(kept.content) < 0.8 * len(built.content)
    assert client.get(LAYER, HTTP_ACCEPT_ENCODING="gzip")["Content-Encoding"] == "gzip"


@pytest.mark.parametrize(
    "url, kind",
    [
        (LAYER, "application/json"),
        ("/api/epci/?departement=28", "application/json"),
        ("/lieux/", "text/html"),
        ("/api/places/?format=geojson", "application/geo+json"),
    ],
)
def test_text_answers_are_compressed_when_the_browser_accepts_it(territory_28, client, url, kind):
    load_demo_places()
    answers = []
    for _ in range(2):  # built, then (layers) kept by the server
        response = gzipped(client, url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith(kind)
        answers.append(decompressed(response))  # a real gzip or Brotli stream
    plain = client.get(url)
    assert "Content-Encoding" not in plain  # a client that did not ask gets it plain
    if kind != "text/html":  # (a page carries a fresh CSRF token each time)
        assert answers[0] == answers[1] == plain.content


def test_a_repeated_layer_request_is_answered_304_until_an_import_changes_it(
    territory_28, client, tmp_path
):
    first = gzipped(client, LAYER)
    etag = first["ETag"]
    assert "must-revalidate" in first["Cache-Control"]
    again = gzipped(client, LAYER, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""

    # An import that finds nothing new keeps the layer as the browser has it.
    call_command("import_territory", "--departement", "28", stdout=io.StringIO())
    assert gzipped(client, LAYER, HTTP_IF_NONE_MATCH=etag).status_code == 304

    # New legal populations: the layer changes, and so does its ETag.
    populations = tmp_path / "populations.csv"
    text = TerritorySources.demo().populations.read_text(encoding="utf-8")
    populations.write_text(text.replace(";Chartres;38324;", ";Chartres;40000;"), encoding="utf-8")
    call_command(
        "import_territory",
        "--departement",
        "28",
        "--populations",
        str(populations),
        stdout=io.StringIO(),
    )
    changed = gzipped(client, LAYER, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    features = json.loads(decompressed(changed))["features"]
    assert next(f for f in features if f["id"] == "28085")["properties"]["population"] == 40000


def test_an_edited_commune_changes_the_layer_etag(territory_28, client):
    from cartography.models import Commune

    etag = client.get(LAYER)["ETag"]
    chartres = Commune.objects.get(code="28085")
    chartres.name = "Chartres (nouveau nom)"
    chartres.save()
    response = client.get(LAYER, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "Chartres (nouveau nom)" in response.content.decode()


def test_the_departement_commune_layer_weighs_tens_of_kilobytes(territory_28, client):
    response = gzipped(client, LAYER)
    features = json.loads(decompressed(response))["features"]
    assert len(features) == 363  # every commune, in one answer
    assert len(response.content) < 60_000  # sent; the outlines as imported weigh 130 KB gzipped
    chartres = next(f for f in features if f["id"] == "28085")["geometry"]
    assert chartres["type"] == "MultiPolygon" and len(chartres["coordinates"][0][0]) >= 4
    # Closer zooms get finer outlines, as asked.
    finer = gzipped(client, LAYER + "&zoom=13")
    assert len(finer.content) > len(response.content)


def test_a_zoom_that_is_not_one_is_refused_in_french(territory_28, client):
    response = client.get(LAYER + "&zoom=proche")
    assert response.status_code == 400
    assert "niveau de zoom" in response.json()["zoom"][0]


def test_a_page_without_a_map_loads_no_map_code(client, territory_28):
    html = client.get("/comptes/connexion/").content.decode()
    assert "leaflet" not in html.lower() and "markercluster" not in html.lower()
    # One DSFR sheet, without the 1 000-icon utility sheet nor the legacy one.
    assert html.count('rel="stylesheet"') == 3  # the DSFR, django-dsfr's form fixes, the hub's
    assert "vendor/dsfr/dsfr.css" in html and "utility" not in html and "legacy" not in html


def test_a_national_administrators_schools_layer_stays_small(territory_28, client):
    from django.contrib.auth import get_user_model

    from accounts.services import make_hub_admin
    from cartography.models import Commune
    from equipment.models import School

    communes = list(Commune.objects.all())
    School.objects.bulk_create(
        School(
            uai=f"028{n:04d}X",
            name=f"École {n}",
            kind="elementaire",
            departement_code="28",
            commune=communes[n % len(communes)],
            commune_code=communes[n % len(communes)].code,
            source="annuaire",
            location=communes[n % len(communes)].geometry.point_on_surface,
        )
        for n in range(2500)
    )
    admin = get_user_model().objects.create_user("national", "n@example.org", "pw-national-26")
    make_hub_admin(admin)
    client.force_login(admin)

    response = client.get("/ecoles/carte.geojson", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert len(response.content) < 1_000_000
    layer = json.loads(decompressed(response))
    assert layer["grouped_by"] == "commune" and layer["schools"] == 2500
    assert len(layer["features"]) == len(communes)
    assert sum(f["properties"]["count"] for f in layer["features"]) == 2500
    chartres = next(f for f in layer["features"] if f["id"] == "commune-28085")
    assert chartres["properties"]["name"].startswith("Chartres : ")
    assert chartres["properties"]["url"] == "/ecoles/?commune=28085"
    # Narrowed to one commune, the schools come back one by one.
    one = client.get("/ecoles/carte.geojson?commune=28085").json()
    assert "grouped_by" not in one
    assert {f["properties"]["commune"] for f in one["features"]} == {"Chartres"}


def test_a_close_zoom_gets_the_outlines_around_the_view_only(territory_28, client):
    around_chartres = "1.45,48.42,1.52,48.47"
    response = gzipped(client, LAYER + f"&zoom=14&bbox={around_chartres}")
    features = json.loads(decompressed(response))["features"]
    assert "28085" in {f["id"] for f in features} and len(features) < 20
    whole = gzipped(client, LAYER + "&zoom=14")
    assert len(response.content) * 5 < len(whole.content)
    refused = client.get(LAYER + "&bbox=1.5,48.4")
    assert refused.status_code == 400
    assert "ouest,sud,est,nord" in refused.json()["bbox"][0]
