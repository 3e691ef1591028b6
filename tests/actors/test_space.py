"""The médiateurs' space: who may do what, claims and approvals, editing and its history."""

import pytest
from django.contrib.auth.models import Group

from accounts import roles
from accounts.services import make_hub_admin
from actors.demo import load_demo_places
from actors.models import Membership, Place, Structure

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(territory_28, django_user_model):
    """Two structures with their places, and one person for each role."""
    load_demo_places()
    fablab = Place.objects.get(name="Fablab de Chartres")
    reemploi = Place.objects.get(name__startswith="Atelier de réemploi")
    Structure.objects.filter(pk=fablab.structure_id).update(siret="11122233300011")
    make = django_user_model.objects.create_user
    people = {
        "member": make("membre-fablab", "m@fablab.fr", "pw-solide-123"),
        "admin": make("admin-fablab", "a@fablab.fr", "pw-solide-123"),
        "other": make("membre-reemploi", "m@reemploi.fr", "pw-solide-123"),
        "dsden": make("agent-dsden", "d@ac.fr", "pw-solide-123"),
        "hub": make("admin-hub", "h@hub.fr", "pw-solide-123"),
    }
    Membership.objects.create(structure=fablab.structure, user=people["member"], status="active")
    Membership.objects.create(
        structure=fablab.structure, user=people["admin"], role="admin", status="active"
    )
    Membership.objects.create(structure=reemploi.structure, user=people["other"], status="active")
    people["dsden"].groups.add(Group.objects.get(name=roles.DSDEN_STAFF))
    make_hub_admin(people["hub"])
    return {"fablab": fablab, "reemploi": reemploi, **people}


EDIT = {
    "place-name": "Fablab de Chartres",
    "place-address": "5 rue du Bourg",
    "place-postal_code": "28000",
    "hours-We_1_start": "14:00",
    "hours-We_1_end": "19:00",
    "hours-Sa_1_start": "10:00",
    "hours-Sa_1_end": "12:30",
    "hours-Sa_2_start": "14:00",
    "hours-Sa_2_end": "18:00",
    "offers-services": ["Loisirs et créations numériques", "Compréhension du monde numérique"],
    "offers-publics": ["Jeunes", "Étudiants"],
    "offers-fees": ["Payant"],
    "offers-accompaniment_modes": ["Dans un atelier collectif", "En autonomie"],
}


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("member", True),
        ("admin", True),
        ("hub", True),
        ("other", False),
        ("dsden", False),
        (None, False),
    ],
)
def test_only_members_and_hub_admins_edit_a_place(world, client, who, allowed):
    place = world["fablab"]
    if who:
        client.force_login(world[who])
    urls = [f"/espace/lieux/{place.pk}/modifier/", f"/espace/lieux/{place.pk}/historique/"]
    for url in urls:
        response = client.get(url)
        if who is None:
            assert response.status_code == 302 and "/comptes/connexion/" in response["Location"]
        else:
            assert response.status_code == (200 if allowed else 403)
    response = client.post(f"/espace/lieux/{place.pk}/modifier/", EDIT)
    client.post(f"/espace/lieux/{place.pk}/confirmer/")
    place.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert place.address == "5 rue du Bourg"
        assert place.opening_hours == "We 14:00-19:00; Sa 10:00-12:30,14:00-18:00"
        assert place.confirmed_at is not None
    else:
        assert response.status_code in (302, 403)
        assert place.address != "5 rue du Bourg"
        assert place.confirmed_at is None


def test_an_edit_shows_on_the_public_page_and_in_the_history(world, client):
    client.force_login(world["member"])
    place = world["fablab"]
    client.post(f"/espace/lieux/{place.pk}/modifier/", EDIT)
    page = client.get(f"/lieux/{place.pk}/").content.decode()
    assert "5 rue du Bourg" in page
    assert "Samedi</th><td>10 h – 12 h 30, 14 h – 18 h" in page
    history = client.get(f"/espace/lieux/{place.pk}/historique/").content.decode()
    assert "membre-fablab" in history
    assert "mercredi 14 h – 19 h ; samedi 10 h – 12 h 30, 14 h – 18 h" in history
    assert "mercredi 14 h – 19 h ; samedi 10 h – 18 h" in history  # the hours before


def test_a_wrong_slot_is_said_next_to_it_and_nothing_is_saved(world, client):
    client.force_login(world["member"])
    place = world["fablab"]
    bad = {**EDIT, "hours-Sa_1_end": "09:00", "place-address": "Nouvelle adresse"}
    response = client.post(f"/espace/lieux/{place.pk}/modifier/", bad)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Samedi : la fermeture du matin doit être après l’ouverture." in html
    assert 'value="Nouvelle adresse"' in html
    assert 'value="09:00"' in html
    place.refresh_from_db()
    assert place.address != "Nouvelle adresse"


