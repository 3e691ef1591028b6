"""The directory understands people: postal codes and typos, an empty result that says why and
how to widen, places outside the hub's territories left out unless asked, itinerant places
found by their stops, and the level of accompaniment as a filter (pages and API)."""

import json
import re
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from actors.demo import load_demo_places
from actors.forms import OffersForm
from actors.importers.places import OUTSIDE_NOTE, import_places
from actors.models import Place
from cartography.importers.postal_codes import load_demo_postal_codes

pytestmark = pytest.mark.django_db
CHARTRES_PLACES = [
    "Conseiller numérique du CCAS de Chartres",
    "Espace public numérique de la médiathèque de Chartres",
    "Fablab de Chartres",
]


@pytest.fixture
def demo(territory_28):
    load_demo_postal_codes()
    load_demo_places()


def names(html: str) -> list[str]:
    return re.findall(r'<h3 class="fr-h6 fr-mb-1v"><a href="/lieux/\d+/">([^<]+)</a>', html)


@pytest.mark.parametrize("typed", ["28000", "chartres", "Chartre", "CHARTRES"])
def test_a_postal_code_or_a_misspelt_name_finds_the_places_of_chartres(demo, client, typed):
    html = client.get("/lieux/", {"lieu": typed}).content.decode()
    assert sorted(names(html)) == CHARTRES_PLACES
    assert "3 lieux pour" in html


def test_a_typo_is_said_and_other_communes_suggested(demo, client):
    html = client.get("/lieux/", {"lieu": "Chartre"}).content.decode()
    assert (
        "Résultats pour <strong>Chartres (28000)</strong> : vous aviez écrit « Chartre »." in html
    )
    assert re.search(r'Vouliez-vous dire :\s*<a href="\?lieu=Ver-l%C3%A8s-Chartres', html)


def test_an_ambiguous_name_offers_suggestions_next_to_the_field(demo, client):
    html = client.get("/lieux/", {"lieu": "Nogent"}).content.decode()
    assert "Aucune commune ni adresse trouvée pour « Nogent »." in html
    assert "Vouliez-vous dire :" in html and "Nogent-le-Rotrou (28400)</a>" in html


def test_the_field_asks_what_works_without_a_geocoder(demo, client):
    html = client.get("/lieux/").content.decode()
    assert "Commune ou code postal" in html and "Par exemple : Chartres ou 28000" in html
    assert "code INSEE" not in html and "place des Halles" not in html
    html = client.get("/lieux/", {"lieu": "1 place des Halles Chartres"}).content.decode()
    assert sorted(names(html)) == CHARTRES_PLACES
    assert "La recherche par adresse n’est pas disponible sur ce service" in html


def test_an_empty_result_says_why_offers_the_nearest_and_a_widening(demo, client):
    asked = {"lieu": "Bonneval", "besoin": "Loisirs et créations numériques", "distance": "2"}
    html = client.get("/lieux/", asked).content.decode()
    assert names(html) == []
    assert "Aucun lieu ne correspond à votre recherche" in html
    assert "à moins de 2 km de Bonneval (28800)" in html
    assert "Besoin : Loisirs et créations numériques" in html
    nearest = re.findall(r'<li><a href="/lieux/\d+/">([^<]+)</a> \(([^,]+), à ([\d,]+) km\)', html)
    assert nearest[0][:2] == (
        "Espace public numérique de la médiathèque de Châteaudun",
        "Châteaudun",
    )
    # One click widens to the distance that reaches the nearest place (13 km: 20 km).
    widen = re.search(r'<a href="([^"]+)" id="widen">Élargir la recherche à 20 km</a>', html)
    wider = client.get("/lieux/" + widen.group(1).replace("&amp;", "&").split("#")[0])
    assert "Espace public numérique de la médiathèque de Châteaudun" in names(
        wider.content.decode()
    )


def test_an_empty_result_because_of_open_now_says_so(demo, client, monkeypatch):
    import datetime

    from actors import opening

    monkeypatch.setattr(opening, "local_now", lambda: datetime.datetime(2026, 11, 23, 22, 0))
    html = client.get("/lieux/", {"lieu": "Chartres", "ouvert_maintenant": "on"}).content.decode()
    assert "ouverts maintenant" in html
    assert "Voir aussi les lieux fermés en ce moment" in html


def test_each_result_tells_open_or_closed_and_the_phone(demo, client):
    html = client.get("/lieux/", {"lieu": "Dreux"}).content.decode()
    items = html.split('<li class="hub-result">')[1:]
    assert len(items) == 3
    for item in items:
        assert "Ouvert maintenant" in item or "Fermé maintenant" in item
        assert re.search(r'Tél\. <a href="tel:\+33\d{9}">0\d( \d\d){4}</a>', item)


OUTSIDE_ROW = (
    "loiret-1,00000000000000,Médiathèque d’Orléans,Orléans,45000,45234,1 place Gambetta,,"
    "47.9030,1.9093,BIB,,,,,,,Région,,,2024-03-01,Aide aux démarches administratives,,,,,,,,,,"
)


