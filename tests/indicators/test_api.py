"""The indicators' API: the registry, values as JSON, CSV and GeoJSON, rights and withheld values."""

import csv
import io

import pytest

from accounts import roles
from accounts.services import grant
from indicators.registry import recompute

TERMINALS = "terminaux-eleves-pour-100-eleves"
RESPONSE_RATE = "taux-reponse-recensement"


def values_url(code, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"/api/indicators/{code}/values/?{query}"


@pytest.fixture
def computed(two_schools):
    recompute([TERMINALS, RESPONSE_RATE])


@pytest.mark.django_db
def test_a_value_describing_two_schools_is_withheld_in_json_and_csv(client, computed):
    answer = client.get(values_url(TERMINALS, level="commune", departement="28")).json()
    town = next(r for r in answer["results"] if r["code"] == "28002")
    assert (town["status"], town["value"], town["numerator"], town["denominator"]) == (
        "withheld",
        None,
        None,
        None,
    )
    assert answer["period"] == "2025-2026"

    response = client.get(values_url(TERMINALS, level="commune", format="csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    town = next(r for r in rows if r["code du territoire"] == "28002")
    assert town["valeur"] == "" and town["statut"] == "masquée (effectif trop faible)"
    assert "10" not in town["valeur"]

    # Three schools: shown, as a ratio of sums (50 terminals for 170 pupils).
    epci = client.get(values_url(TERMINALS, level="epci")).json()["results"]
    assert [(r["code"], r["value"], r["status"]) for r in epci] == [("200000001", 29.4, "computed")]


@pytest.mark.django_db
def test_geojson_gives_a_feature_per_territory(client, computed):
    response = client.get(values_url(TERMINALS, level="epci", format="geojson"))
    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert [f["id"] for f in body["features"]] == ["200000001"]
    assert body["features"][0]["properties"]["name"] == "CC Test"


@pytest.mark.django_db
def test_staff_only_indicators_reach_their_readers_only(client, computed, django_user_model):
    codes = [i["code"] for i in client.get("/api/indicators/").json()["results"]]
    assert TERMINALS in codes and RESPONSE_RATE not in codes
    assert client.get(values_url(RESPONSE_RATE)).status_code == 404

    elsewhere = django_user_model.objects.create_user("dsden45", password="x")
    grant(elsewhere, roles.DSDEN_STAFF, (roles.DEPARTEMENT, "45"))
    client.force_login(elsewhere)
    assert client.get(values_url(RESPONSE_RATE)).json()["results"] == []

    dsden = django_user_model.objects.create_user("dsden28", password="x")
    grant(dsden, roles.DSDEN_STAFF, (roles.DEPARTEMENT, "28"))
    client.force_login(dsden)
    assert RESPONSE_RATE in [i["code"] for i in client.get("/api/indicators/").json()["results"]]
    rates = client.get(values_url(RESPONSE_RATE, level="commune")).json()["results"]
    assert {r["code"]: r["value"] for r in rates} == {"28001": 100.0, "28002": 100.0}
    # France describes territories outside theirs: national readers only.
    assert client.get(values_url(RESPONSE_RATE, level="france")).json()["results"] == []


@pytest.mark.django_db
def test_bad_parameters_answer_400_in_french(client, computed):
    response = client.get(values_url(TERMINALS, level="canton"))
    assert response.status_code == 400 and "level" in response.json()
    response = client.get(values_url(TERMINALS, period="1999"))
    assert response.status_code == 400
    assert "disponibles : 2025-2026" in response.json()["period"][0]
    assert client.get(values_url(TERMINALS, departement="xx")).status_code == 400
    assert client.get("/api/indicators/inconnu/values/").status_code == 404


@pytest.mark.django_db
def test_the_schema_documents_both_routes(client):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/indicators/{code}/values/" in schema and "/api/indicators/:" in schema


@pytest.mark.django_db
def test_a_value_whose_inputs_are_missing_says_so_instead_of_zero(client, small_epci):
    village, _ = small_epci
    village.population = None
    village.save()
    recompute(["lieux-pour-10000-habitants"])
    results = client.get(values_url("lieux-pour-10000-habitants")).json()["results"]
    village = next(r for r in results if r["code"] == "28001")
    assert (village["value"], village["status"]) == (None, "missing")
    assert village["missing_inputs"] == ["population municipale (recensement INSEE)"]