def test_claiming_a_structure_without_admin_waits_for_a_hub_admin(world, client, django_user_model):
    structure = world["reemploi"].structure
    Structure.objects.filter(pk=structure.pk).update(siret="99988877700011")
    newcomer = django_user_model.objects.create_user("nouvelle", "n@asso.fr", "pw-solide-123")
    client.force_login(newcomer)
    response = client.post("/espace/rejoindre/", {"siret": "999 888 777 00011"}, follow=True)
    assert "un administrateur du hub va l’examiner" in response.content.decode()
    claim = Membership.objects.get(user=newcomer)
    assert (claim.role, claim.status) == ("admin", "pending")
    assert client.get(f"/espace/lieux/{world['reemploi'].pk}/modifier/").status_code == 403

    # The structure's plain member cannot decide; a hub administrator can.
    client.force_login(world["other"])
    assert client.post(f"/espace/demandes/{claim.pk}/", {"decision": "approve"}).status_code == 404
    client.force_login(world["hub"])
    assert "Accepter la demande de nouvelle" in client.get("/espace/").content.decode()
    client.post(f"/espace/demandes/{claim.pk}/", {"decision": "approve"})
    claim.refresh_from_db()
    assert claim.status == "active" and claim.decided_by == world["hub"]
    client.force_login(newcomer)
    assert client.get(f"/espace/lieux/{world['reemploi'].pk}/modifier/").status_code == 200


def test_once_a_structure_has_an_admin_its_admin_decides(world, client, django_user_model):
    newcomer = django_user_model.objects.create_user("recrue", "r@fablab.fr", "pw-solide-123")
    client.force_login(newcomer)
    client.post("/espace/rejoindre/", {"siret": "11122233300011"})
    claim = Membership.objects.get(user=newcomer)
    assert claim.role == "member"
    for outsider in ("other", "member"):
        client.force_login(world[outsider])
        assert (
            client.post(f"/espace/demandes/{claim.pk}/", {"decision": "approve"}).status_code == 404
        )
    client.force_login(world["admin"])
    client.post(f"/espace/demandes/{claim.pk}/", {"decision": "refuse"})
    claim.refresh_from_db()
    assert claim.status == "refused"


def test_an_unknown_siret_is_said_next_to_the_field(world, client):
    client.force_login(world["dsden"])
    html = client.post("/espace/rejoindre/", {"siret": "12345678900000"}).content.decode()
    assert "Aucune structure du hub n’a le SIRET « 12345678900000 »" in html
    assert 'value="12345678900000"' in html
    assert not Membership.objects.filter(user=world["dsden"]).exists()


