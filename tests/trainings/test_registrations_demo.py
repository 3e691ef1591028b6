"""The demo's registrations: fictitious, marked, loaded twice without change, with a held
session whose attendance feeds the counts."""

import pytest
from django.contrib.auth import get_user_model

from actors.demo import DEMO_MEDIATEUR, load_demo_memberships, load_demo_places
from trainings import registrations
from trainings.demo import load_demo_trainings
from trainings.models import Registration, Session
from trainings.registration_demo import load_demo_registrations


@pytest.mark.django_db
def test_the_demo_registrations_load_twice_and_feed_the_counts(territory_28):
    load_demo_places()
    get_user_model().objects.create_user(DEMO_MEDIATEUR, "m@demo.fr", "x")
    load_demo_memberships()
    load_demo_trainings()
    first = load_demo_registrations()
    count = Registration.objects.count()
    assert load_demo_registrations() == first
    assert Registration.objects.count() == count > 7
    assert not Registration.objects.exclude(name__endswith="(démonstration)").exists()
    past = Session.objects.get(
        is_demo=True, training__title__startswith="Premiers pas", place__commune__code="28134"
    )
    counts = registrations.counts(past)
    assert (counts.confirmed, counts.present, counts.excused, counts.absent) == (7, 5, 1, 1)
    assert counts.walk_ins == 2
    assert load_demo_trainings()  # the catalogue's loader still runs beside the held session
