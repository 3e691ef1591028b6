"""A hub administrator scoped to a département cannot widen anyone's reach beyond it on the
user's admin page: no superuser status, no scope over France or another département, for
themselves or anyone else. A national administrator still gives any scope."""

import pytest
from django.contrib.auth import get_user_model

from accounts import roles
from accounts.models import StaffScope
from accounts.services import make_hub_admin
from cartography.models import Commune, Departement

pytestmark = pytest.mark.django_db


def person(name):
    return get_user_model().objects.create_user(name, f"{name}@example.org", "pw-esc-2026")


@pytest.fixture
def admin28(territory_28):
    ille = Departement.objects.create(code="35", name="Ille-et-Vilaine")
    Commune.objects.create(code="35238", name="Rennes", departement=ille)
    user = person("admin28")
    make_hub_admin(user, (roles.DEPARTEMENT, "28"))
    return user


def _form(user, *scopes, **extra):
    form = {
        "username": user.username, "email": user.email, "is_active": "on", "is_staff": "on",
        "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00",
        "initial-date_joined_0": "2026-01-01", "initial-date_joined_1": "00:00:00",
        "staff_scopes-TOTAL_FORMS": str(len(scopes)), "staff_scopes-INITIAL_FORMS": "0",
        **extra,
    }  # fmt: skip
    for n, (role, kind, code) in enumerate(scopes):
        form |= {
            f"staff_scopes-{n}-role": role,
            f"staff_scopes-{n}-kind": kind,
            f"staff_scopes-{n}-code": code,
        }
    return form


def test_a_scoped_administrator_cannot_make_anyone_superuser(client, admin28):
    agent = person("agent")
    client.force_login(admin28)
    for user in (agent, admin28):
        client.post(f"/admin/accounts/user/{user.pk}/change/", _form(user, is_superuser="on"))
        user.refresh_from_db()
        assert not user.is_superuser


@pytest.mark.parametrize(
    ("role", "kind", "code"),
    [
        (roles.HUB_ADMINS, roles.NATIONAL, ""),
        (roles.HUB_ADMINS, roles.DEPARTEMENT, "35"),
        (roles.DSDEN_STAFF, roles.DEPARTEMENT, "35"),
        (roles.LOCAL_AUTHORITY, roles.COMMUNE, "35238"),
    ],
)
def test_a_scoped_administrator_gives_no_scope_beyond_their_departement(
    client, admin28, role, kind, code
):
    agent = person("agent")
    client.force_login(admin28)
    for user in (agent, admin28):
        url = f"/admin/accounts/user/{user.pk}/change/"
        page = client.post(url, _form(user, (role, kind, code))).content.decode()
        assert "hors de votre périmètre" in page
        assert not StaffScope.objects.filter(user=user, kind=kind, code=code).exists()
    assert client.post(
        f"/admin/accounts/user/{agent.pk}/change/",
        _form(agent, (roles.DSDEN_STAFF, roles.DEPARTEMENT, "28")),
    ).status_code == 302  # fmt: skip
    assert agent.staff_scopes.filter(code="28").exists()


def test_a_national_administrator_still_gives_any_scope(client, admin28):
    national, agent = person("national"), person("agent")
    make_hub_admin(national)
    client.force_login(national)
    url = f"/admin/accounts/user/{agent.pk}/change/"
    form = _form(agent, (roles.DSDEN_STAFF, roles.DEPARTEMENT, "35"))
    assert client.post(url, form).status_code == 302
    assert agent.staff_scopes.filter(code="35").exists()


def test_a_scoped_administrator_cannot_take_over_an_account_beyond_their_departement(
    client, admin28
):
    from accounts.services import grant

    agent28, agent35, national = person("agent28"), person("agent35"), person("national")
    grant(agent28, roles.DSDEN_STAFF, (roles.DEPARTEMENT, "28"))
    grant(agent35, roles.DSDEN_STAFF, (roles.DEPARTEMENT, "35"))
    make_hub_admin(national)
    root = get_user_model().objects.create_superuser("root", "root@example.org", "pw-root-2026")
    client.force_login(admin28)
    listed = client.get("/admin/accounts/user/").content.decode()
    assert "agent28" in listed
    for user in (agent35, national, root):
        assert f"/admin/accounts/user/{user.pk}/change/" not in listed
        assert client.get(f"/admin/accounts/user/{user.pk}/change/").status_code == 302
        url = f"/admin/accounts/user/{user.pk}/password/"
        client.post(url, {"password1": "Pris-en-main-2026", "password2": "Pris-en-main-2026"})
        user.refresh_from_db()
        assert user.check_password("Pris-en-main-2026") is False
    assert client.get(f"/admin/accounts/user/{agent28.pk}/change/").status_code == 200