def test_places_outside_the_territories_are_left_out_unless_asked(
    demo, client, tmp_path, places_v1
):
    header = places_v1.read_text(encoding="utf-8").splitlines()[0] + "\n"
    path = tmp_path / "region.csv"
    path.write_text(header + OUTSIDE_ROW + "\n", encoding="utf-8")
    report = import_places(path)
    assert report.notes[OUTSIDE_NOTE] == 1  # reported apart, not as a warning per line
    assert not any("Orléans" in w or "ligne 2" in w for w in report.warnings)
    assert Place.objects.filter(name="Médiathèque d’Orléans", commune=None).exists()

    html = client.get("/lieux/").content.decode()
    assert "Médiathèque d’Orléans" not in names(html) and "19 lieux" in html
    assert "1 lieu hors des territoires couverts par le hub n’est pas affiché" in html
    shown = client.get("/lieux/", {"hors_territoire": "on"}).content.decode()
    assert "Médiathèque d’Orléans" in names(shown) and "20 lieux" in shown
    api = client.get("/api/places/", {"page_size": 100}).json()
    assert api["count"] == 19
    assert client.get("/api/places/", {"hors_territoire": "true"}).json()["count"] == 20


def test_an_itinerant_place_is_found_by_its_stops_and_they_are_on_the_map(demo, client):
    bus = "Bus numérique du Perche et de la Beauce (départ Illiers-Combray)"
    # Gommerville has no place of its own: the bus stops there on Thursdays.
    assert names(client.get("/lieux/", {"lieu": "Gommerville"}).content.decode()) == [bus]
    near = client.get("/lieux/", {"lieu": "Gommerville", "distance": "2"}).content.decode()
    assert names(near) == [bus]
    geo = client.get("/api/places/", {"format": "geojson", "lieu": "Gommerville"}).json()
    stops = [f for f in geo["features"] if f["properties"].get("stop")]
    assert geo["count"] == 1 and len(stops) == 5
    bus_id = Place.objects.get(name=bus).pk
    assert {f["properties"]["place"] for f in stops} == {bus_id}
    assert "Gommerville" in {f["properties"]["commune"] for f in stops}
    data = client.get("/api/places/", {"lieu": "Gommerville"}).json()["results"][0]
    assert {s["commune"] for s in data["stops"]} >= {"Gommerville", "Villemaury"}
    assert all(s["latitude"] and s["opening_hours"] for s in data["stops"])


def test_the_level_of_accompaniment_is_a_filter_and_in_the_api(demo, client):
    html = client.get("/lieux/", {"niveau": "3"}).content.decode()
    found = names(html)
    assert found and all(
        Place.objects.get(name=n).accompaniment_level == Place.Level.ON_BEHALF for n in found
    )
    assert "Fablab de Chartres" not in found
    data = client.get("/api/places/", {"niveau": 3, "page_size": 100}).json()
    assert data["count"] == len(found)
    assert {r["accompaniment_level_label"] for r in data["results"]} == {"Démarches accompagnées"}
    assert client.get("/api/places/", {"niveau": 7}).status_code == 400


def test_the_level_follows_a_mediateurs_edit_of_the_services(demo):
    place = Place.objects.get(name="Fablab de Chartres")
    form = OffersForm(
        {
            "services": ["Aide aux démarches administratives"],
            "accompaniment_modes": ["Accompagnement individuel"],
        }
    )
    assert form.is_valid(), form.errors
    assert form.save(place)
    place.refresh_from_db()
    assert place.accompaniment_level == Place.Level.ON_BEHALF


class AddressStub(BaseHTTPRequestHandler):
    """A local stand-in of the national address API: one address in Chartres."""

    asked: list[str] = []

    def do_GET(self):
        AddressStub.asked.append(self.path)
        found = "Halles" in urllib.parse.unquote_plus(self.path)
        body = {
            "features": [
                {"geometry": {"coordinates": [1.4875, 48.4447]}, "properties": {"score": 0.9}}
            ]
            if found
            else []
        }
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def address_api(settings):
    server = HTTPServer(("127.0.0.1", 0), AddressStub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.HUB_GEOCODER_URL = f"http://127.0.0.1:{server.server_port}/search/"
    AddressStub.asked = []
    yield AddressStub.asked
    server.shutdown()


def test_with_an_address_api_an_address_is_searched_around_it(demo, client, address_api):
    html = client.get("/lieux/").content.decode()
    assert "Commune, code postal ou adresse" in html
    assert "Par exemple : Chartres, 28000 ou 1 place des Halles, Chartres" in html
    html = client.get("/lieux/", {"lieu": "1 place des Halles Chartres"}).content.decode()
    found = names(html)
    assert set(CHARTRES_PLACES) <= set(found)
    assert "du plus proche au plus éloigné" in html and "· à 1,7 km" in html
    assert "postcode=" not in address_api[-1]  # no empty filter the API would refuse
    # A commune's name is still a commune, never sent to the address API.
    asked = len(address_api)
    assert sorted(names(client.get("/lieux/", {"lieu": "Chartres"}).content.decode())) == (
        CHARTRES_PLACES
    )
    assert len(address_api) == asked


def test_a_link_naming_a_commune_by_its_insee_code_is_never_read_as_a_postal_code(demo, client):
    # 28100: Cintray's INSEE code, Dreux's postal code. A territory page's link names Cintray.
    cintray = client.get("/lieux/", {"insee": "28100"}).content.decode()
    assert "Aucun lieu ne correspond" in cintray and "dans la commune Cintray (28300)" in cintray
    assert 'value="Cintray (28300)"' in cintray  # searching again keeps the commune
    typed = client.get("/lieux/", {"lieu": "28100"}).content.decode()
    assert "3 lieux pour 28100 (Dreux)" in typed
    assert "Vouliez-vous dire :" in typed and "Cintray (28300)</a>" in typed
