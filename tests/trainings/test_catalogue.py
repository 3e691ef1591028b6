"""The catalogue's guarantees held by PostgreSQL (one venue, end after start, seats, one
organiser), its querysets (near a point, in a commune) and the demo loader run twice."""

import datetime

import pytest
from django.contrib.gis.geos import Point
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.demo import load_demo_accounts
from actors.demo import load_demo_memberships
from cartography.models import Commune
from trainings.demo import load_demo_trainings
from trainings.models import Registration, Session, Theme, Training

from .agenda_fixtures import at, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def refused(**fields) -> bool:
    try:
        with transaction.atomic():
            Session.objects.create(**fields)
    except IntegrityError:
        return True
    return False


def test_themes_cover_the_plans_autonomy_paths():
    names = list(Theme.objects.values_list("name", flat=True))
    for expected in (
        "Démarches administratives en ligne",
        "Créer et gérer une boîte mail",
        "Utiliser un smartphone",
        "Gérer ses données personnelles",
        "Sécurité numérique",
        "Code et programmation",
        "Temps d’écran",
    ):
        assert expected in names


def test_the_database_refuses_a_session_without_one_venue_or_ending_before_it_starts(world):
    training = world.parents
    assert refused(training=training, **at(place=world.dreux, school=world.school))
    assert refused(training=training, **at())  # neither a place, nor a school, nor online
    assert refused(training=training, is_online=True, **at(place=world.dreux))
    assert not refused(training=training, is_online=True, **at())
    backwards = at(place=world.dreux)
    backwards["ends_at"] = backwards["starts_at"] - datetime.timedelta(minutes=1)
    assert refused(training=training, **backwards)
    assert refused(training=training, **at(place=world.dreux, capacity=0))


def test_a_training_has_exactly_one_organiser(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Training.objects.create(
            title="Sans organisateur", summary="…", audiences=["parents"], duration_minutes=60
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Training.objects.create(
            title="Deux organisateurs",
            summary="…",
            audiences=["parents"],
            duration_minutes=60,
            structure=world.dreux.structure,
            organiser_departement="28",
        )


def test_sessions_near_a_point_and_in_a_commune(world):
    dreux_centre = Point(1.3653, 48.7370, srid=4326)
    near = set(Session.objects.near(dreux_centre, 5).values_list("pk", flat=True))
    assert world.s_dreux.pk in near and world.s_school.pk in near
    assert world.s_chartres.pk not in near
    dreux = Commune.objects.get(code="28134")
    here = set(Session.objects.in_commune(dreux).values_list("pk", flat=True))
    assert here == {
        world.s_dreux.pk,
        world.s_internal.pk,
        world.s_past.pk,
        world.s_school.pk,
    }
    upcoming = list(Session.objects.in_commune(dreux).public().upcoming())
    assert upcoming == [world.s_dreux]


def test_seats_left_count_held_seats_and_the_agenda_shows_counts_only(client, world):
    now = timezone.now()
    for name, status, position in (
        ("Awa", "confirmee", None),
        ("Bo", "confirmee", None),
        ("Cy", "en_attente", 1),
    ):
        Registration.objects.create(
            session=world.s_dreux, name=name, email=f"{name}@example.org", consent_at=now,
            status=status, position=position,
        )  # fmt: skip
    session = Session.objects.with_seats().get(pk=world.s_dreux.pk)
    assert (session.seats_taken, session.seats_left) == (2, 8)
    page = client.get(f"/ateliers/{world.s_dreux.pk}/").content.decode()
    assert "8 places disponibles sur 10" in page
    assert "Awa" not in page and "Awa@example.org" not in page


def test_demo_workshops_load_twice_unchanged_and_stay_upcoming(world):
    load_demo_accounts()
    load_demo_memberships()
    assert load_demo_trainings()
    first = {s.pk: (s.starts_at, s.capacity) for s in Session.objects.filter(is_demo=True)}
    assert len(first) >= 6
    load_demo_trainings()
    again = {s.pk: (s.starts_at, s.capacity) for s in Session.objects.filter(is_demo=True)}
    assert again == first
    now = timezone.now()
    demo = Session.objects.filter(is_demo=True)
    assert all(s.starts_at > now for s in demo)
    assert all(timezone.localtime(s.starts_at).weekday() < 5 for s in demo)
    assert all("(démonstration)" in s.training.title for s in demo.select_related("training"))
    assert demo.filter(school__isnull=False).exists()
    assert demo.filter(place__commune__code="28134", is_public=True).exists()  # Dreux
