"""The API's documentation page: drawn on the server from the OpenAPI schema, in French, in the
site's layout, without a script (Chromium's check that it fetches nothing from another site is
in tests/browser/test_accessibility.py)."""

import re
from html import unescape

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def docs(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    return response.content.decode()


def _text(html: str) -> str:
    html = html.replace("<wbr>", "")  # where a long path may wrap
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_the_page_is_french_in_the_layout_and_without_script(docs):
    assert '<html lang="fr"' in docs
    assert "<title>Documentation de l’API" in docs
    assert '<main id="content"' in docs and 'class="fr-footer"' in docs
    # Only the site's own scripts (the DSFR's), nothing from another site, no Redoc bundle.
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', docs)
    assert scripts and all(src.startswith("/static/") for src in scripts), scripts
    assert "redoc" not in docs.lower()
    assert not re.findall(r'(?:src|href)="(https?:)?//(?!www\.)', docs)  # no external asset


def test_every_operation_of_the_schema_is_documented(client, docs):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    text = _text(docs)
    for path, methods in schema["paths"].items():
        for method in methods:
            assert f"{method.upper()} {path}" in text, (method, path)
    # Parameters with their French descriptions, types and where they go.
    assert "zoom entier, requête non niveau de zoom de la carte" in text
    assert "bbox texte, requête" in text
    # The fields a response carries, nested ones spelt out.
    assert "features[].properties.name texte" in text

    # Writing needs a sign-in: said on PATCH, not on a public read.
    def section(operation_id):
        found = re.search(
            rf'<section[^>]*aria-labelledby="{operation_id}">(.*?)</section>', docs, re.S
        )
        return _text(found.group(1))

    assert "Connexion requise : session du site" in section("places-partial-update")
    assert "Connexion requise" not in section("communes-list")
    assert "/api/schema/?format=json" in docs


def test_the_parameter_tables_scroll_under_the_keyboard_with_their_caption_as_name(docs):
    regions = re.findall(
        r'<div class="fr-table__container" role="region" tabindex="0" aria-labelledby="([^"]+)">',
        docs,
    )
    assert len(regions) >= 20
    assert len(set(regions)) == len(regions)  # each names its own table
    for caption_id in regions:
        assert docs.count(f'<caption id="{caption_id}"') == 1


def test_every_operation_says_what_it_does_in_french(client):
    """Each view gives its French description (`extend_schema`): the code's English docstrings
    would otherwise be shown to the public."""
    schema = client.get("/api/schema/", {"format": "json"}).json()
    english = re.compile(r"\b(the|with|of|and|for|its|their)\b")
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            description = operation.get("description", "")
            assert description, (method, path)
            assert not english.search(description), (method, path, description)
