"""“Signaler une erreur”: a short form anyone may send (throttled), stored, e-mailed to the
place's members and to the moderators covering it, and resolved from a queue."""

import pytest
from django.core import mail
from django.core.cache import cache
from rest_framework.throttling import SimpleRateThrottle

from actors.models import ErrorReport, Membership, Place

pytestmark = pytest.mark.django_db


def report(place, **values):
    return ErrorReport.objects.create(place=place, kind=values.pop("kind", "hours"), **values)


def test_an_anonymous_report_is_stored_and_sent_to_members_and_moderators(
    listings, client, django_capture_on_commit_callbacks
):
    reemploi = listings["reemploi"]
    page = client.get(f"/lieux/{reemploi.pk}/").content.decode()
    assert f'href="/lieux/{reemploi.pk}/signaler/">Signaler une erreur' in page
    form = client.get(f"/lieux/{reemploi.pk}/signaler/").content.decode()
    assert "<legend" in form and "Qu’est-ce qui est faux ?" in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/lieux/{reemploi.pk}/signaler/",
            {
                "kind": "hours",
                "message": "Fermé le mercredi depuis septembre.",
                "email": "habitant@exemple.fr",
                "notify_reporter": "on",
            },
            follow=True,
        )
    assert "Merci : votre signalement est transmis" in response.content.decode()
    stored = ErrorReport.objects.get()
    assert (stored.place, stored.kind, stored.status) == (reemploi, "hours", "open")
    assert (stored.email, stored.notify_reporter, stored.reporter) == (
        "habitant@exemple.fr",
        True,
        None,
    )
    assert [sorted(m.to) for m in mail.outbox] == [
        ["chef@reemploi.fr", "modo@eure-et-loir.fr", "modo@france.fr"]
    ]
    assert "Fermé le mercredi depuis septembre." in mail.outbox[0].body


