"""A workshop to register to: a structure with a member (lea), another structure's médiateur
(sam), a session in five days with 10 seats at the first structure's place (no commune: the
indicators' test gives one)."""

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from accounts import roles
from accounts.services import grant
from actors.models import Membership, Place, Structure
from trainings.models import Session, Training


@dataclass
class Workshop:
    session: Session
    training: Training
    place: Place
    lea: object
    sam: object


def make_session(training, place, days: float = 5, capacity: int = 10, **fields) -> Session:
    starts = timezone.now() + datetime.timedelta(days=days)
    return Session.objects.create(
        training=training,
        place=place,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        capacity=capacity,
        **fields,
    )


def make_workshop(django_user_model, password="pw-atelier-2026") -> Workshop:
    mine = Structure.objects.create(name="Espace numérique de Dreux")
    other = Structure.objects.create(name="Association d’ailleurs")
    place = Place.objects.create(
        structure=mine,
        name="Médiathèque de Dreux",
        address="1 place du Marché",
        postal_code="28100",
        commune_name="Dreux",
        location=Point(1.3653, 48.7370, srid=4326),
        updated_on=datetime.date(2026, 1, 1),
    )
    training = Training.objects.create(
        title="Premiers pas sur smartphone",
        summary="Allumer, appeler, envoyer un message.",
        audiences=["seniors"],
        duration_minutes=120,
        structure=mine,
    )
    make = django_user_model.objects.create_user
    lea = make("lea", "lea@dreux.fr", password)
    sam = make("sam", "sam@ailleurs.fr", password)
    for user, structure in ((lea, mine), (sam, other)):
        grant(user, roles.MEDIATEURS)
        Membership.objects.create(structure=structure, user=user, role="admin", status="active")
    return Workshop(make_session(training, place), training, place, lea, sam)


@pytest.fixture(name="workshop")
def workshop_fixture(db, django_user_model):
    return make_workshop(django_user_model)
