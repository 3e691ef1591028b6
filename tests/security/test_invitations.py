"""An invitation to join a structure is for the invited address only, used once, and expires:
a forwarded or leaked link gives nobody else a seat (let alone an admin's) in the structure."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from actors.models import Invitation, Membership, Structure

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation():
    make = get_user_model().objects.create_user
    admin = make("admin-fablab", "a@fablab.fr", "pw-solide-123")
    structure = Structure.objects.create(name="Fablab de Chartres", siret="11122233300011")
    Membership.objects.create(structure=structure, user=admin, role="admin", status="active")
    return Invitation.objects.create(
        structure=structure, email="Tom@Fablab.fr", role="admin", invited_by=admin
    )


def path(invitation):
    return f"/espace/invitation/{invitation.token}/"


def test_an_invitation_used_by_another_account_is_refused(client, invitation):
    intruder = get_user_model().objects.create_user("eve", "eve@example.fr", "pw-solide-123")
    client.force_login(intruder)
    response = client.post(path(invitation))
    assert response.status_code == 403
    assert "envoyée à une autre adresse électronique" in response.content.decode()
    assert not Membership.objects.filter(user=intruder).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None  # still usable by the invited person

    tom = get_user_model().objects.create_user("tom", "tom@fablab.fr", "pw-solide-123")
    client.force_login(tom)
    assert client.post(path(invitation)).status_code == 302
    assert Membership.objects.get(user=tom).role == "admin"

    # Used once: neither the invited person again nor anyone else afterwards.
    client.force_login(intruder)
    response = client.post(path(invitation))
    assert response.status_code == 403
    assert "déjà été utilisée" in response.content.decode()
    assert not Membership.objects.filter(user=intruder).exists()


def test_an_invitation_expires(client, invitation, settings):
    settings.HUB_INVITATION_DAYS = 14
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=15)
    )
    tom = get_user_model().objects.create_user("tom", "tom@fablab.fr", "pw-solide-123")
    client.force_login(tom)
    response = client.post(path(invitation))
    assert response.status_code == 403
    assert "Cette invitation a expiré le" in response.content.decode()
    assert not Membership.objects.filter(user=tom).exists()
