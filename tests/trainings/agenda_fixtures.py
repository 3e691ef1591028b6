"""The agenda's world: Eure-et-Loir with the demo directory, two structures each with a
médiateur (Dreux's EPN: mia; Chartres' EPN: bob), DSDEN staff and hub administrators, a school
in Dreux and one outside the département, and sessions public, internal, past, in a school."""

import datetime
from dataclasses import dataclass, field

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from accounts import roles
from accounts.services import grant, make_hub_admin
from actors.demo import load_demo_places
from actors.models import Membership, Place
from cartography.importers.postal_codes import load_demo_postal_codes
from cartography.models import Commune
from equipment.models import School
from trainings.models import Session, Theme, Training

PASSWORD = "pw-atelier-2026"


@dataclass
class World:
    dreux: Place
    chartres: Place
    school: School
    far_school: School
    parents: Training
    seniors: Training
    teachers: Training
    s_dreux: Session
    s_chartres: Session
    s_internal: Session
    s_past: Session
    s_school: Session
    people: dict = field(default_factory=dict)

    def __getitem__(self, name):
        return self.people[name]


def at(place=None, school=None, days=5.0, hours=2, **fields) -> dict:
    starts = timezone.now() + datetime.timedelta(days=days)
    return {
        "place": place,
        "school": school,
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=hours),
        "capacity": fields.pop("capacity", 10),
        **fields,
    }


@pytest.fixture(name="world")
def world_fixture(territory_28, django_user_model) -> World:
    load_demo_places()
    load_demo_postal_codes()
    dreux = Place.objects.get(name="Espace public numérique de la médiathèque de Dreux")
    chartres = Place.objects.get(name="Espace public numérique de la médiathèque de Chartres")
    make = django_user_model.objects.create_user
    people = {
        name: make(name, f"{name}@example.org", PASSWORD)
        for name in ("mia", "bob", "dsden", "dsden35", "modo28", "modo35", "nobody")
    }
    for name in ("mia", "bob"):
        grant(people[name], roles.MEDIATEURS)
    Membership.objects.create(structure=dreux.structure, user=people["mia"], status="active")
    Membership.objects.create(structure=chartres.structure, user=people["bob"], status="active")
    grant(people["dsden"], roles.DSDEN_STAFF, (roles.DEPARTEMENT, "28"))
    grant(people["dsden35"], roles.DSDEN_STAFF, (roles.DEPARTEMENT, "35"))
    make_hub_admin(people["modo28"], (roles.DEPARTEMENT, "28"))
    make_hub_admin(people["modo35"], (roles.DEPARTEMENT, "35"))
    dreux_commune = Commune.objects.get(code="28134")
    school = School.objects.create(
        uai="0280999Z",
        name="École élémentaire des Tilleuls",
        kind=School.Kind.ELEMENTAIRE,
        departement_code="28",
        commune=dreux_commune,
        commune_code="28134",
        location=Point(1.37, 48.735, srid=4326),
        source=School.Source.ANNUAIRE,
    )
    far_school = School.objects.create(
        uai="0350999Z",
        name="École de Rennes",
        kind=School.Kind.ELEMENTAIRE,
        departement_code="35",
        commune_code="35238",
        source=School.Source.ANNUAIRE,
    )
    themes = {t.slug: t for t in Theme.objects.all()}
    parents = Training.objects.create(
        title="Le temps d’écran en famille",
        summary="Repères par âge et contrôle parental.",
        audiences=["parents"],
        duration_minutes=90,
        structure=dreux.structure,
    )
    parents.themes.set([themes["temps-ecran"]])
    seniors = Training.objects.create(
        title="Premiers pas sur smartphone",
        summary="Allumer, appeler, envoyer un message.",
        audiences=["seniors", "tout_public"],
        duration_minutes=120,
        structure=chartres.structure,
    )
    seniors.themes.set([themes["smartphone"]])
    teachers = Training.objects.create(
        title="Pix en classe",
        summary="Lancer une campagne Pix Orga.",
        audiences=["enseignants"],
        duration_minutes=180,
        organiser_departement="28",
    )
    teachers.themes.set([themes["pix"]])
    past = at(place=dreux, days=-3)
    return World(
        dreux=dreux,
        chartres=chartres,
        school=school,
        far_school=far_school,
        parents=parents,
        seniors=seniors,
        teachers=teachers,
        s_dreux=Session.objects.create(training=parents, **at(place=dreux, days=5)),
        s_chartres=Session.objects.create(training=seniors, **at(place=chartres, days=3)),
        s_internal=Session.objects.create(
            training=parents, **at(place=dreux, days=8, is_public=False)
        ),
        s_past=Session.objects.create(training=parents, **past),
        s_school=Session.objects.create(
            training=teachers, **at(school=school, days=12, is_public=False)
        ),
        people=people,
    )
