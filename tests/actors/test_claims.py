"""“C'est mon lieu”: a médiateur claims a listing; the structure's admins decide, or while it has
none the moderators (hub administrators) covering the place; the claimant is told and edits."""

import pytest
from django.core import mail

from actors.models import Membership, PlaceClaim

pytestmark = pytest.mark.django_db


def claim(client, user, place, message="Je suis la médiatrice du fablab."):
    client.force_login(user)
    return client.post(f"/lieux/{place.pk}/c-est-mon-lieu/", {"message": message})


def decide(client, user, claim_pk, decision="approve"):
    client.force_login(user)
    return client.post(f"/espace/revendications/{claim_pk}/", {"decision": decision})


def test_an_imported_listing_without_siret_is_claimed_and_approved_by_the_departement_moderator(
    listings, client, django_capture_on_commit_callbacks
):
    fablab = listings["fablab"]
    assert not fablab.structure.siret and not fablab.structure.memberships.exists()
    client.force_login(listings["lea"])
    page = client.get(f"/lieux/{fablab.pk}/").content.decode()
    assert "C’est mon lieu" in page and f"/lieux/{fablab.pk}/c-est-mon-lieu/" in page
    assert (
        "modérateurs du hub" in client.get(f"/lieux/{fablab.pk}/c-est-mon-lieu/").content.decode()
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = claim(client, listings["lea"], fablab)
    assert response.status_code == 302
    request = PlaceClaim.objects.get(place=fablab, user=listings["lea"])
    assert request.status == "pending" and request.message == "Je suis la médiatrice du fablab."
    # The moderators covering Chartres are told, those of another département are not.
    assert [m.to for m in mail.outbox] == [["modo@eure-et-loir.fr", "modo@france.fr"]]
    assert "Je suis la médiatrice du fablab." in mail.outbox[0].body
    # Until approved, the médiateur cannot edit the listing; their space says it is pending.
    assert client.get(f"/espace/lieux/{fablab.pk}/modifier/").status_code == 403
    assert "en attente" in client.get("/espace/").content.decode()
    page = client.get(f"/lieux/{fablab.pk}/").content.decode()
    assert "est en attente" in page and f"/lieux/{fablab.pk}/c-est-mon-lieu/" not in page

    # Another médiateur and the moderator of another département do not see it: 404.
    assert decide(client, listings["sam"], request.pk).status_code == 404
    assert decide(client, listings["modo35"], request.pk).status_code == 404
    assert "Fablab de Chartres" not in client.get("/espace/").content.decode()
    request.refresh_from_db()
    assert request.status == "pending"

    client.force_login(listings["modo_fr"])
    assert "Accepter : lea tient « Fablab de Chartres »" in client.get("/espace/").content.decode()
    assert "Fablab de Chartres" in client.get("/admin/actors/placeclaim/").content.decode()
    mail.outbox.clear()
    client.force_login(listings["modo28"])
    assert "Accepter : lea tient « Fablab de Chartres »" in client.get("/espace/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert decide(client, listings["modo28"], request.pk).status_code == 302
    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("approved", listings["modo28"])
    assert request.decided_at is not None
    # The listing had nobody: the claimant becomes the admin of its structure, and is told.
    membership = Membership.objects.get(user=listings["lea"])
    assert (membership.structure_id, membership.role, membership.status) == (
        fablab.structure_id,
        "admin",
        "active",
    )
    assert [m.to for m in mail.outbox] == [["lea@fablab.fr"]]
    assert "acceptée" in mail.outbox[0].subject

    client.force_login(listings["lea"])
    space = client.get("/espace/").content.decode()
    assert "acceptée" in space and "Modifier « Fablab de Chartres »" in space
    assert client.get(f"/espace/lieux/{fablab.pk}/modifier/").status_code == 200
    assert "Modifier cette fiche" in client.get(f"/lieux/{fablab.pk}/").content.decode()


def test_a_structure_with_an_admin_decides_itself(
    listings, client, django_capture_on_commit_callbacks
):
    reemploi = listings["reemploi"]
    with django_capture_on_commit_callbacks(execute=True):
        claim(client, listings["lea"], reemploi, message="")
    request = PlaceClaim.objects.get(place=reemploi)
    assert [m.to for m in mail.outbox] == [["chef@reemploi.fr"]]
    # The structure has an admin: the département's moderator does not decide for it.
    assert decide(client, listings["modo28"], request.pk).status_code == 404
    assert decide(client, listings["chef"], request.pk).status_code == 302
    membership = Membership.objects.get(user=listings["lea"])
    assert (membership.structure_id, membership.role, membership.status) == (
        reemploi.structure_id,
        "member",
        "active",
    )


def test_a_refused_claim_gives_no_right_and_the_claimant_is_told(
    listings, client, django_capture_on_commit_callbacks
):
    fablab = listings["fablab"]
    claim(client, listings["sam"], fablab)
    request = PlaceClaim.objects.get(place=fablab)
    with django_capture_on_commit_callbacks(execute=True):
        decide(client, listings["modo28"], request.pk, "refuse")
    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("refused", listings["modo28"])
    assert not Membership.objects.filter(user=listings["sam"]).exists()
    assert [m.to for m in mail.outbox] == [["sam@ailleurs.fr"]]
    assert "refusée" in mail.outbox[0].subject
    client.force_login(listings["sam"])
    assert "refusée" in client.get("/espace/").content.decode()
    assert client.get(f"/espace/lieux/{fablab.pk}/modifier/").status_code == 403
    # A decided claim is decided once.
    assert decide(client, listings["modo28"], request.pk).status_code == 404


def test_one_pending_claim_per_person_and_place(listings, client):
    claim(client, listings["lea"], listings["fablab"])
    response = claim(client, listings["lea"], listings["fablab"])
    assert PlaceClaim.objects.filter(place=listings["fablab"]).count() == 1
    assert "est en attente" in response.content.decode()
    assert "Je suis la médiatrice du fablab." in response.content.decode()
    space = client.get("/espace/").content.decode()
    assert f'href="/lieux/{listings["fablab"].pk}/c-est-mon-lieu/">Voir ma demande' in space


def test_who_sees_c_est_mon_lieu(listings, client):
    fablab = listings["fablab"]
    url = f"/lieux/{fablab.pk}/c-est-mon-lieu/"
    # Anonymous: a sign-in and a sign-up link that both come back to the claim.
    page = client.get(f"/lieux/{fablab.pk}/").content.decode()
    assert f"/comptes/connexion/?next=%2Flieux%2F{fablab.pk}%2Fc-est-mon-lieu%2F" in page
    assert f"/comptes/inscription/?next=%2Flieux%2F{fablab.pk}%2Fc-est-mon-lieu%2F" in page
    assert client.get(url).status_code == 302
    # DSDEN staff are not médiateurs: no link, and the page refuses.
    client.force_login(listings["dsden"])
    assert url not in client.get(f"/lieux/{fablab.pk}/").content.decode()
    assert client.get(url).status_code == 403
    # A member already keeps it: sent to its edit form.
    client.force_login(listings["chef"])
    response = client.get(f"/lieux/{listings['reemploi'].pk}/c-est-mon-lieu/")
    assert response["Location"] == f"/espace/lieux/{listings['reemploi'].pk}/modifier/"


def test_a_new_account_comes_back_to_the_claim(listings, client):
    url = f"/lieux/{listings['fablab'].pk}/c-est-mon-lieu/"
    form = client.get(f"/comptes/inscription/?next={url}").content.decode()
    assert f'name="next" value="{url}"' in form
    response = client.post(
        "/comptes/inscription/",
        {
            "username": "nouvelle",
            "email": "nouvelle@lieu.fr",
            "password1": "un-mot-de-passe-2026",
            "password2": "un-mot-de-passe-2026",
            "next": url,
        },
    )
    assert response.status_code == 302 and response["Location"] == url
    assert client.get(url).status_code == 200
    # An address elsewhere is not followed.
    client.logout()
    response = client.post(
        "/comptes/inscription/",
        {
            "username": "autre",
            "email": "autre@lieu.fr",
            "password1": "un-mot-de-passe-2026",
            "password2": "un-mot-de-passe-2026",
            "next": "https://ailleurs.example/",
        },
    )
    assert response["Location"] == "/espace/rejoindre/"
