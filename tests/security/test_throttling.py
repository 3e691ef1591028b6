"""Guessing passwords is stopped by a lockout; password reset e-mails, anonymous PDF sheets and
the anonymous API are rate-limited with a readable answer."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from rest_framework.throttling import SimpleRateThrottle

from actors.demo import load_demo_places
from actors.models import Place

pytestmark = pytest.mark.django_db
PASSWORD = "le-bon-mot-de-passe-2026"


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()  # rate-limit counters live in the (test) cache
    yield
    cache.clear()


@pytest.fixture
def staff():
    return get_user_model().objects.create_user(
        "agent", "agent@example.fr", PASSWORD, is_staff=True, is_superuser=True
    )


@pytest.mark.parametrize(
    ("url", "form"),
    [
        ("/comptes/connexion/", {"username": "agent"}),
        ("/admin/login/?next=/admin/", {"username": "agent"}),
    ],
)
def test_after_60_wrong_passwords_even_the_right_one_is_refused_until_the_lockout_ends(
    client, staff, url, form
):
    for _ in range(60):
        client.post(url, {**form, "password": "mauvais"})

    response = client.post(url, {**form, "password": PASSWORD})
    assert response.status_code == 429
    html = response.content.decode()
    assert "Connexion temporairement bloquée" in html
    assert "même avec le bon mot de passe" in html
    assert "_auth_user_id" not in client.session

    # The lockout ends after the cool-off time: then the right password signs in.
    AccessAttempt.objects.update(attempt_time=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    response = client.post(url, {**form, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_password_reset_requests_are_limited(client, staff, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "password_reset", "3/hour")
    for _ in range(3):
        response = client.post("/comptes/mot-de-passe/oubli/", {"email": "agent@example.fr"})
        assert response.status_code == 302
    response = client.post("/comptes/mot-de-passe/oubli/", {"email": "agent@example.fr"})
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()
    assert len(mail.outbox) == 3
    assert client.get("/comptes/mot-de-passe/oubli/").status_code == 200  # the form still shows


def test_anonymous_pdf_sheets_are_capped_with_a_readable_page(client, territory_28, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "pdf", "2/hour")
    load_demo_places()
    place = Place.objects.order_by("pk").first()
    assert client.get(f"/lieux/{place.pk}/fiche.pdf").status_code == 200
    assert client.get("/lieux/fiches.pdf?lieu=28085").status_code == 200
    response = client.get(f"/lieux/{place.pk}/fiche.pdf")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert "Trop de demandes" in html and "Réessayez dans" in html


def test_the_anonymous_api_is_throttled(client, territory_28, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", "5/minute")
    for _ in range(5):
        assert client.get("/api/communes/?departement=28&page_size=1").status_code == 200
    response = client.get("/api/communes/?departement=28&page_size=1")
    assert response.status_code == 429
    assert "Retry-After" in response


def test_a_forged_forwarded_address_escapes_neither_the_throttle_nor_the_lockout(
    client, staff, territory_28, monkeypatch
):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", "3/minute")
    statuses = [
        client.get(
            "/api/communes/?departement=28&page_size=1", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}"
        ).status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]

    for n in range(60):
        client.post(
            "/comptes/connexion/",
            {"username": "agent", "password": "mauvais"},
            HTTP_X_FORWARDED_FOR=f"10.1.0.{n}",
        )
    response = client.post(
        "/comptes/connexion/",
        {"username": "agent", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="10.2.0.1",
    )
    assert response.status_code == 429
