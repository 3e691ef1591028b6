"""The home page as a browser without JavaScript sees it."""

import pytest

pytestmark = pytest.mark.django_db


def test_home_names_the_departement_and_offers_the_search(territory_28, client):
    html = client.get("/").content.decode()
    assert "Carte du territoire : Eure-et-Loir (28)" in html
    assert 'name="q"' in html
    assert "/api/communes/?departement=28" in html


def test_searching_a_commune_shows_it(territory_28, client):
    html = client.get("/", {"q": "chartres"}).content.decode()
    assert 'id="selected-commune"' in html
    assert "Chartres" in html
    assert "38\u202f324 habitants" in html
    assert "CA Chartres Métropole" in html


def test_searching_by_insee_code(territory_28, client):
    html = client.get("/", {"q": "28319"}).content.decode()
    assert "Neuville Saint Denis" in html and 'id="selected-commune"' in html


def test_several_matches_are_listed_as_links(territory_28, client):
    html = client.get("/", {"q": "bois"}).content.decode()
    assert "communes correspondent à « bois »" in html
    assert "commune=28047" in html  # Boisville-la-Saint-Père


def test_no_match_says_so(territory_28, client):
    html = client.get("/", {"q": "Paris"}).content.decode()
    assert "Aucune commune du département ne correspond à « Paris »." in html


def test_without_territory_the_page_explains_how_to_load_one(client):
    html = client.get("/").content.decode()
    assert "Aucun territoire n’est encore chargé" in html
    assert "import_territory --departement 28" in html


def test_unknown_pages_get_a_useful_404(client):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
