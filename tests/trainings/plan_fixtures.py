"""A plan world: Chartres Métropole's plan with an outside intervention in a Chartres school,
a school in Dreux outside it, and one account per role (imported by the plan tests)."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from accounts import roles
from accounts.services import grant, make_hub_admin
from actors.models import Membership, Structure
from cartography.models import Commune, Departement
from equipment.models import Circonscription, DigitalReferent, School, SchoolDirector
from trainings.models import Action, FundingLine, Plan

PASSWORD = "pw-plans-2026"
ROLES = (
    "anonymous",
    "nobody",
    "dsden28",
    "dsden35",
    "epci_chartres",
    "epci_dreux",
    "admin",
    "owner",
    "director",
    "erun",
    "other_director",
    "mediateur",
)


def _school(uai, name, commune, circo):
    return School.objects.create(
        uai=uai, name=name, kind="elementaire", departement_code="28", commune=commune,
        commune_code=commune.code, circonscription=circo, source="annuaire",
        location=commune.geometry.point_on_surface,
    )  # fmt: skip


@pytest.fixture
def world(territory_28):
    Departement.objects.get_or_create(code="35", defaults={"name": "Ille-et-Vilaine"})
    chartres = Commune.objects.select_related("epci").get(code="28085")
    dreux = Commune.objects.select_related("epci").get(code="28134")
    circo_c = Circonscription.objects.create(name="Chartres 1", departement_code="28")
    circo_d = Circonscription.objects.create(name="Dreux 1", departement_code="28")
    school = _school("0280001A", "École Jean Moulin", chartres, circo_c)
    other_school = _school("0280002B", "École Victor Hugo", dreux, circo_d)
    users = get_user_model().objects
    made = {
        name: users.create_user(name, f"{name}@example.org", PASSWORD)
        for name in ROLES
        if name != "anonymous"
    }
    grant(made["dsden28"], roles.DSDEN_STAFF, (roles.DEPARTEMENT, "28"))
    grant(made["dsden35"], roles.DSDEN_STAFF, (roles.DEPARTEMENT, "35"))
    grant(made["epci_chartres"], roles.LOCAL_AUTHORITY, (roles.EPCI, chartres.epci.siren))
    grant(made["epci_dreux"], roles.LOCAL_AUTHORITY, (roles.EPCI, dreux.epci.siren))
    make_hub_admin(made["admin"])
    SchoolDirector.objects.create(user=made["director"], school=school)
    SchoolDirector.objects.create(user=made["other_director"], school=other_school)
    DigitalReferent.objects.create(user=made["erun"], circonscription=circo_c)
    structure = Structure.objects.create(name="Fablab du Perche")
    Membership.objects.create(
        structure=structure, user=made["mediateur"], status=Membership.Status.ACTIVE
    )
    plan = Plan.objects.create(
        title="Plan numérique de Chartres Métropole",
        level=Plan.Level.EPCI,
        epci=chartres.epci,
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2027, 8, 31),
    )
    plan.owners.add(made["owner"])
    intervention = Action.objects.create(
        plan=plan,
        title="Ateliers écrans et familles",
        kind=Action.Kind.OUTSIDE_INTERVENTION,
        school=school,
        structure=structure,
        need="Les parents demandent de l’aide.",
    )
    workshops = Action.objects.create(
        plan=plan,
        title="Ateliers d’autonomie à Chartres",
        kind=Action.Kind.WORKSHOPS,
        status=Action.Status.DONE,
        commune=chartres,
        need="Fragilité numérique élevée.",
    )
    FundingLine.objects.create(
        action=workshops, funder_kind="cnr", funder_name="CNR", amount=Decimal("1200.50")
    )
    FundingLine.objects.create(
        action=workshops, funder_kind="collectivite", funder_name="Ville", amount=Decimal("800")
    )
    return {
        "users": made,
        "plan": plan,
        "intervention": intervention,
        "workshops": workshops,
        "school": school,
        "other_school": other_school,
        "structure": structure,
        "chartres": chartres,
        "dreux": dreux,
    }


def client_for(client, world, role):
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client
