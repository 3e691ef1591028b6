"""Addresses from outside become links only when they are http(s): a `javascript:` address in
a file, a form or the API is refused with its reason, and never rendered as a link."""

import csv
import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from actors import standard
from actors.forms import PlaceForm
from actors.importers.places import import_places
from actors.models import Membership, Place, Structure

pytestmark = pytest.mark.django_db
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "places" / "lieux-v1.0.2.csv"
HOSTILE = "javascript:alert(document.cookie)"


def test_a_javascript_address_in_any_url_field_of_the_standard_refuses_the_row(
    territory_28, tmp_path
):
    rows = list(csv.DictReader(io.StringIO(FIXTURE.read_text(encoding="utf-8"))))
    good = {name: value.replace("\n", " ") for name, value in rows[0].items()}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(good))
    writer.writeheader()
    for n, name in enumerate(standard.URL_FIELDS):
        writer.writerow({**good, "id": f"hostile-{n}", name: HOSTILE})
    writer.writerow({**good, "id": "schemeless", "site_web": "www.example.fr"})
    path = tmp_path / "lieux.csv"
    path.write_text(out.getvalue(), encoding="utf-8")

    report = import_places(path)

    assert [str(r) for r in report.rejections] == [
        f"ligne {n + 2}, champ « {name} » : adresse web attendue (http:// ou https://), "
        f"lu « {HOSTILE} »"
        for n, name in enumerate(standard.URL_FIELDS)
    ]
    assert list(Place.objects.values_list("sources__external_id", "website")) == [
        ("schemeless", "https://www.example.fr")
    ]


def test_a_place_page_never_links_to_a_non_http_address(territory_28, client):
    import_places(FIXTURE)
    place = Place.objects.get(sources__external_id="mednum-001")
    # As rows written before the check, or by hand in the admin, could be.
    Place.objects.filter(pk=place.pk).update(
        website=HOSTILE, appointment_url="data:text/html,<script>alert(1)</script>",
        acceslibre_url="https://acceslibre.beta.gouv.fr/x/",
    )  # fmt: skip
    html = client.get(f"/lieux/{place.pk}/").content.decode()
    assert "javascript:" not in html
    assert "data:text/html" not in html
    assert 'href="https://acceslibre.beta.gouv.fr/x/"' in html


def test_forms_and_the_api_accept_only_http_addresses(territory_28, client):
    import_places(FIXTURE)
    place = Place.objects.get(sources__external_id="mednum-001")
    data = {
        "name": place.name, "address": place.address, "postal_code": place.postal_code,
        "website": "ftp://example.fr/", "appointment_url": HOSTILE,
    }  # fmt: skip
    form = PlaceForm(data, instance=place)
    assert not form.is_valid()
    assert set(form.errors) == {"website", "appointment_url"}

    user = get_user_model().objects.create_user("membre", "m@example.fr", "x")
    structure = Structure.objects.get(pk=place.structure_id)
    Membership.objects.create(
        user=user, structure=structure, role="admin", status=Membership.Status.ACTIVE
    )
    token = Token.objects.create(user=user)
    response = client.patch(
        f"/api/places/{place.pk}/",
        {"website": "ftp://example.fr/"},
        content_type="application/json",
        headers={"Authorization": f"Token {token.key}"},
    )
    assert response.status_code == 400
    assert "http" in response.json()["website"][0]
    place.refresh_from_db()
    assert place.website == "https://example.fr/epn"
