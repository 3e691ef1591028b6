"""The home page as a browser without JavaScript sees it."""

import pytest

pytestmark = pytest.mark.django_db


def test_home_offers_help_near_me_first_then_the_territory(territory_28, client):
    html = client.get("/").content.decode()
    # "Find help near me" first: the directory's search, sent to /lieux/ (results in view).
    assert html.index("Trouver de l’aide près de chez moi") < html.index("Le territoire : Eure")
    assert 'action="/lieux/#resultats" id="directory-form"' in html
    assert "Commune ou code postal" in html and "code INSEE" not in html
    assert html.index('id="directory-form"') < html.index('id="territory-map"')
    assert "Le territoire : Eure-et-Loir (28)" in html
    assert "363</p><p>communes" in html
    assert 'name="q"' in html
    assert "/api/communes/?departement=28" in html


def test_without_javascript_the_home_lists_the_communes_not_an_endless_loading(
    territory_28, client
):
    from cartography.importers.postal_codes import load_demo_postal_codes

    load_demo_postal_codes()
    html = client.get("/").content.decode()
    assert "Chargement des communes" not in html
    listing = html[html.index('id="communes-list" open') : html.index("</details>")]
    assert listing.count("<li>") == 363
    # Named with their postal codes, linked to their territory page.
    assert '<a href="/territoires/commune/28100/">Cintray (28300)</a>' in listing


def test_a_postal_code_finds_its_commune(territory_28, client):
    from cartography.importers.postal_codes import load_demo_postal_codes

    load_demo_postal_codes()
    html = client.get("/", {"q": "28000"}).content.decode()
    assert 'id="selected-commune"' in html and "Chartres" in html
    assert "<dt>Code postal</dt><dd>28000</dd>" in html
    assert 'href="/lieux/?insee=28085#resultats">Lieux d’aide à Chartres</a>' in html


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
    assert "Vouliez-vous dire :" in html
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
