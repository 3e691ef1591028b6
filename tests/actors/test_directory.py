"""The public directory and place pages, as a browser without JavaScript sees them, and its API."""

import datetime
import re

import pytest

from actors.demo import DEMO_SOURCE, load_demo_places
from actors.directory import search
from actors.models import Place
from hub.collation import french_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_places(territory_28):
    load_demo_places()
    return Place.objects.all()


def names(html: str) -> list[str]:
    return re.findall(r'<h3 class="fr-h6 fr-mb-1v"><a href="/lieux/\d+/">([^<]+)</a>', html)


def test_the_directory_lists_every_place_without_javascript(demo_places, client):
    html = client.get("/lieux/").content.decode()
    assert "19 lieux" in html
    assert len(names(html)) == 19
    assert names(html) == sorted(names(html), key=french_key)  # French order
    assert "Démonstration" in html


def test_search_by_need_and_commune_sorted_by_distance(demo_places, client):
    html = client.get(
        "/lieux/",
        {"besoin": "Aide aux démarches administratives", "lieu": "Chartres", "distance": "20"},
    ).content.decode()
    found = names(html)
    assert found[0] == "Conseiller numérique du CCAS de Chartres"
    assert "du plus proche au plus éloigné" in html
    assert "Fablab de Chartres" not in found  # no help with procedures there
    distances = [float(d.replace(",", ".")) for d in re.findall(r"à ([\d,]+) km", html)]
    assert distances == sorted(distances) and distances[-1] <= 20


def test_within_a_commune_only(demo_places, client):
    found = names(client.get("/lieux/", {"lieu": "28134"}).content.decode())
    assert sorted(found) == [
        "Atelier de réemploi informatique de Dreux",
        "Conseiller numérique du CCAS de Dreux",
        "Espace public numérique de la médiathèque de Dreux",
    ]


def test_filters_on_public_fees_and_programme(demo_places, client):
    found = names(client.get("/lieux/", {"frais": "Payant"}).content.decode())
    assert found == ["Fablab de Chartres"]
    found = names(client.get("/lieux/", {"programme": "France Services"}).content.decode())
    assert len(found) == 6 and all(n.startswith("France Services") for n in found)


def test_open_now_and_on_saturday(demo_places):
    monday_evening = datetime.datetime(2026, 11, 23, 19, 0)
    monday_morning = datetime.datetime(2026, 11, 23, 10, 0)
    assert search({"ouvert_maintenant": True}, now=monday_evening).places.count() == 0
    morning = set(
        search({"ouvert_maintenant": True}, now=monday_morning).places.values_list(
            "name", flat=True
        )
    )
    assert "France Services de Bonneval" in morning  # Mo-Fr 09:00-12:00
    assert "Espace public numérique de la médiathèque de Chartres" not in morning  # Tu-Fr, Sa
    saturday = set(
        search({"ouvert_samedi": True}, now=monday_morning).places.values_list("name", flat=True)
    )
    assert "Fablab de Chartres" in saturday
    assert "France Services de Bonneval" not in saturday


def test_an_unknown_place_is_said_next_to_the_field_and_kept(demo_places, client):
    html = client.get("/lieux/", {"lieu": "Atlantide"}).content.decode()
    assert "Aucune commune ni adresse trouvée pour « Atlantide »." in html
    assert 'value="Atlantide"' in html
    assert 'aria-invalid="true"' in html


def test_results_are_paginated(demo_places, client):
    first = client.get("/lieux/").content.decode()
    assert "1 / 1" not in first  # 19 places fit on one page of 20
    from actors import views

    views.PAGE_SIZE, saved = 5, views.PAGE_SIZE
    try:
        page2 = client.get("/lieux/", {"page": 2}).content.decode()
    finally:
        views.PAGE_SIZE = saved
    assert "2 / 4" in page2
    assert "page=3#resultats" in page2  # the next page opens on the results, not the header
    assert len(names(page2)) == 5


def test_a_place_page_tells_everything(demo_places, client):
    bus = Place.objects.get(name__startswith="Bus numérique")
    html = client.get(f"/lieux/{bus.pk}/").content.decode()
    assert "Donnée de démonstration" in html
    assert "Arrêts du lieu itinérant" in html
    assert (
        "<strong>Gommerville</strong>, Place de la mairie : jeudi 9 h 30 – 12 h, 14 h – 16 h 30"
        in html
    )
    assert "Mardi</th><td>9 h 30 – 12 h, 14 h – 16 h 30" in html
    assert re.search(r"(Ouvert|Fermé) maintenant", html)
    assert "pas encore confirmées par la structure" in html
    assert "Signaler une erreur sur cette fiche" in html
    bus.confirm(datetime.datetime(2026, 10, 5, 12, tzinfo=datetime.UTC))
    html = client.get(f"/lieux/{bus.pk}/").content.decode()
    assert "confirmées par la structure le 5 octobre 2026" in html


