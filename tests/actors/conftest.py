from pathlib import Path

import pytest

from accounts import roles
from accounts.services import grant, make_hub_admin
from actors.demo import load_demo_places
from actors.models import Membership, Place

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "places"


@pytest.fixture
def places_v1():
    return FIXTURES / "lieux-v1.0.2.csv"


@pytest.fixture
def places_v01():
    return FIXTURES / "lieux-v0.1.csv"


@pytest.fixture
def listings(territory_28, django_user_model):
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
