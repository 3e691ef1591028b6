"""A hub administrator scoped to Eure-et-Loir reaches nothing of Ille-et-Vilaine in the admin
either: not a deployment's or an answer's history (read or restored), not the directors of its
schools, not its coverage reports."""

import pytest
from django.contrib.auth import get_user_model

from accounts import roles
from accounts.services import make_hub_admin
from cartography.models import CoverageReport
from equipment.models import Deployment, SchoolDirector
from tests.equipment.test_territorial_scope import two  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin28(two):  # noqa: F811
    user = get_user_model().objects.create_user("admin28", "admin28@example.org", "pw-28-2026")
    make_hub_admin(user, (roles.DEPARTEMENT, "28"))
    return user


def test_the_history_of_a_deployment_of_35_answers_404(client, two, admin28):  # noqa: F811
    client.force_login(admin28)
    mine = Deployment.objects.get(school=two["schools"]["28"])
    other = Deployment.objects.get(school=two["schools"]["35"])
    assert client.get(f"/admin/equipment/deployment/{mine.pk}/history/").status_code == 200
    assert client.get(f"/admin/equipment/deployment/{other.pk}/history/").status_code == 404
    version = other.history.latest().history_id
    url = f"/admin/equipment/deployment/{other.pk}/history/{version}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"quantity": 1}).status_code == 404
    assert Deployment.objects.get(pk=other.pk).quantity == 45


def test_the_directors_of_35_are_not_listed(client, two, admin28):  # noqa: F811
    client.force_login(admin28)
    page = client.get("/admin/equipment/schooldirector/").content.decode()
    assert "dir28" in page and "dir35" not in page
    director = SchoolDirector.objects.get(school=two["schools"]["35"])
    response = client.get(f"/admin/equipment/schooldirector/{director.pk}/change/")
    assert response.status_code == 302  # the admin's answer for an object it does not have


def test_a_coverage_report_of_35_is_not_listed(client, two, admin28):  # noqa: F811
    national = get_user_model().objects.get(username="admin")
    theirs = CoverageReport.request(
        national, {"departement": "35", "period": "T1 2018", "format": "csv"}, "Rapport Rennes"
    )
    ours = CoverageReport.request(
        national, {"departement": "28", "period": "T1 2018", "format": "csv"}, "Rapport Chartres"
    )
    client.force_login(admin28)
    page = client.get("/admin/cartography/coveragereport/").content.decode()
    assert "Rapport Chartres" in page and "Rapport Rennes" not in page
    assert client.get(f"/admin/cartography/coveragereport/{ours.pk}/change/").status_code == 200
    response = client.get(f"/admin/cartography/coveragereport/{theirs.pk}/change/")
    assert response.status_code == 302
