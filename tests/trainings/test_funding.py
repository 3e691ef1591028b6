"""Funding calls: the public page (closing soon first, closed ones on request), who publishes
(page and form post), http(s) links only, the digest subscription and the weekly digest task
(e-mails, once a week), the public API; the demo plan and calls, loaded twice."""

import datetime
import io

import pytest
from django.core import mail
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from trainings.funding_tasks import send_funding_digest
from trainings.models import DigestSubscription, FundingCall

from .plan_fixtures import client_for, world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def _call(title, days, **fields):
    return FundingCall.objects.create(
        title=title,
        funder="Département",
        deadline=timezone.localdate() + datetime.timedelta(days=days),
        applicants="structures",
        link="https://example.org/aap",
        **fields,
    )


def test_public_page_lists_open_calls_closing_soon_first(client, db):
    _call("Appel lointain", 80)
    _call("Appel urgent", 3)
    _call("Appel clos", -2)
    page = client.get("/financements/").content.decode()
    assert page.index("Appel urgent") < page.index("Appel lointain")
    assert "Appel clos" not in page
    assert "ferme bientôt" in page
    everything = client.get("/financements/", {"clos": "1"}).content.decode()
    assert "Appel clos" in everything
    api = client.get("/api/funding-calls/").json()["results"]
    assert [c["title"] for c in api] == ["Appel urgent", "Appel lointain"]
    assert len(client.get("/api/funding-calls/", {"clos": "1"}).json()["results"]) == 3


PUBLISH = {
    "anonymous": 302,
    "nobody": 403,
    "epci_chartres": 403,
    "director": 403,
    "mediateur": 403,
    "dsden28": 200,
    "admin": 200,
}


@pytest.mark.parametrize("role", PUBLISH)
def test_who_publishes_a_call(client, world, role):  # noqa: F811
    client = client_for(client, world, role)
    assert client.get("/financements/publier/").status_code == PUBLISH[role]
    data = {
        "title": "AAP écoles",
        "funder": "CNR",
        "deadline": "2027-03-31",
        "applicants": "schools",
        "amount": "jusqu’à 10 000 €",
        "link": "https://example.org/cnr",
    }
    response = client.post("/financements/publier/", data)
    published = FundingCall.objects.filter(title="AAP écoles").exists()
    assert published == (PUBLISH[role] == 200)
    if published:
        assert response.status_code == 302
        assert "AAP écoles" in client.get("/financements/").content.decode()


def test_a_link_that_is_not_http_is_refused(client, world):  # noqa: F811
    client.force_login(world["users"]["dsden28"])
    response = client.post(
        "/financements/publier/",
        {
            "title": "Piège",
            "funder": "?",
            "deadline": "2027-03-31",
            "applicants": "everyone",
            "link": "javascript:alert(1)",
        },
    )
    assert response.status_code == 200
    assert "commençant par http:// ou https://" in response.content.decode()
    assert not FundingCall.objects.exists()


def test_members_subscribe_and_the_weekly_digest_goes_out_once(client, world):  # noqa: F811
    assert PeriodicTask.objects.filter(task="trainings.send_funding_digest").exists()
    client.force_login(world["users"]["nobody"])
    assert client.get("/financements/lettre/").status_code == 403
    client.force_login(world["users"]["mediateur"])
    structure = world["structure"]
    form = {"structure": structure.pk, "email": "contact@fablab.example.org"}
    assert client.post("/financements/lettre/", form).status_code == 302
    again = client.post("/financements/lettre/", form)
    assert "reçoit déjà la lettre" in again.content.decode()
    assert DigestSubscription.objects.count() == 1

    _call("Appel urgent", 5)
    _call("Appel clos", -1)
    assert send_funding_digest() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["contact@fablab.example.org"]
    assert "Fablab du Perche" in message.subject
    assert "Appel urgent" in message.body and "Appel clos" not in message.body
    assert "/financements/" in message.body
    assert send_funding_digest() == 0  # not twice the same week
    assert len(mail.outbox) == 1
    # A week later, a new call is announced.
    DigestSubscription.objects.update(last_sent_on=timezone.localdate() - datetime.timedelta(7))
    _call("Appel nouveau", 60)
    assert send_funding_digest() == 1
    assert "Appel nouveau" in mail.outbox[1].body
    assert "/financements/lettre/" in mail.outbox[1].body  # how to stop it
    # Another structure's member cannot remove the address; a member of this one can.
    subscription = DigestSubscription.objects.get()
    client.force_login(world["users"]["director"])
    assert client.post("/financements/lettre/", {"desabonner": subscription.pk}).status_code == 403
    client.force_login(world["users"]["mediateur"])
    page = client.get("/financements/lettre/").content.decode()
    assert "contact@fablab.example.org pour Fablab du Perche" in page
    assert client.post("/financements/lettre/", {"desabonner": subscription.pk}).status_code == 302
    assert not DigestSubscription.objects.exists()


def test_demo_plan_and_calls_load_twice_without_duplicates(db):
    from django.core.management import call_command

    from trainings.models import Action, Plan

    call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())
    plan = Plan.objects.get(title__endswith="(démonstration)")
    assert plan.level == Plan.Level.CIRCONSCRIPTION and plan.departement_code == "28"
    actions = list(plan.actions.all())
    assert 3 <= len(actions) <= 4
    assert any(a.school_id for a in actions)
    assert any(a.diagnostic_rank == 1 and a.commune_id for a in actions)
    intervention = next(a for a in actions if a.structure_id)
    assert intervention.school.directors.filter(user__username="directeur-demo").exists()
    assert FundingCall.objects.filter(is_demo=True).count() == 3
    call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())
    assert Plan.objects.count() == 1 and Action.objects.count() == len(actions)
    assert FundingCall.objects.count() == 3
