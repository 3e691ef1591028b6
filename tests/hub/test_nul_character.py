"""An address carrying a NUL character, which PostgreSQL refuses in text, is a readable 400 on
every page and API route, never a 500."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/?q=chartres%00",  # a search
        "/?commune=28085%00",
        "/api/communes/28085%00/",  # an object looked up by a code in the path
        "/api/epci/%00/",
        "/espace/invitation/%00/",  # a token, for a logged-in user
        "/lieux/?q=%00",
    ],
)
def test_a_nul_character_in_the_address_is_a_readable_400(client, url):
    client.force_login(get_user_model().objects.create_user("curieux"))
    response = client.get(url)
    assert response.status_code == 400
    text = response.content.decode()
    assert "caractère nul (%00)" in text
    if url.startswith("/api/"):
        assert response.json() == {
            "detail": "L’adresse demandée contient un caractère nul (%00) : elle ne peut pas "
            "être lue."
        }
    else:
        assert "<main>" in text and "Requête illisible" in text
