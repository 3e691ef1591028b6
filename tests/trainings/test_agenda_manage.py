"""Who keeps which trainings and sessions, by page, form post and API (role × object), and the
session form's refusals in French with nothing written."""

import datetime

import pytest
from django.utils import timezone

from actors.models import Membership
from trainings.models import Session, Training

from .agenda_fixtures import world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def session_post(world, **changes) -> dict:
    day = timezone.localdate() + datetime.timedelta(days=10)
    data = {
        "training": world.parents.pk,
        "venue": "lieu",
        "place": world.dreux.pk,
        "uai": "",
        "online_url": "",
        "room": "Salle 2",
        "day": day.isoformat(),
        "start": "14:00",
        "end": "16:00",
        "capacity": "12",
        "closes_on": "",
        "is_public": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def training_post(organiser: str, **changes) -> dict:
    data = {
        "title": "Sécurité de ses comptes",
        "summary": "Mots de passe, double authentification.",
        "organiser": organiser,
        "audiences": ["tout_public"],
        "themes": [],
        "level": "tous",
        "duration_minutes": "90",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("who", "training", "status"),
    [
        ("mia", "parents", 200),  # her structure's
        ("mia", "seniors", 404),  # another structure's
        ("bob", "parents", 404),
        ("dsden", "teachers", 200),  # the DSDEN of her département
        ("dsden", "parents", 404),
        ("dsden35", "teachers", 404),
        ("modo28", "parents", 200),  # hub administrators moderate their territory
        ("modo35", "parents", 404),
        ("nobody", "parents", 404),
    ],
)
def test_training_edit_page_and_post_by_role(client, world, who, training, status):
    target = getattr(world, training)
    client.force_login(world[who])
    url = f"/ateliers/gestion/formations/{target.pk}/modifier/"
    assert client.get(url).status_code == status
    organiser = f"structure:{target.structure_id}" if target.structure_id else "dsden:28"
    response = client.post(url, training_post(organiser, title="Changé"))
    assert response.status_code == (302 if status == 200 else 404)
    target.refresh_from_db()
    assert (target.title == "Changé") == (status == 200)


@pytest.mark.parametrize(
    ("who", "session", "status"),
    [
        ("mia", "s_dreux", 200),
        ("mia", "s_chartres", 404),
        ("bob", "s_dreux", 404),
        ("dsden", "s_school", 200),  # a session in a school of her département
        ("dsden", "s_dreux", 404),
        ("dsden35", "s_school", 404),
        ("modo28", "s_chartres", 200),
        ("nobody", "s_dreux", 404),
    ],
)
def test_session_edit_page_and_post_by_role(client, world, who, session, status):
    target = getattr(world, session)
    client.force_login(world[who])
    url = f"/ateliers/gestion/sessions/{target.pk}/modifier/"
    assert client.get(url).status_code == status
    before = target.capacity
    data = session_post(world, training=target.training_id, capacity="33")
    if target.school_id:
        data.update(venue="ecole", place="", uai=target.school.uai)
    elif target.place_id != world.dreux.pk:
        data.update(place=target.place_id)
    response = client.post(url, data)
    assert response.status_code == (302 if status == 200 else 404)
    target.refresh_from_db()
    assert target.capacity == (33 if status == 200 else before)


def test_management_pages_need_an_organiser(client, world):
    response = client.get("/ateliers/gestion/")
    assert response.status_code == 302 and "/comptes/connexion/" in response["Location"]
    client.force_login(world["nobody"])
    assert client.get("/ateliers/gestion/").status_code == 403
    assert (
        client.post("/ateliers/gestion/formations/nouvelle/", training_post("x")).status_code == 403
    )
    client.force_login(world["mia"])
    page = client.get("/ateliers/gestion/").content.decode()
    assert "Le temps d’écran en famille" in page
    assert "Premiers pas sur smartphone" not in page


def test_a_mediateur_creates_a_training_for_her_structure_only(client, world):
    client.force_login(world["mia"])
    other = training_post(f"structure:{world.chartres.structure_id}")
    response = client.post("/ateliers/gestion/formations/nouvelle/", other)
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Training.objects.filter(title="Sécurité de ses comptes").exists()
    mine = training_post(f"structure:{world.dreux.structure_id}")
    assert client.post("/ateliers/gestion/formations/nouvelle/", mine).status_code == 302
    created = Training.objects.get(title="Sécurité de ses comptes")
    assert created.structure == world.dreux.structure and created.created_by == world["mia"]


def test_a_training_without_audience_or_duration_is_refused_next_to_the_fields(client, world):
    client.force_login(world["mia"])
    data = training_post(
        f"structure:{world.dreux.structure_id}", audiences=[], duration_minutes="0"
    )
    page = client.post("/ateliers/gestion/formations/nouvelle/", data).content.decode()
    assert "Ce champ est obligatoire" in page
    assert "La durée doit être d’au moins une minute." in page
    assert 'value="Sécurité de ses comptes"' in page  # what was typed is kept
    assert not Training.objects.filter(title="Sécurité de ses comptes").exists()


def test_session_in_the_past_or_ending_before_it_starts_is_refused(client, world):
    client.force_login(world["mia"])
    count = Session.objects.count()
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    page = client.post(
        "/ateliers/gestion/sessions/nouvelle/", session_post(world, day=yesterday)
    ).content.decode()
    assert "Cette date est passée" in page
    page = client.post(
        "/ateliers/gestion/sessions/nouvelle/", session_post(world, start="16:00", end="14:00")
    ).content.decode()
    assert "L’heure de fin doit être après l’heure de début" in page
    assert 'value="16:00"' in page
    page = client.post(
        "/ateliers/gestion/sessions/nouvelle/", session_post(world, capacity="0")
    ).content.decode()
    assert "Il faut au moins une place." in page
    assert Session.objects.count() == count


def test_a_mediateur_creates_a_session_at_her_place(client, world):
    client.force_login(world["mia"])
    response = client.post("/ateliers/gestion/sessions/nouvelle/", session_post(world))
    assert response.status_code == 302
    session = Session.objects.latest("pk")
    assert response["Location"] == f"/ateliers/{session.pk}/"
    assert session.place == world.dreux and session.capacity == 12
    assert timezone.localtime(session.starts_at).hour == 14
    assert list(session.facilitators.all()) == [world["mia"]]
    # Another structure's place or training is not hers to choose.
    count = Session.objects.count()
    page = client.post(
        "/ateliers/gestion/sessions/nouvelle/", session_post(world, place=world.chartres.pk)
    ).content.decode()
    assert "Sélectionnez un choix valide" in page
    client.post(
        "/ateliers/gestion/sessions/nouvelle/", session_post(world, training=world.seniors.pk)
    )
    assert Session.objects.count() == count


def test_a_session_is_led_by_colleagues_of_the_structure_who_then_keep_it(
    client, world, django_user_model
):
    colleague = django_user_model.objects.create_user("leo", first_name="Léo", last_name="Roy")
    Membership.objects.create(structure=world.dreux.structure, user=colleague, status="active")
    client.force_login(world["mia"])
    form = client.get("/ateliers/gestion/sessions/nouvelle/").content.decode()
    assert "Animée par" in form and "Léo Roy" in form
    assert "bob" not in form  # another structure's médiateur is not offered
    refused = client.post(
        "/ateliers/gestion/sessions/nouvelle/",
        session_post(world, facilitators=[world["bob"].pk]),
    ).content.decode()
    assert "Sélectionnez un choix valide" in refused
    response = client.post(
        "/ateliers/gestion/sessions/nouvelle/",
        session_post(world, facilitators=[world["mia"].pk, colleague.pk]),
    )
    session = Session.objects.get(pk=response["Location"].strip("/").split("/")[-1])
    assert set(session.facilitators.all()) == {world["mia"], colleague}
    # The colleague finds it among the sessions she keeps, from her own account.
    client.force_login(colleague)
    assert (
        f"/ateliers/gestion/sessions/{session.pk}/modifier/"
        in client.get("/ateliers/gestion/").content.decode()
    )


def test_dsden_staff_create_sessions_in_the_schools_of_their_territory(client, world):
    client.force_login(world["dsden"])
    data = session_post(
        world, training=world.teachers.pk, venue="ecole", place="", uai="0280999z", is_public=None
    )
    assert client.post("/ateliers/gestion/sessions/nouvelle/", data).status_code == 302
    session = Session.objects.latest("pk")
    assert session.school == world.school and not session.is_public
    count = Session.objects.count()
    page = client.post(
        "/ateliers/gestion/sessions/nouvelle/", {**data, "uai": world.far_school.uai}
    ).content.decode()
    assert "hors de votre territoire" in page
    page = client.post(
        "/ateliers/gestion/sessions/nouvelle/", {**data, "uai": "0289999X"}
    ).content.decode()
    assert "Aucune école ne porte l’UAI « 0289999X »" in page
    assert Session.objects.count() == count


def test_api_lists_public_sessions_and_scopes_internal_ones(client, world):
    listed = client.get("/api/sessions/", {"lieu": "Dreux"}).json()
    assert [s["id"] for s in listed["results"]] == [world.s_dreux.pk]
    first = listed["results"][0]
    assert first["seats_left"] == 10 and first["venue"]["insee"] == "28134"
    assert "participants" not in first
    assert client.get(f"/api/sessions/{world.s_internal.pk}/").status_code == 404
    client.force_login(world["mia"])
    mine = client.get("/api/sessions/", {"lieu": "Dreux"}).json()["results"]
    assert {s["id"] for s in mine} == {world.s_dreux.pk, world.s_internal.pk}
    assert client.get(f"/api/sessions/{world.s_internal.pk}/").status_code == 200
    client.force_login(world["bob"])
    assert client.get(f"/api/sessions/{world.s_internal.pk}/").status_code == 404


def test_api_filters_and_readable_errors(client, world):
    seniors = client.get("/api/sessions/", {"public": "seniors"}).json()["results"]
    assert [s["id"] for s in seniors] == [world.s_chartres.pk]
    themed = client.get("/api/sessions/", {"theme": "temps-ecran"}).json()["results"]
    assert [s["id"] for s in themed] == [world.s_dreux.pk]
    response = client.get("/api/sessions/", {"public": "extraterrestres"})
    assert response.status_code == 400
    assert "public" in response.json()
    response = client.get("/api/sessions/", {"lieu": "Zzyzx"})
    assert response.status_code == 400
    assert "Aucune commune trouvée" in response.json()["lieu"][0]
    assert client.get("/api/trainings/", {"theme": "inconnu"}).status_code == 400
    trainings = client.get("/api/trainings/", {"public": "parents"}).json()["results"]
    assert [t["title"] for t in trainings] == ["Le temps d’écran en famille"]
    # The DSDEN's teachers' training has only an internal session: not listed to the public.
    every = {t["title"] for t in client.get("/api/trainings/").json()["results"]}
    assert "Pix en classe" not in every


def test_api_is_read_only(client, world):
    client.force_login(world["mia"])
    url = f"/api/sessions/{world.s_dreux.pk}/"
    response = client.patch(url, {"capacity": 99}, content_type="application/json")
    assert response.status_code == 405
    world.s_dreux.refresh_from_db()
    assert world.s_dreux.capacity == 10


def test_a_past_session_can_be_corrected_but_not_moved_into_the_past(client, world):
    client.force_login(world["mia"])
    past = world.s_past
    day = timezone.localdate() - datetime.timedelta(days=3)
    start = datetime.datetime.combine(
        day, datetime.time(10, 0), tzinfo=timezone.get_current_timezone()
    )
    end = start + datetime.timedelta(hours=2)
    Session.objects.filter(pk=past.pk).update(starts_at=start, ends_at=end)
    url = f"/ateliers/gestion/sessions/{past.pk}/modifier/"
    same_day = session_post(
        world, day=start.date().isoformat(), start=f"{start:%H:%M}", end=f"{end:%H:%M}",
        capacity="4",
    )  # fmt: skip
    assert client.post(url, same_day).status_code == 302
    past.refresh_from_db()
    assert past.capacity == 4
    earlier = {**same_day, "start": "09:00"}
    assert "Cette date est passée" in client.post(url, earlier).content.decode()


def test_admin_lists_the_trainings_of_the_administrators_territory(client, world):
    client.force_login(world["modo28"])
    assert client.get("/admin/trainings/theme/").status_code == 200
    page = client.get("/admin/trainings/training/").content.decode()
    assert "Le temps d’écran en famille" in page and "Pix en classe" in page
    client.force_login(world["modo35"])
    page = client.get("/admin/trainings/training/").content.decode()
    assert "Le temps d’écran en famille" not in page
    url = f"/admin/trainings/session/{world.s_dreux.pk}/change/"
    assert client.get(url).status_code == 302  # out of reach: "does not exist", back to the index