def test_signup_makes_a_mediateur(client, django_user_model):
    response = client.post(
        "/comptes/inscription/",
        {
            "username": "lea",
            "email": "lea@ccas.fr",
            "password1": "un-mot-de-passe-2026",
            "password2": "un-mot-de-passe-2026",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/espace/rejoindre/"
    user = django_user_model.objects.get(username="lea")
    assert user.has_role(roles.MEDIATEURS)


def test_a_member_changes_what_the_place_offers(world, client):
    client.force_login(world["member"])
    place = world["fablab"]
    form = client.get(f"/espace/lieux/{place.pk}/modifier/").content.decode()
    assert 'value="Loisirs et créations numériques" id="id_offers-services_5" checked' in form
    changed = {
        **EDIT,
        "offers-services": ["Utilisation sécurisée du numérique"],
        "offers-publics": ["Seniors"],
    }
    client.post(f"/espace/lieux/{place.pk}/modifier/", changed)
    offers = list(place.offers.order_by("position"))
    assert [o.service for o in offers] == ["Utilisation sécurisée du numérique"]
    assert offers[0].publics == ["Seniors"] and offers[0].fees == ["Payant"]
    page = client.get(f"/lieux/{place.pk}/").content.decode()
    assert "<li>Utilisation sécurisée du numérique</li>" in page
    assert "<li>Loisirs et créations numériques</li>" not in page


def test_structure_admins_invite_members_by_email(world, client, django_user_model):
    from django.core import mail

    structure = world["fablab"].structure
    client.force_login(world["member"])  # a plain member cannot invite
    assert client.get(f"/espace/structures/{structure.pk}/inviter/").status_code == 403
    client.force_login(world["admin"])
    client.post(
        f"/espace/structures/{structure.pk}/inviter/", {"email": "tom@fablab.fr", "role": "member"}
    )
    assert mail.outbox[0].to == ["tom@fablab.fr"]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/espace/invitation/" in line)
    path = link.split("testserver", 1)[1]
    tom = django_user_model.objects.create_user("tom", "tom@fablab.fr", "pw-solide-123")
    client.force_login(tom)
    assert "Rejoindre « Fablab de Chartres »" in client.get(path).content.decode()
    client.post(path)
    assert Membership.objects.get(user=tom, structure=structure).status == "active"
    assert client.get(f"/espace/lieux/{world['fablab'].pk}/modifier/").status_code == 200
    assert client.get(path).status_code == 403  # used once


def test_members_of_an_itinerant_place_edit_its_stops(world, client):
    from actors.models import Stop
    from cartography.models import Commune

    bus = Place.objects.get(name__startswith="Bus numérique")
    member = world["other"]
    Membership.objects.create(structure=bus.structure, user=member, status="active")
    client.force_login(member)
    assert (
        "Arrêts du lieu itinérant"
        in client.get(f"/espace/lieux/{bus.pk}/modifier/").content.decode()
    )
    stops = list(bus.stops.order_by("pk"))
    data = {
        "place-name": bus.name,
        "place-address": bus.address,
        "place-postal_code": bus.postal_code,
        "hours-Tu_1_start": "09:30",
        "hours-Tu_1_end": "12:00",
        "offers-services": ["Aide aux démarches administratives"],
        "stops-TOTAL_FORMS": str(len(stops) + 1),
        "stops-INITIAL_FORMS": str(len(stops)),
    }
    for i, stop in enumerate(stops):
        data |= {
            f"stops-{i}-id": stop.pk,
            f"stops-{i}-commune": stop.commune_id,
            f"stops-{i}-label": stop.label,
            f"stops-{i}-opening_hours": stop.opening_hours,
        }
    data["stops-0-DELETE"] = "on"
    data["stops-1-opening_hours"] = "2031 Dec 02 14:00-17:00"
    brou = Commune.objects.get(code="28061")
    new = len(stops)
    data |= {
        f"stops-{new}-commune": brou.pk,
        f"stops-{new}-label": "Parking du marché",
        f"stops-{new}-opening_hours": "Sa 09:00-12:00",
    }

    bad = client.post(
        f"/espace/lieux/{bus.pk}/modifier/", {**data, f"stops-{new}-opening_hours": "samedi matin"}
    )
    assert "Jours et horaires illisibles" in bad.content.decode()
    assert bus.stops.count() == len(stops)

    client.post(f"/espace/lieux/{bus.pk}/modifier/", data)
    assert not Stop.objects.filter(pk=stops[0].pk).exists()
    assert Stop.objects.get(pk=stops[1].pk).opening_hours == "2031 Dec 02 14:00-17:00"
    added = bus.stops.get(commune=brou)
    assert added.location is not None and brou.geometry.contains(added.location)
    page = client.get(f"/lieux/{bus.pk}/").content.decode()
    assert "<strong>Brou</strong>, Parking du marché : samedi 9 h – 12 h" in page
    assert "2031 Dec 02 14:00-17:00" in page  # a dated stop outside this week: as written


def test_a_new_structure_is_proposed_then_gets_its_first_place(world, client, django_user_model):
    newcomer = django_user_model.objects.create_user("ines", "ines@asso.fr", "pw-solide-123")
    client.force_login(newcomer)
    client.post("/espace/rejoindre/", {"siret": "W281000999", "name": "Clic Seniors Beauce"})
    structure = Structure.objects.get(siret="W281000999")
    assert structure.proposed_by == newcomer
    claim = Membership.objects.get(user=newcomer)
    assert (claim.role, claim.status) == ("admin", "pending")
    assert client.get(f"/espace/structures/{structure.pk}/lieux/nouveau/").status_code == 403

    client.force_login(world["hub"])
    assert "nouvelle structure proposée" in client.get("/espace/").content.decode()
    client.post(f"/espace/demandes/{claim.pk}/", {"decision": "approve"})

    client.force_login(newcomer)
    from cartography.models import Commune

    bonneval = Commune.objects.get(code="28051")
    response = client.post(
        f"/espace/structures/{structure.pk}/lieux/nouveau/",
        {
            "where-commune": bonneval.pk,
            "place-name": "Clic Seniors — salle des fêtes",
            "place-address": "Place de l’Église",
            "place-postal_code": "28800",
            "hours-Th_1_start": "14:00",
            "hours-Th_1_end": "17:00",
            "offers-services": ["Maîtrise des outils numériques du quotidien"],
            "offers-publics": ["Seniors"],
        },
    )
    place = Place.objects.get(structure=structure)
    assert response["Location"] == f"/lieux/{place.pk}/"
    assert place.commune == bonneval and place.location_approximate
    assert place.opening_hours == "Th 14:00-17:00"
    html = client.get("/lieux/", {"lieu": "Bonneval"}).content.decode()
    assert "Clic Seniors — salle des fêtes" in html


def test_a_malformed_siret_is_refused_next_to_the_field(world, client):
    client.force_login(world["dsden"])
    html = client.post("/espace/rejoindre/", {"siret": "12-34", "name": "X"}).content.decode()
    assert "Un SIRET a 14 chiffres" in html
    assert not Structure.objects.filter(name="X").exists()
