"""Staff roles carry territories: a scope is checked against the hub's territories, edited on the
user's admin page, limits coverage reports to the départements covered, and is read once per
request however many rights a page asks."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from accounts import roles
from accounts.models import StaffScope
from accounts.services import grant, make_hub_admin
from actors.models import Membership, Structure
from cartography.importers.coverage import load_demo_coverage
from cartography.models import Commune, CoverageReport, CoverageSnapshot, Departement

pytestmark = pytest.mark.django_db
PASSWORD = "pw-scope-2026"


def person(name):
    return get_user_model().objects.create_user(name, f"{name}@example.org", PASSWORD)


@pytest.fixture
def ille_et_vilaine(territory_28):
    """Département 35 beside Eure-et-Loir: Rennes, with fibre figures for T1 2018."""
    load_demo_coverage()
    ille = Departement.objects.create(code="35", name="Ille-et-Vilaine")
    Commune.objects.create(code="35238", name="Rennes", departement=ille, population=225081)
    CoverageSnapshot.objects.create(
        level="commune", code="35238", name="Rennes", period=datetime.date(2018, 1, 1),
        edition=datetime.date(2018, 1, 1), ftth_ready=90000, dwellings=120000, businesses=10000,
    )  # fmt: skip
    return ille


def test_a_scope_names_a_known_territory_allowed_for_its_role(territory_28):
    user = person("agent")
    StaffScope(user=user, role=roles.DSDEN_STAFF, kind=roles.DEPARTEMENT, code="28").full_clean()
    with pytest.raises(ValidationError) as unknown:
        StaffScope(
            user=user, role=roles.DSDEN_STAFF, kind=roles.DEPARTEMENT, code="99"
        ).full_clean()
    assert "« 99 » : territoire inconnu du hub." in str(unknown.value)
    with pytest.raises(ValidationError) as kind:
        StaffScope(user=user, role=roles.DSDEN_STAFF, kind=roles.COMMUNE, code="28085").full_clean()
    assert "Pour ce rôle : département." in str(kind.value)
    with pytest.raises(ValidationError):
        StaffScope(user=user, role=roles.MEDIATEURS, kind=roles.DEPARTEMENT, code="28").full_clean()
    for kind, code in [(roles.COMMUNE, "28085"), (roles.EPCI, "200040277")]:
        StaffScope(user=user, role=roles.LOCAL_AUTHORITY, kind=kind, code=code).full_clean()


def test_an_administrator_gives_a_scope_on_the_user_admin_page(client, territory_28):
    admin = person("admin")
    make_hub_admin(admin)
    agent = person("agent")
    client.force_login(admin)
    url = f"/admin/accounts/user/{agent.pk}/change/"
    page = client.get(url).content.decode()
    assert "Périmètres territoriaux" in page
    form = {
        "username": "agent", "email": "agent@example.org", "is_active": "on",
        "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00",
        "initial-date_joined_0": "2026-01-01", "initial-date_joined_1": "00:00:00",
        "staff_scopes-TOTAL_FORMS": "1", "staff_scopes-INITIAL_FORMS": "0",
        "staff_scopes-0-role": roles.DSDEN_STAFF, "staff_scopes-0-kind": roles.DEPARTEMENT,
        "staff_scopes-0-code": "99",
    }  # fmt: skip
    refused = client.post(url, form)
    assert "« 99 » : territoire inconnu du hub." in refused.content.decode()
    assert not StaffScope.objects.filter(user=agent).exists()
    assert client.post(url, {**form, "staff_scopes-0-code": "28"}).status_code == 302
    assert list(agent.staff_scopes.values_list("role", "kind", "code")) == [
        (roles.DSDEN_STAFF, roles.DEPARTEMENT, "28")
    ]
    assert agent.groups.filter(name=roles.DSDEN_STAFF).exists()  # the scope gives the role
    client.force_login(agent)
    assert client.get("/ecoles/campagnes/nouvelle/").status_code == 200  # DSDEN of 28
    StaffScope.objects.get(user=agent).delete()
    assert not agent.groups.filter(name=roles.DSDEN_STAFF).exists()


def test_the_prefecture_of_28_cannot_request_a_report_on_35(client, ille_et_vilaine):
    prefecture = person("prefecture")
    grant(prefecture, roles.PREFECTURE_STAFF, (roles.DEPARTEMENT, "28"))
    client.force_login(prefecture)
    form = client.get("/couverture/rapport/").content.decode()
    assert "Eure-et-Loir (28)" in form and "Ille-et-Vilaine" not in form
    for asked in (
        {"territory": "departement", "departement": "35"},
        {"territory": "communes", "communes": "28085, 35238"},
    ):
        response = client.post(
            "/couverture/rapport/", {**asked, "period": "T1 2018", "format": "csv"}
        )
        assert response.status_code == 200, asked
        assert 'aria-invalid="true"' in response.content.decode()
    assert "hors de votre périmètre : 35238" in response.content.decode()
    assert not CoverageReport.objects.exists()
    accepted = client.post(
        "/couverture/rapport/",
        {"territory": "communes", "communes": "28085", "period": "T1 2018", "format": "csv"},
    )
    assert accepted.status_code == 302 and CoverageReport.objects.count() == 1


def test_a_report_on_35_is_not_downloaded_by_the_prefecture_of_28(client, ille_et_vilaine):
    prefecture, admin = person("prefecture"), person("admin")
    grant(prefecture, roles.PREFECTURE_STAFF, (roles.DEPARTEMENT, "28"))
    make_hub_admin(admin)
    reports = {}
    for code in ("28", "35"):
        parameters = {"period": "T1 2018", "departement": code, "epci": "", "communes": []}
        report = CoverageReport.request(
            prefecture, {**parameters, "format": "csv"}, f"département {code}"
        )
        report.job.result.save(f"rapport-{code}.csv", ContentFile(b"niveau;nom\r\n"))
        report.job.state = report.job.State.DONE
        report.job.save()
        reports[code] = report
    client.force_login(prefecture)
    assert client.get(f"/couverture/rapport/{reports['28'].pk}/fichier").status_code == 200
    assert client.get(f"/couverture/rapport/{reports['35'].pk}/").status_code == 404
    assert client.get(f"/couverture/rapport/{reports['35'].pk}/fichier").status_code == 404
    client.force_login(admin)  # national
    assert client.get(f"/couverture/rapport/{reports['35'].pk}/fichier").status_code == 200


def test_a_page_asking_many_rights_reads_roles_and_memberships_once(
    client, django_assert_max_num_queries
):
    member = person("membre")
    grant(member, roles.MEDIATEURS)
    for n in range(25):
        structure = Structure.objects.create(name=f"Structure {n:02}")
        Membership.objects.create(
            structure=structure, user=member, status=Membership.Status.ACTIVE,
            role=Membership.Role.ADMIN if n % 2 else Membership.Role.MEMBER,
        )  # fmt: skip
    client.force_login(member)
    # 25 structures, a bounded number of queries: nothing is read once per structure (the page
    # and its menu also ask about claims, error reports, schools, plans and workshops).
    with django_assert_max_num_queries(20) as queries:
        page = client.get("/espace/").content.decode()
    # Roles, scopes and the active memberships behind every right are each read once.
    sql = [query["sql"] for query in queries.captured_queries]
    assert sum(q.startswith('SELECT "auth_group"."name"') for q in sql) == 1
    assert sum('FROM "accounts_staffscope"' in q for q in sql) == 1
    assert sum(q.startswith('SELECT "actors_membership"."structure_id" AS') for q in sql) == 1
    # Invitations are offered in the 12 structures the member administers, and only there.
    assert page.count("Inviter un membre dans") == 12


def test_the_demo_accounts_cover_eure_et_loir_and_a_local_authority_is_among_them(territory_28):
    from accounts.demo import load_demo_accounts

    for _ in range(2):  # a second run creates nothing twice
        load_demo_accounts()
    scopes = set(StaffScope.objects.values_list("user__username", "role", "kind", "code"))
    assert scopes == {
        ("admin-demo", roles.HUB_ADMINS, roles.NATIONAL, ""),
        ("dsden-demo", roles.DSDEN_STAFF, roles.DEPARTEMENT, "28"),
        ("prefecture-demo", roles.PREFECTURE_STAFF, roles.DEPARTEMENT, "28"),
        ("collectivite-demo", roles.LOCAL_AUTHORITY, roles.DEPARTEMENT, "28"),
    }
    local = get_user_model().objects.get(username="collectivite-demo")
    assert local.check_password("demo-hub-28") and local.has_role(roles.LOCAL_AUTHORITY)
