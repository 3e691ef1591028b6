"""“C'est mon lieu”: a médiateur claims a listing; the structure's admins decide, or while it has
none the moderators (hub administrators) covering the place; the claimant is told and edits."""

import pytest
from django.core import mail

from accounts import roles
from accounts.services import grant, make_hub_admin
from actors.demo import load_demo_places
from actors.models import Membership, Place, PlaceClaim

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(territory_28, django_user_model):
    """Imported listings without SIRET (each with a structure of its own, nobody in it), one
    whose structure has an admin, two médiateurs, and moderators of Eure-et-Loir and elsewhere."""
    load_demo_places()
    make = django_user_model.objects.create_user
    people = {
        "lea": make("lea", "lea@fablab.fr", "pw-solide-123"),
        "sam": make("sam", "sam@ailleurs.fr", "pw-solide-123"),
        "chef": make("chef", "chef@reemploi.fr", "pw-solide-123"),
        "modo28": make("modo28", "modo@eure-et-loir.fr", "pw-solide-123"),
        "modo35": make("modo35", "modo@ille-et-vilaine.fr", "pw-solide-123"),
        "modo_fr": make("modo-fr", "modo@france.fr", "pw-solide-123"),
        "dsden": make("dsden", "d@ac.fr", "pw-solide-123"),
    }
    for name in ("lea", "sam", "chef"):
        grant(people[name], roles.MEDIATEURS)
    grant(people["dsden"], roles.DSDEN_STAFF, (roles.DEPARTEMENT, "28"))
    make_hub_admin(people["modo28"], (roles.DEPARTEMENT, "28"))
    make_hub_admin(people["modo35"], (roles.DEPARTEMENT, "35"))
    make_hub_admin(people["modo_fr"])  # national
    fablab = Place.objects.get(name="Fablab de Chartres")
    reemploi = Place.objects.get(name__startswith="Atelier de réemploi")
    Membership.objects.create(
        structure=reemploi.structure, user=people["chef"], role="admin", status="active"
    )
    return {"fablab": fablab, "reemploi": reemploi, **people}


def claim(client, user, place, message="Je suis la médiatrice du fablab."):
    client.force_login(user)
    return client.post(f"/lieux/{place.pk}/c-est-mon-lieu/", {"message": message})


def decide(client, user, claim_pk, decision="approve"):
    client.force_login(user)
    return client.post(f"/espace/revendications/{claim_pk}/", {"decision": decision})


