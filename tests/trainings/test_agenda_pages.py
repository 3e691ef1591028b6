"""The public agenda as people read it: search by commune, postal code, audience and theme,
a session's page, the place page's upcoming sessions, the iCalendar feeds, the printed list."""

import datetime

import pytest
from django.utils import timezone
from django.utils.text import slugify
from icalendar import Calendar

from trainings.models import Resource, Session

from .agenda_fixtures import world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def titles(response) -> str:
    return response.content.decode()


def test_agenda_near_a_commune_lists_its_upcoming_public_sessions(client, world):
    page = titles(client.get("/ateliers/", {"lieu": "Dreux"}))
    assert "1 séance à venir près de Dreux" in page
    assert "Le temps d’écran en famille" in page
    assert f"/ateliers/{world.s_dreux.pk}/" in page
    # Chartres is 35 km away; internal, past and school-internal sessions are never public.
    assert "Premiers pas sur smartphone" not in page
    for hidden in (world.s_internal, world.s_past, world.s_school):
        assert f"/ateliers/{hidden.pk}/" not in page


def test_agenda_by_postal_code_and_wider_distance(client, world):
    page = titles(client.get("/ateliers/", {"lieu": "28100"}))
    assert f"/ateliers/{world.s_dreux.pk}/" in page
    assert f"/ateliers/{world.s_chartres.pk}/" not in page
    wider = titles(client.get("/ateliers/", {"lieu": "28100", "distance": "50"}))
    assert f"/ateliers/{world.s_chartres.pk}/" in wider


def test_agenda_forgives_accents_and_a_begun_name(client, world):
    page = titles(client.get("/ateliers/", {"lieu": "dreu"}))
    assert f"/ateliers/{world.s_dreux.pk}/" in page
    assert "Recherche faite pour Dreux" in page


def test_agenda_by_audience_and_theme(client, world):
    seniors = titles(client.get("/ateliers/", {"lieu": "Chartres", "public": "seniors"}))
    assert f"/ateliers/{world.s_chartres.pk}/" in seniors
    parents = titles(client.get("/ateliers/", {"lieu": "Chartres", "public": "parents"}))
    assert "Aucune séance à venir" in parents
    themed = titles(client.get("/ateliers/", {"theme": "temps-ecran"}))
    assert f"/ateliers/{world.s_dreux.pk}/" in themed
    assert f"/ateliers/{world.s_chartres.pk}/" not in themed


def test_agenda_unknown_commune_is_named_next_to_the_field(client, world):
    response = client.get("/ateliers/", {"lieu": "Zzyzx"})
    assert response.status_code == 200
    page = titles(response)
    assert "Aucune commune trouvée pour « Zzyzx »" in page
    assert 'aria-invalid="true"' in page
    assert 'value="Zzyzx"' in page


def test_agenda_without_criteria_lists_every_upcoming_public_session(client, world):
    page = titles(client.get("/ateliers/"))
    assert "2 séances à venir" in page


def test_session_page_shows_seats_as_counts_and_internal_ones_stay_hidden(client, world):
    page = titles(client.get(f"/ateliers/{world.s_dreux.pk}/"))
    assert "10 places disponibles sur 10" in page
    assert "Espace public numérique de la médiathèque de Dreux" in page
    assert client.get(f"/ateliers/{world.s_internal.pk}/").status_code == 404
    assert client.get(f"/ateliers/{world.s_school.pk}/").status_code == 404
    client.force_login(world["mia"])  # a member of the organising structure
    assert client.get(f"/ateliers/{world.s_internal.pk}/").status_code == 200
    client.force_login(world["bob"])  # another structure's médiateur
    assert client.get(f"/ateliers/{world.s_internal.pk}/").status_code == 404
    client.force_login(world["dsden"])  # DSDEN staff: the schools of their département
    assert client.get(f"/ateliers/{world.s_school.pk}/").status_code == 200
    client.force_login(world["dsden35"])
    assert client.get(f"/ateliers/{world.s_school.pk}/").status_code == 404


