"""Sign in, sign out, reset a password; role groups; who reaches the admin."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from accounts import roles
from accounts.services import make_hub_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(django_user_model):
    user = django_user_model.objects.create_user(
        "agent", email="agent@eure-et-loir.gouv.fr", password="un-mot-de-passe-solide"
    )
    user.groups.add(Group.objects.get(name=roles.DSDEN_STAFF))
    return user


def test_role_groups_exist_after_migrations():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.declared())


def test_login_then_logout(client, agent):
    page = client.get("/comptes/connexion/").content.decode()
    assert "<h1>Connexion</h1>" in page
    response = client.post(
        "/comptes/connexion/", {"username": "agent", "password": "un-mot-de-passe-solide"}
    )
    assert response.status_code == 302
    home = client.get("/").content.decode()
    assert "Se déconnecter (agent)" in home
    client.post("/comptes/deconnexion/")
    assert "Se connecter" in client.get("/").content.decode()


def test_a_wrong_password_is_said_next_to_the_form_and_keeps_the_username(client, agent):
    response = client.post("/comptes/connexion/", {"username": "agent", "password": "faux"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html
    assert 'value="agent"' in html


def test_password_reset_sends_a_working_link(client, agent):
    client.post("/comptes/mot-de-passe/oubli/", {"email": "agent@eure-et-loir.gouv.fr"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/comptes/mot-de-passe/nouveau/\S+/)", mail.outbox[0].body)
    assert link
    form = client.get(link.group(1), follow=True)
    assert "Nouveau mot de passe" in form.content.decode()
    response = client.post(
        form.redirect_chain[-1][0],
        {
            "new_password1": "un-autre-mot-de-passe-2026",
            "new_password2": "un-autre-mot-de-passe-2026",
        },
    )
    assert response.status_code == 302
    assert client.login(username="agent", password="un-autre-mot-de-passe-2026")


def test_hub_administrators_reach_the_admin_without_being_superusers(client, agent):
    client.force_login(agent)
    assert client.get("/admin/").status_code == 302  # DSDEN staff: sent to the admin login
    make_hub_admin(agent)
    agent.refresh_from_db()
    assert not agent.is_superuser
    page = client.get("/admin/")
    assert page.status_code == 200
    assert "Communes" in page.content.decode()
    assert client.get("/admin/cartography/commune/").status_code == 200
