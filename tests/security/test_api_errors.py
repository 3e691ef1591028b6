"""The API's refusals read in French, whatever address a reader types: an unknown place,
commune or EPCI answers a French 404, not Django's English "No Place matches the given query";
a body that is not JSON a French 400, not DRF's "JSON parse error"."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from rest_framework.authtoken.models import Token

from actors.importers.places import import_places
from actors.models import Membership, Place

pytestmark = pytest.mark.django_db
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "places" / "lieux-v1.0.2.csv"


@pytest.fixture(autouse=True)
def _fresh_rate_counters():
    cache.clear()


@pytest.mark.parametrize(
    "url", ["/api/places/999999/", "/api/communes/99999/", "/api/epci/999999999/"]
)
def test_an_unknown_object_of_the_api_answers_a_french_404(client, territory_28, url):
    response = client.get(url, headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json() == {"detail": "Non trouvé."}


@pytest.mark.parametrize("body", [b"{", b"\xff\xfe", b"null"])
def test_a_malformed_body_sent_to_the_api_is_refused_in_french(client, territory_28, body):
    import_places(FIXTURE)
    place = Place.objects.get(sources__external_id="mednum-001")
    user = get_user_model().objects.create_user("membre", "m@example.fr", "x")
    Membership.objects.create(
        user=user, structure=place.structure, role="admin", status=Membership.Status.ACTIVE
    )
    token = Token.objects.create(user=user)
    response = client.patch(
        f"/api/places/{place.pk}/",
        body,
        content_type="application/json",
        headers={"Authorization": f"Token {token.key}", "Accept": "application/json"},
    )
    assert response.status_code == 400
    said = str(response.json())
    assert "JSON illisible" in said or "Aucune donnée" in said, said
    assert "parse error" not in said and "No data provided" not in said