def test_place_page_lists_its_upcoming_public_sessions(client, world):
    page = titles(client.get(f"/lieux/{world.dreux.pk}/"))
    assert "Prochains ateliers dans ce lieu" in page
    assert f"/ateliers/{world.s_dreux.pk}/" in page
    assert f"/ateliers/{world.s_internal.pk}/" not in page
    assert f"/ateliers/{world.s_past.pk}/" not in page
    # A place without sessions says nothing about workshops.
    Session.objects.filter(place=world.chartres).delete()
    assert "Prochains ateliers" not in titles(client.get(f"/lieux/{world.chartres.pk}/"))


def test_session_ical_parses_back_with_paris_times(client, world):
    response = client.get(f"/ateliers/{world.s_dreux.pk}/atelier.ics")
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content
    assert b"\r\n" in body
    calendar = Calendar.from_ical(body)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert str(event["summary"]) == "Le temps d’écran en famille"
    assert event["uid"] == f"session-{world.s_dreux.pk}@testserver"
    start = event.decoded("dtstart")
    assert start == world.s_dreux.starts_at.replace(microsecond=0)  # iCalendar: to the second
    assert str(start.tzinfo) == "Europe/Paris"
    assert "Dreux" in str(event["location"])
    assert [z["tzid"] for z in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_search_ical_follows_the_filters(client, world):
    body = client.get("/ateliers/agenda.ics", {"lieu": "Chartres", "public": "seniors"}).content
    events = Calendar.from_ical(body).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Premiers pas sur smartphone"]
    every = Calendar.from_ical(client.get("/ateliers/agenda.ics").content).walk("VEVENT")
    assert len(every) == 2
    response = client.get("/ateliers/agenda.ics", {"du": "pas une date"})
    assert response.status_code == 400
    assert "À partir du" in response.content.decode()


def test_printable_list_names_every_session_with_its_address(client, world):
    page = titles(client.get("/ateliers/", {"lieu": "Dreux", "format": "impression"}))
    assert "Le temps d’écran en famille" in page
    assert world.dreux.address in page
    assert "page=" not in page  # all on one sheet, no pagination


def test_dates_narrow_the_agenda(client, world):
    day = timezone.localtime(world.s_chartres.starts_at).date()
    page = titles(client.get("/ateliers/", {"du": day.isoformat(), "au": day.isoformat()}))
    assert f"/ateliers/{world.s_chartres.pk}/" in page
    assert f"/ateliers/{world.s_dreux.pk}/" not in page
    before = (day - datetime.timedelta(days=1)).isoformat()
    response = client.get("/ateliers/", {"du": day.isoformat(), "au": before})
    assert "La date de fin de la recherche est avant sa date de début" in titles(response)


def test_the_distance_shown_is_the_distance_searched(client, world):
    page = titles(client.get("/ateliers/", {"lieu": "Dreux"}))
    assert '<option value="20" selected>20 km</option>' in page


def test_organisers_reach_the_participants_from_the_session_page(client, world):
    link = f"/ateliers/{world.s_dreux.pk}/participants/"
    assert link not in titles(client.get(f"/ateliers/{world.s_dreux.pk}/"))
    client.force_login(world["mia"])
    page = titles(client.get(f"/ateliers/{world.s_dreux.pk}/"))
    assert link in page and "Modifier la séance" in page
    client.force_login(world["bob"])
    page = titles(client.get(f"/ateliers/{world.s_dreux.pk}/"))
    assert link not in page and "Modifier la séance" not in page


def test_a_session_page_lists_the_published_resources_of_its_training(client, world):
    def resource(title, state):
        made = Resource.objects.create(
            title=title, slug=slugify(title), summary="Pour les parents.",
            kind=Resource.Kind.SHEET, licence=Resource.Licence.ETALAB, state=state,
            url="https://exemple.fr/fiche", public_audiences=[Resource.PublicAudience.EVERYONE],
        )  # fmt: skip
        made.trainings.add(world.s_dreux.training)
        return made

    published = resource("Fiche contrôle parental", Resource.State.PUBLISHED)
    resource("Brouillon pas encore relu", Resource.State.PROPOSED)
    page = titles(client.get(f"/ateliers/{world.s_dreux.pk}/"))
    assert "Ressources de cette formation" in page
    assert f'href="/ressources/{published.slug}/"' in page
    assert "Brouillon pas encore relu" not in page