def test_an_imported_listing_without_siret_is_claimed_and_approved_by_the_departement_moderator(
    world, client, django_capture_on_commit_callbacks
):
    fablab = world["fablab"]
    assert not fablab.structure.siret and not fablab.structure.memberships.exists()
    client.force_login(world["lea"])
    page = client.get(f"/lieux/{fablab.pk}/").content.decode()
    assert "C’est mon lieu" in page and f"/lieux/{fablab.pk}/c-est-mon-lieu/" in page
    assert (
        "modérateurs du hub" in client.get(f"/lieux/{fablab.pk}/c-est-mon-lieu/").content.decode()
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = claim(client, world["lea"], fablab)
    assert response.status_code == 302
    request = PlaceClaim.objects.get(place=fablab, user=world["lea"])
    assert request.status == "pending" and request.message == "Je suis la médiatrice du fablab."
    # The moderators covering Chartres are told, those of another département are not.
    assert [m.to for m in mail.outbox] == [["modo@eure-et-loir.fr", "modo@france.fr"]]
    assert "Je suis la médiatrice du fablab." in mail.outbox[0].body
    # Until approved, the médiateur cannot edit the listing; their space says it is pending.
    assert client.get(f"/espace/lieux/{fablab.pk}/modifier/").status_code == 403
    assert "en attente" in client.get("/espace/").content.decode()

    # Another médiateur and the moderator of another département do not see it: 404.
    assert decide(client, world["sam"], request.pk).status_code == 404
    assert decide(client, world["modo35"], request.pk).status_code == 404
    assert "Fablab de Chartres" not in client.get("/espace/").content.decode()
    request.refresh_from_db()
    assert request.status == "pending"

    client.force_login(world["modo_fr"])
    assert "Accepter : lea tient « Fablab de Chartres »" in client.get("/espace/").content.decode()
    assert "Fablab de Chartres" in client.get("/admin/actors/placeclaim/").content.decode()
    mail.outbox.clear()
    client.force_login(world["modo28"])
    assert "Accepter : lea tient « Fablab de Chartres »" in client.get("/espace/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert decide(client, world["modo28"], request.pk).status_code == 302
    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("approved", world["modo28"])
    assert request.decided_at is not None
    # The listing had nobody: the claimant becomes the admin of its structure, and is told.
    membership = Membership.objects.get(user=world["lea"])
    assert (membership.structure_id, membership.role, membership.status) == (
        fablab.structure_id,
        "admin",
        "active",
    )
    assert [m.to for m in mail.outbox] == [["lea@fablab.fr"]]
    assert "acceptée" in mail.outbox[0].subject

    client.force_login(world["lea"])
    space = client.get("/espace/").content.decode()
    assert "acceptée" in space and "Modifier « Fablab de Chartres »" in space
    assert client.get(f"/espace/lieux/{fablab.pk}/modifier/").status_code == 200
    assert "Modifier cette fiche" in client.get(f"/lieux/{fablab.pk}/").content.decode()


def test_a_structure_with_an_admin_decides_itself(
    world, client, django_capture_on_commit_callbacks
):
    reemploi = world["reemploi"]
    with django_capture_on_commit_callbacks(execute=True):
        claim(client, world["lea"], reemploi, message="")
    request = PlaceClaim.objects.get(place=reemploi)
    assert [m.to for m in mail.outbox] == [["chef@reemploi.fr"]]
    # The structure has an admin: the département's moderator does not decide for it.
    assert decide(client, world["modo28"], request.pk).status_code == 404
    assert decide(client, world["chef"], request.pk).status_code == 302
    membership = Membership.objects.get(user=world["lea"])
    assert (membership.structure_id, membership.role, membership.status) == (
        reemploi.structure_id,
        "member",
        "active",
    )


def test_a_refused_claim_gives_no_right_and_the_claimant_is_told(
    world, client, django_capture_on_commit_callbacks
):
    fablab = world["fablab"]
    claim(client, world["sam"], fablab)
    request = PlaceClaim.objects.get(place=fablab)
    with django_capture_on_commit_callbacks(execute=True):
        decide(client, world["modo28"], request.pk, "refuse")
    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("refused", world["modo28"])
    assert not Membership.objects.filter(user=world["sam"]).exists()
    assert [m.to for m in mail.outbox] == [["sam@ailleurs.fr"]]
    assert "refusée" in mail.outbox[0].subject
    client.force_login(world["sam"])
    assert "refusée" in client.get("/espace/").content.decode()
    assert client.get(f"/espace/lieux/{fablab.pk}/modifier/").status_code == 403
    # A decided claim is decided once.
    assert decide(client, world["modo28"], request.pk).status_code == 404


def test_one_pending_claim_per_person_and_place(world, client):
    claim(client, world["lea"], world["fablab"])
    response = claim(client, world["lea"], world["fablab"])
    assert PlaceClaim.objects.filter(place=world["fablab"]).count() == 1
    assert "est en attente" in response.content.decode()


def test_who_sees_c_est_mon_lieu(world, client):
    fablab = world["fablab"]
    url = f"/lieux/{fablab.pk}/c-est-mon-lieu/"
    # Anonymous: a sign-in and a sign-up link that both come back to the claim.
    page = client.get(f"/lieux/{fablab.pk}/").content.decode()
    assert f"/comptes/connexion/?next=%2Flieux%2F{fablab.pk}%2Fc-est-mon-lieu%2F" in page
    assert f"/comptes/inscription/?next=%2Flieux%2F{fablab.pk}%2Fc-est-mon-lieu%2F" in page
    assert client.get(url).status_code == 302
    # DSDEN staff are not médiateurs: no link, and the page refuses.
    client.force_login(world["dsden"])
    assert url not in client.get(f"/lieux/{fablab.pk}/").content.decode()
    assert client.get(url).status_code == 403
    # A member already keeps it: sent to its edit form.
    client.force_login(world["chef"])
    response = client.get(f"/lieux/{world['reemploi'].pk}/c-est-mon-lieu/")
    assert response["Location"] == f"/espace/lieux/{world['reemploi'].pk}/modifier/"


def test_a_new_account_comes_back_to_the_claim(world, client):
    url = f"/lieux/{world['fablab'].pk}/c-est-mon-lieu/"
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
