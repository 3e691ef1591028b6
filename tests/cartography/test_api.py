"""GET /api/communes/ and /api/epci/: GeoJSON, filtered by département, paged."""

import pytest

pytestmark = pytest.mark.django_db


def test_communes_of_a_departement_as_a_feature_collection(territory_28, client):
    response = client.get("/api/communes/?departement=28")
    assert response.status_code == 200
    data = response.json()
    assert data["type"] == "FeatureCollection"
    assert data["count"] == 363
    assert len(data["features"]) == 363
    chartres = next(f for f in data["features"] if f["id"] == "28085")
    assert chartres["geometry"]["type"] == "MultiPolygon"
    assert chartres["properties"] == {
        "name": "Chartres",
        "population": 38324,
        "departement": "28",
        "epci": "200033181",
        "epci_name": "CA Chartres Métropole",
        "codes_postaux": [],  # none loaded here (tests/cartography/test_postal_codes.py)
    }


def test_communes_are_paged(territory_28, client):
    first = client.get("/api/communes/?departement=28&page_size=100").json()
    assert len(first["features"]) == 100
    assert first["count"] == 363
    assert "page=2" in first["next"]
    last = client.get("/api/communes/?departement=28&page_size=100&page=4").json()
    assert len(last["features"]) == 63
    assert last["next"] is None
    codes = [f["id"] for f in first["features"]]
    assert codes == sorted(codes)


def test_a_three_character_departement_code_is_understood(territory_28, client):
    assert client.get("/api/communes/?departement=028").json()["count"] == 363


def test_an_unknown_departement_gives_an_empty_collection(territory_28, client):
    data = client.get("/api/communes/?departement=27").json()
    assert data["count"] == 0
    assert data["features"] == []


def test_a_malformed_departement_is_a_readable_400(territory_28, client):
    response = client.get("/api/communes/?departement=xx")
    assert response.status_code == 400
    assert response.json() == {"departement": ["code de département inconnu : « XX »"]}


@pytest.mark.parametrize("endpoint", ["/api/communes/", "/api/epci/"])
@pytest.mark.parametrize("typed", ["%", "28%s", "%(departement)s"])
def test_a_percent_sign_in_the_departement_is_a_readable_400(client, endpoint, typed):
    response = client.get(endpoint, {"departement": typed})
    assert response.status_code == 400
    assert response.json() == {
        "departement": [f"code de département inconnu : « {typed.upper()} »"]
    }


def test_commune_search_by_name_or_code(territory_28, client):
    by_name = client.get("/api/communes/?q=chateaudun").json()
    assert [f["properties"]["name"] for f in by_name["features"]] == ["Châteaudun"]
    by_code = client.get("/api/communes/?q=28085").json()
    assert [f["id"] for f in by_code["features"]] == ["28085"]


def test_one_commune_by_its_code(territory_28, client):
    response = client.get("/api/communes/28319/")
    assert response.json()["properties"]["name"] == "Neuville Saint Denis"
    assert client.get("/api/communes/28025/").status_code == 404


def test_epci_of_a_departement(territory_28, client):
    data = client.get("/api/epci/?departement=28").json()
    assert data["type"] == "FeatureCollection"
    assert data["count"] == 12
    by_siren = {f["id"]: f["properties"] for f in data["features"]}
    assert by_siren["200033181"]["name"] == "CA Chartres Métropole"
    assert by_siren["200033181"]["communes_count"] == 66
    assert by_siren["247800550"]["seat_departement"] == "78"
    assert by_siren["247800550"]["communes_count"] == 4
    assert sum(p["communes_count"] for p in by_siren.values()) == 363
    assert sum(p["population"] for p in by_siren.values()) == 433_129
    assert all(f["geometry"]["type"] in {"Polygon", "MultiPolygon"} for f in data["features"])


def test_the_api_refuses_writes(territory_28, client):
    response = client.post("/api/communes/", {"code": "28999"})
    assert response.status_code in (403, 405)
    assert client.get("/api/communes/28085/").json()["properties"]["name"] == "Chartres"


@pytest.mark.parametrize("url", ["/api/epci/", "/api/places/", "/api/coverage/?departement=28"])
def test_a_browser_gets_json_not_the_english_browsable_pages(client, url):
    response = client.get(url, headers={"Accept": "text/html,*/*;q=0.8"})
    assert response["Content-Type"].startswith("application/json")
