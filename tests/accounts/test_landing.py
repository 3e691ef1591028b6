"""After signing in, each demo account lands where its role works, through the real sign-in
form; a `next` address still wins when it is safe."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts import roles
from accounts.demo import load_demo_accounts
from accounts.services import grant
from equipment.demo import load_demo_census, load_demo_school_accounts, load_demo_schools
from equipment.models import Campaign, Circonscription, School

PASSWORD = "demo-hub-28"


@pytest.fixture
def demo_accounts(territory_28, monkeypatch):
    monkeypatch.setenv("HUB_DEMO_PASSWORD", PASSWORD)
    load_demo_schools()
    load_demo_census()
    load_demo_accounts()
    load_demo_school_accounts()


def sign_in(client, username, next_url=None):
    """Sign in through the form as a person would; the final response (redirects followed)."""
    url = "/comptes/connexion/" + (f"?next={next_url}" if next_url else "")
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    response = client.post(url, data, follow=True)
    assert response.status_code == 200, response.status_code
    return response


def landed(response) -> str:
    return response.redirect_chain[-1][0]


def directed_school(username="directeur-demo") -> School:
    return School.objects.get(directors__user__username=username)


@pytest.mark.django_db
def test_director_without_open_campaign_lands_on_their_school_not_the_dashboard(
    demo_accounts, client
):
    Campaign.objects.update(
        opens_on=datetime.date(2020, 9, 1), closes_on=datetime.date(2020, 12, 1)
    )
    school = directed_school()
    response = sign_in(client, "directeur-demo")
    assert landed(response) == f"/ecoles/{school.uai}/"
    html = response.content.decode()
    assert school.name in html
    assert 'name="tri"' not in html  # not the 11-filter gap list


@pytest.mark.django_db
def test_director_lands_on_the_census_form_of_the_open_campaign(demo_accounts, client):
    today = timezone.localdate()
    campaign = Campaign.objects.get()
    campaign.opens_on, campaign.closes_on = today, today + datetime.timedelta(days=30)
    campaign.save()
    school = directed_school()
    response = sign_in(client, "directeur-demo")
    assert landed(response) == f"/ecoles/{school.uai}/recensement/{campaign.pk}/"
    assert "<form" in response.content.decode() and school.name in response.content.decode()


@pytest.mark.django_db
def test_erun_lands_on_their_circonscriptions_schools(demo_accounts, client):
    circonscription = Circonscription.objects.get(referents__user__username="erun-demo")
    response = sign_in(client, "erun-demo")
    assert landed(response) == f"/ecoles/?circonscription={circonscription.pk}"
    html = response.content.decode()
    outside = School.objects.exclude(circonscription=circonscription).exclude(status="closed")
    assert not any(f">{uai}<" in html for uai in outside.values_list("uai", flat=True)[:50])
    first = circonscription.schools.exclude(status="closed").order_by("name").first()
    assert first.uai in html


@pytest.mark.parametrize(
    "username, page, text",
    [
        ("mediateur-demo", "/espace/", "<main"),
        ("dsden-demo", "/ecoles/", 'name="tri"'),
        ("prefecture-demo", "/couverture/rapport/", "Rapport de couverture"),
        ("collectivite-demo", "/territoires/departement/28/", "Eure-et-Loir"),
        ("admin-demo", "/admin/", "<main"),
    ],
)
@pytest.mark.django_db
def test_each_staff_role_lands_where_it_works(demo_accounts, client, username, page, text):
    response = sign_in(client, username)
    assert landed(response) == page
    assert text in response.content.decode()


@pytest.mark.django_db
def test_the_most_specific_role_wins(demo_accounts, client):
    """A DSDEN agent who also directs a school lands on that school, not on the map of all."""
    user = get_user_model().objects.get(username="dsden-demo")
    school = directed_school()
    school.directors.create(user=user)
    Campaign.objects.update(
        opens_on=datetime.date(2020, 9, 1), closes_on=datetime.date(2020, 12, 1)
    )
    assert landed(sign_in(client, "dsden-demo")) == f"/ecoles/{school.uai}/"
    # Without a role declaring a page, the home map.
    get_user_model().objects.create_user("nobody", password=PASSWORD)
    client.logout()
    assert landed(sign_in(client, "nobody")) == "/"


@pytest.mark.django_db
def test_a_safe_next_address_is_kept_an_outside_one_ignored(demo_accounts, client):
    assert landed(sign_in(client, "dsden-demo", next_url="/couverture/")) == "/couverture/"
    client.logout()
    response = sign_in(client, "dsden-demo", next_url="https://evil.example/")
    assert landed(response) == "/ecoles/"


@pytest.mark.django_db
def test_a_local_authority_of_one_epci_lands_on_its_page(demo_accounts, client):
    user = get_user_model().objects.create_user("epci", password=PASSWORD)
    grant(user, roles.LOCAL_AUTHORITY, (roles.EPCI, "200040277"))
    assert landed(sign_in(client, "epci")) == "/territoires/epci/200040277/"


def test_manage_py_check_names_a_landing_page_that_does_not_import(monkeypatch):
    from django.apps import apps

    from hub.checks import check_registrations
    from hub.registry import LandingPage

    config = apps.get_app_config("equipment")
    monkeypatch.setattr(
        config, "hub_landing_pages", [LandingPage(10, "equipment.landing.nobody_here")]
    )
    errors = check_registrations()
    assert any("equipment.landing.nobody_here" in e.msg for e in errors)
