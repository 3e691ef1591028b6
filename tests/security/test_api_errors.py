"""The API's refusals read in French, whatever address a reader types: an unknown place,
commune or EPCI answers a French 404, not Django's English "No Place matches the given query"."""

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


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