def test_unreadable_hours_are_shown_as_declared(demo_places, client):
    place = Place.objects.first()
    place.opening_hours, place.opening_hours_valid = "le matin sauf jours de marché", False
    place.save()
    html = client.get(f"/lieux/{place.pk}/").content.decode()
    assert "le matin sauf jours de marché" in html
    assert "appelez avant de vous déplacer" in html


def test_api_json_geojson_bbox_and_errors(demo_places, client):
    data = client.get("/api/places/", {"besoin": "Loisirs et créations numériques"}).json()
    assert data["count"] == 7
    assert {"name", "latitude", "longitude", "services", "url"} <= set(data["results"][0])
    geo = client.get("/api/places/", {"format": "geojson", "bbox": "1.40,48.40,1.55,48.50"})
    assert geo["Content-Type"] == "application/geo+json"
    assert geo.json()["type"] == "FeatureCollection"
    features = geo.json()["features"]
    assert "Chartres" in {f["properties"]["commune"] for f in features}
    assert all(
        1.40 <= f["geometry"]["coordinates"][0] <= 1.55
        and 48.40 <= f["geometry"]["coordinates"][1] <= 48.50
        for f in features
    )
    assert len(features) < Place.objects.count()
    near = client.get("/api/places/", {"lat": 48.4469, "lon": 1.489, "distance": 5}).json()
    distances = [float(r["distance"].split()[0].replace(",", ".")) for r in near["results"]]
    assert distances and distances == sorted(distances) and distances[-1] <= 5
    bad = client.get("/api/places/", {"bbox": "1,2,3"})
    assert bad.status_code == 400
    assert "bbox attendu" in bad.json()["bbox"][0]
    assert client.get("/api/places/", {"lat": 48}).status_code == 400


def test_api_export_is_the_standard(demo_places, client):
    response = client.get("/api/places/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("id,pivot,nom,commune,code_postal,code_insee,adresse,")
    assert len(lines) == 20
    assert all(DEMO_SOURCE in line for line in lines[1:])


def test_the_api_refuses_anonymous_writes(demo_places, client):
    place = Place.objects.first()
    assert client.post("/api/places/", {"name": "x"}).status_code in (403, 405)
    assert client.patch(f"/api/places/{place.pk}/", {"name": "x"}).status_code in (403, 405)
    assert client.delete(f"/api/places/{place.pk}/").status_code in (403, 405)
    assert Place.objects.filter(pk=place.pk, name=place.name).exists()


def test_members_change_their_own_places_through_the_api(demo_places, client, django_user_model):
    from rest_framework.authtoken.models import Token

    from actors.models import Membership

    fablab = Place.objects.get(name="Fablab de Chartres")
    other = Place.objects.get(name__startswith="Atelier de réemploi")
    member = django_user_model.objects.create_user("lea", "lea@fablab.fr", "pw-solide-123")
    Membership.objects.create(structure=fablab.structure, user=member, status="active")
    token = Token.objects.create(user=member)
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}

    response = client.patch(
        f"/api/places/{fablab.pk}/",
        {"opening_hours": "Sa 10:00-18:00"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 200
    fablab.refresh_from_db()
    assert fablab.opening_hours == "Sa 10:00-18:00"

    bad = client.patch(
        f"/api/places/{fablab.pk}/",
        {"opening_hours": "le samedi"},
        content_type="application/json",
        **auth,
    )
    assert bad.status_code == 400
    assert "horaires illisibles" in bad.json()["opening_hours"][0]

    denied = client.patch(
        f"/api/places/{other.pk}/", {"name": "Pris"}, content_type="application/json", **auth
    )
    assert denied.status_code == 403
    assert (
        denied.json()["detail"]
        == "Seuls les membres de la structure de ce lieu peuvent le modifier."
    )
    anonymous = client.patch(
        f"/api/places/{other.pk}/", {"name": "Pris"}, content_type="application/json"
    )
    assert anonymous.status_code in (401, 403)
    other.refresh_from_db()
    assert other.name != "Pris"


def test_the_api_has_its_documentation(client):
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/").content.decode().replace("<wbr>", "")  # wrap points
    assert "Documentation de l’API" in docs and "PATCH /api/places/{id}/" in docs