def test_a_wrong_report_says_what_to_fix_keeps_what_was_typed_and_stores_nothing(listings, client):
    url = f"/lieux/{listings['fablab'].pk}/signaler/"
    response = client.post(url, {"message": "Le numéro a changé", "email": "pas-une-adresse"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choisissez ce qui est faux." in page and "Saisissez une adresse électronique" in page
    assert "Le numéro a changé" in page and 'value="pas-une-adresse"' in page
    assert 'href="#id_kind_0"' in page  # the error summary links to the field
    response = client.post(url, {"kind": "other", "notify_reporter": "on"})
    page = response.content.decode()
    assert "Décrivez ce qui est faux." in page
    assert "Indiquez votre adresse électronique pour être prévenu." in page
    assert not ErrorReport.objects.exists()


def test_anonymous_reports_are_throttled(listings, client, monkeypatch):
    cache.clear()
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "error_report", "2/hour")
    url = f"/lieux/{listings['fablab'].pk}/signaler/"
    statuses = [client.post(url, {"kind": "closed"}).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert ErrorReport.objects.count() == 2
    assert client.get(url).status_code == 200  # reading the form is not limited
    cache.clear()


def test_the_queue_shows_each_person_what_they_follow(listings, client):
    on_reemploi = report(listings["reemploi"], message="horaires du samedi")
    on_fablab = report(listings["fablab"], kind="closed", message="déménagé rue Noël Ballay")
    # The moderator of Eure-et-Loir sees both, from the menu.
    client.force_login(listings["modo28"])
    page = client.get("/espace/signalements/").content.decode()
    assert 'href="/espace/signalements/"' in page.split("<main")[0]
    assert "horaires du samedi" in page and "déménagé rue Noël Ballay" in page
    # So does a national moderator (who is member of nothing).
    client.force_login(listings["modo_fr"])
    page = client.get("/espace/signalements/").content.decode()
    assert "horaires du samedi" in page and "déménagé rue Noël Ballay" in page
    # A member sees the reports on their own places only, and has no menu entry.
    client.force_login(listings["chef"])
    page = client.get("/espace/signalements/").content.decode()
    assert "horaires du samedi" in page and "déménagé" not in page
    assert 'href="/espace/signalements/"' not in page.split("<main")[0]
    assert "1 à traiter" in client.get("/espace/").content.decode()
    # The moderator of another département sees nothing, and cannot resolve: 404.
    client.force_login(listings["modo35"])
    page = client.get("/espace/signalements/").content.decode()
    assert "Aucun signalement à traiter" in page
    assert client.post(f"/espace/signalements/{on_fablab.pk}/traiter/").status_code == 404
    client.force_login(listings["lea"])
    assert client.post(f"/espace/signalements/{on_reemploi.pk}/traiter/").status_code == 404
    on_fablab.refresh_from_db()
    assert on_fablab.status == "open"
    client.logout()
    assert client.get("/espace/signalements/").status_code == 302


def test_the_queue_filters_and_pages(listings, client):
    for i in range(23):
        report(listings["fablab"], message=f"erreur numéro {i:02d}")
    report(listings["fablab"], message="déjà corrigée", status="resolved")
    client.force_login(listings["modo28"])
    first = client.get("/espace/signalements/").content.decode()
    assert "23 signalements à traiter" in first and "déjà corrigée" not in first
    assert "erreur numéro 22" in first and "erreur numéro 02" not in first
    assert 'href="?etat=a-traiter&amp;page=2"' in first
    second = client.get("/espace/signalements/?etat=a-traiter&page=2").content.decode()
    assert "erreur numéro 02" in second and "erreur numéro 22" not in second
    resolved = client.get("/espace/signalements/?etat=traites").content.decode()
    assert "déjà corrigée" in resolved and "erreur numéro" not in resolved
    assert "24 signalements" in client.get("/espace/signalements/?etat=tous").content.decode()
    # An unknown filter falls back to the open ones.
    assert (
        "23 signalements à traiter" in client.get("/espace/signalements/?etat=%").content.decode()
    )


def test_resolving_notes_who_and_when_and_tells_the_reporter_who_asked(
    listings, client, django_capture_on_commit_callbacks
):
    asked = report(listings["reemploi"], email="habitant@exemple.fr", notify_reporter=True)
    silent = report(listings["reemploi"], email="autre@exemple.fr", notify_reporter=False)
    client.force_login(listings["chef"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/espace/signalements/{asked.pk}/traiter/",
            {"resolution": "Horaires du samedi corrigés.", "next": "/espace/signalements/"},
        )
        client.post(f"/espace/signalements/{silent.pk}/traiter/", {"resolution": ""})
    assert response["Location"] == "/espace/signalements/"
    asked.refresh_from_db()
    assert (asked.status, asked.resolved_by, asked.resolution) == (
        "resolved",
        listings["chef"],
        "Horaires du samedi corrigés.",
    )
    assert asked.resolved_at is not None
    assert [m.to for m in mail.outbox] == [["habitant@exemple.fr"]]
    assert "Horaires du samedi corrigés." in mail.outbox[0].body
    page = client.get("/espace/signalements/?etat=traites").content.decode()
    assert "Traité le" in page and "par chef" in page
    # Resolved twice: nothing changes, nobody is told again.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/espace/signalements/{asked.pk}/traiter/", {"next": "https://ailleurs.example/"}
        )
    assert mail.outbox == []


def test_the_admin_lists_claims_and_reports_of_the_administrators_territory_only(
    listings, client, django_capture_on_commit_callbacks
):
    from actors.models import PlaceClaim

    on_fablab = report(listings["fablab"], message="déménagé rue Noël Ballay")
    claim = PlaceClaim.objects.create(place=listings["fablab"], user=listings["lea"])
    client.force_login(listings["modo35"])
    assert "Fablab de Chartres" not in client.get("/admin/actors/errorreport/").content.decode()
    assert "Fablab de Chartres" not in client.get("/admin/actors/placeclaim/").content.decode()
    assert client.get(f"/admin/actors/errorreport/{on_fablab.pk}/change/").status_code in (302, 404)
    client.force_login(listings["modo28"])
    assert "Fablab de Chartres" in client.get("/admin/actors/errorreport/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/actors/placeclaim/",
            {"action": "approve", "_selected_action": [claim.pk]},
        )
    claim.refresh_from_db()
    assert (claim.status, claim.decided_by) == ("approved", listings["modo28"])
    assert Membership.objects.get(user=listings["lea"]).role == "admin"
    assert [m.to for m in mail.outbox] == [["lea@fablab.fr"]]


def test_a_place_name_with_a_line_break_still_reaches_its_moderators(
    listings, client, django_capture_on_commit_callbacks
):
    Place.objects.filter(pk=listings["fablab"].pk).update(name="Fablab\nde Chartres")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/lieux/{listings['fablab'].pk}/signaler/", {"kind": "closed"})
    assert response.status_code == 302
    assert [m.subject for m in mail.outbox] == ["Erreur signalée sur « Fablab de Chartres »"]
