"""Workshops' indicators in the registry: fill rate, no-show rate and participants by audience,
per commune of the session, aggregated up, withheld under five people."""

import pytest
from django.utils import timezone

from cartography.models import EPCI, Commune, Departement
from indicators.models import Value, ValueStatus
from indicators.registry import recompute
from trainings.models import Registration, WalkInCount

from .registration_fixtures import make_session, make_workshop

CODES = [
    "ateliers-taux-remplissage",
    "ateliers-taux-absence",
    "ateliers-participants",
    "ateliers-participants-seniors",
    "ateliers-participants-parents",
]


def value(code, level, territory):
    return Value.objects.get(indicator__code=code, level=level, territory_code=territory)


def attend(session, attendance, audience="seniors", number=0):
    Registration.objects.create(
        session=session,
        name=f"P{number}",
        email=f"p{number}-{session.pk}@example.org",
        consent_at=session.starts_at,
        status=Registration.Status.CONFIRMED,
        attendance=attendance,
        audience=audience,
    )


@pytest.mark.django_db
def test_attendance_becomes_indicators_per_commune_and_up(django_user_model):
    dep = Departement.objects.create(code="28", name="Eure-et-Loir")
    epci = EPCI.objects.create(siren="200040277", name="CA du Pays de Dreux")
    dreux = Commune.objects.create(code="28134", name="Dreux", departement=dep, epci=epci)
    vernouillet = Commune.objects.create(
        code="28404", name="Vernouillet", departement=dep, epci=epci
    )
    workshop = make_workshop(django_user_model)
    workshop.place.commune = dreux
    workshop.place.save()
    held = make_session(workshop.training, workshop.place, days=-30)
    for number in range(6):
        attend(held, "present", number=number)
    attend(held, "absent", number=6)
    WalkInCount.objects.create(session=held, audience="parents", count=2)
    # Another commune's session with two people: its figures are withheld.
    other_place = workshop.place
    other_place.pk = None
    other_place.commune = vernouillet
    other_place.save()
    small = make_session(workshop.training, other_place, days=-20, capacity=8)
    attend(small, "present", number=1)
    attend(small, "present", audience="parents", number=2)
    # Upcoming sessions and cancelled registrations count nowhere.
    attend(workshop.session, "", number=9)
    Registration.objects.filter(session=held, name="P0").update(
        status=Registration.Status.CANCELLED
    )
    attend(held, "present", number=7)  # P0 cancelled, P7 took the seat

    recompute(CODES, communes=["28134"])
    year = str(timezone.localtime(held.starts_at).year)
    fill = value("ateliers-taux-remplissage", "commune", "28134")
    assert (fill.numerator, fill.denominator, fill.period) == (7, 10, year)
    assert fill.value == pytest.approx(70)
    assert value("ateliers-taux-absence", "commune", "28134").value == pytest.approx(100 / 7)
    assert value("ateliers-participants", "commune", "28134").value == 8  # 6 present + 2 walk-ins
    assert value("ateliers-participants-seniors", "commune", "28134").value == 6
    assert value("ateliers-participants-parents", "commune", "28134").status == (
        ValueStatus.WITHHELD
    )
    withheld = value("ateliers-participants", "commune", "28404")
    assert (withheld.status, withheld.value) == (ValueStatus.WITHHELD, None)
    # Aggregated from the sessions, never as a mean of the communes' rates.
    epci_fill = value("ateliers-taux-remplissage", "epci", "200040277")
    assert (epci_fill.numerator, epci_fill.denominator) == (9, 18)
    assert value("ateliers-participants", "departement", "28").value == 10
    assert value("ateliers-participants-parents", "epci", "200040277").value is None  # 3 people
