"""Staff see their own territory only: with Ille-et-Vilaine loaded beside Eure-et-Loir, the DSDEN
of 28 reaches none of 35's schools (page, census form, map layer, gap list exports, census
follow-up, reminders), a local authority reads its schools without writing, and a national
administrator sees both."""

import csv
import datetime
import io
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.core import mail
from django.core.cache import cache
from openpyxl import load_workbook

from accounts import roles
from accounts.services import grant, make_hub_admin
from cartography.models import Commune, Departement
from equipment.models import (
    Campaign,
    CensusAnswer,
    Circonscription,
    Deployment,
    School,
    SchoolDirector,
)
from equipment.tasks import remind_census
from tests.equipment.test_census import GOOD

PASSWORD = "pw-scope-2026"
D28 = (roles.DEPARTEMENT, "28")


@pytest.fixture
def two(territory_28):
    """A school in Chartres (28) and one in Rennes (35), each in its circonscription with a
    director; a campaign asking both; one account per role."""
    ille = Departement.objects.create(code="35", name="Ille-et-Vilaine")
    square = Polygon.from_bbox((-1.75, 48.08, -1.62, 48.15))
    rennes = Commune.objects.create(
        code="35238", name="Rennes", departement=ille, population=225081,
        geometry=MultiPolygon(square, srid=4326),
    )  # fmt: skip
    chartres = Commune.objects.get(code="28085")
    schools = {}
    for uai, name, commune, dep in [
        ("0280001A", "École Jean Moulin", chartres, "28"),
        ("0350001A", "École Liberté", rennes, "35"),
    ]:
        circo = Circonscription.objects.create(name=f"Circonscription {dep}", departement_code=dep)
        schools[dep] = School.objects.create(
            uai=uai, name=name, kind="elementaire", departement_code=dep, commune=commune,
            commune_code=commune.code, circonscription=circo, source="annuaire",
            location=commune.geometry.point_on_surface,
        )  # fmt: skip
    campaign = Campaign.objects.create(
        school_year="2025-2026", title="Recensement 2025", opens_on=datetime.date(2025, 9, 1),
        closes_on=datetime.date(2025, 12, 19), kinds=["elementaire"],
    )  # fmt: skip
    users = get_user_model().objects
    made = {
        name: users.create_user(name, f"{name}@example.org", PASSWORD)
        for name in ("dsden28", "admin", "departement28", "dir28", "dir35")
    }
    grant(made["dsden28"], roles.DSDEN_STAFF, D28)
    make_hub_admin(made["admin"])
    grant(made["departement28"], roles.LOCAL_AUTHORITY, D28)
    SchoolDirector.objects.create(user=made["dir28"], school=schools["28"])
    SchoolDirector.objects.create(user=made["dir35"], school=schools["35"])
    for dep, school in schools.items():
        Deployment.objects.create(
            school=school, kind="tablets", quantity=10 + int(dep), funding="collectivite",
            ordered_on=datetime.date(2025, 10, 1),
        )  # fmt: skip
    return {"schools": schools, "campaign": campaign, "users": made}


def _csv_uais(response) -> set[str]:
    text = response.content.decode("utf-8-sig")
    return {row[0] for row in csv.reader(io.StringIO(text), delimiter=";")}


@pytest.mark.django_db
def test_the_dsden_of_28_gets_404_for_a_school_of_35_on_its_page_and_form(client, two):
    client.force_login(two["users"]["dsden28"])
    campaign = two["campaign"].pk
    assert client.get("/ecoles/0280001A/").status_code == 200
    assert client.get("/ecoles/0350001A/").status_code == 404
    assert client.get(f"/ecoles/0350001A/recensement/{campaign}/").status_code == 404
    assert client.post(f"/ecoles/0350001A/recensement/{campaign}/", GOOD).status_code == 404
    assert not CensusAnswer.objects.exists()
    page = client.get("/ecoles/").content.decode()
    assert "École Jean Moulin" in page and "École Liberté" not in page


@pytest.mark.django_db
def test_the_map_layer_and_the_gap_list_exports_keep_to_the_territory(client, two):
    client.force_login(two["users"]["dsden28"])
    layer = client.get("/ecoles/carte.geojson").json()
    assert [f["id"] for f in layer["features"]] == ["0280001A"]
    around_rennes = client.get("/ecoles/carte.geojson", {"bbox": "-1.8,48.0,-1.6,48.2"}).json()
    assert around_rennes["features"] == []
    exported = _csv_uais(client.get("/ecoles/manques.csv"))
    assert "0280001A" in exported and "0350001A" not in exported
    workbook = load_workbook(io.BytesIO(client.get("/ecoles/manques.xlsx").content))
    cells = {c.value for row in workbook.active.iter_rows() for c in row}
    assert "0280001A" in cells and "0350001A" not in cells
    deployments = _csv_uais(client.get("/ecoles/deploiements/export.csv"))
    assert "0280001A" in deployments and "0350001A" not in deployments


@pytest.mark.django_db
def test_the_census_follow_up_of_35_answers_404_to_the_dsden_of_28(client, two):
    client.force_login(two["users"]["dsden28"])
    campaign = two["campaign"].pk
    circo35 = two["schools"]["35"].circonscription_id
    base = f"/ecoles/recensement/{campaign}/circonscriptions/{circo35}/"
    for page in ("", "modele.xlsx", "depot/"):
        assert client.get(base + page).status_code == 404, page
    assert client.post(base + "relance/").status_code == 404
    overview = client.get(f"/ecoles/recensement/{campaign}/").content.decode()
    assert "Circonscription 28" in overview and "Circonscription 35" not in overview


@pytest.mark.django_db
def test_a_reminder_of_the_dsden_of_28_reaches_no_school_of_35(
    client, two, django_capture_on_commit_callbacks
):
    dsden = two["users"]["dsden28"]
    campaign = two["campaign"].pk
    cache.delete_many([f"equipment:census-reminder:{campaign}:all-{d}" for d in ("28", "35")])
    client.force_login(dsden)
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(f"/ecoles/recensement/{two['campaign'].pk}/relance/", follow=True)
    assert len(queued) == 1
    said = unescape(response.content.decode())
    assert "Relance en cours d'envoi pour 1 école sans réponse" in said
    # What the queued task does on behalf of the DSDEN agent:
    assert remind_census(two["campaign"].pk, None, dsden.pk) == 1
    assert [m.to for m in mail.outbox] == [["dir28@example.org"]]
    mail.outbox.clear()
    assert remind_census(two["campaign"].pk, None, None) == 0  # nobody's scope: nobody
    assert mail.outbox == []
    # The note of that reminder is for the staff of 28 only.
    overview = f"/ecoles/recensement/{two['campaign'].pk}/"
    assert (
        "Dernière relance de toutes les circonscriptions" in client.get(overview).content.decode()
    )
    dsden35 = get_user_model().objects.create_user("dsden35", "d35@example.org", PASSWORD)
    grant(dsden35, roles.DSDEN_STAFF, (roles.DEPARTEMENT, "35"))
    client.force_login(dsden35)
    assert "Dernière relance" not in client.get(overview).content.decode()


@pytest.mark.django_db
def test_a_local_authority_reads_its_schools_figures_and_deployments_without_editing(client, two):
    school = two["schools"]["28"]
    CensusAnswer.objects.create(
        campaign=two["campaign"], school=school, pupils=120, laptops_total=12,
        laptops_pupils=12, connection="fibre", wifi="all", platform="pronote",
    )  # fmt: skip
    client.force_login(two["users"]["departement28"])
    page = client.get("/ecoles/0280001A/").content.decode()
    assert "<h1>École Jean Moulin</h1>" in page and "120" in page
    assert "modifier" not in page and "Répondre au recensement" not in page
    form = f"/ecoles/0280001A/recensement/{two['campaign'].pk}/"
    assert client.get(form).status_code == 403
    assert client.post(form, {**GOOD, "pupils": "5"}).status_code == 403
    assert CensusAnswer.objects.get().pupils == 120
    assert client.get("/ecoles/0350001A/").status_code == 404
    deployments = client.get("/ecoles/deploiements/").content.decode()
    assert "École Jean Moulin" in deployments and "École Liberté" not in deployments
    assert "Ajouter un déploiement" not in deployments and "Modifier" not in deployments
    assert client.get("/ecoles/deploiements/ajouter/").status_code == 403
    mine = Deployment.objects.get(school=school)
    assert (
        client.post(f"/ecoles/deploiements/{mine.pk}/", {"status": "delivered"}).status_code == 403
    )
    other = Deployment.objects.get(school=two["schools"]["35"])
    assert client.get(f"/ecoles/deploiements/{other.pk}/").status_code == 404
    assert "Ouvrir une campagne" not in client.get("/ecoles/").content.decode()


@pytest.mark.django_db
def test_a_national_administrator_sees_both_departements(client, two):
    client.force_login(two["users"]["admin"])
    assert client.get("/ecoles/0280001A/").status_code == 200
    assert client.get("/ecoles/0350001A/").status_code == 200
    layer = client.get("/ecoles/carte.geojson").json()
    assert sorted(f["id"] for f in layer["features"]) == ["0280001A", "0350001A"]
    assert _csv_uais(client.get("/ecoles/manques.csv")) >= {"0280001A", "0350001A"}


@pytest.mark.django_db
def test_staff_of_a_role_without_territory_see_no_school(client, two):
    lost = get_user_model().objects.create_user("lost", "lost@example.org", PASSWORD)
    grant(lost, roles.DSDEN_STAFF)  # the group, no département yet
    client.force_login(lost)
    assert client.get("/ecoles/").status_code == 403
    assert client.get("/ecoles/0280001A/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("level", ["commune", "epci"])
def test_a_commune_or_an_epci_reads_the_schools_of_its_territory_only(client, two, level):
    chartres = two["schools"]["28"].commune
    code = chartres.code if level == "commune" else chartres.epci.siren
    mairie = get_user_model().objects.create_user("mairie", "mairie@example.org", PASSWORD)
    grant(mairie, roles.LOCAL_AUTHORITY, (level, code))
    client.force_login(mairie)
    assert client.get("/ecoles/0280001A/").status_code == 200
    assert client.get("/ecoles/0350001A/").status_code == 404
    layer = client.get("/ecoles/carte.geojson").json()
    assert [f["id"] for f in layer["features"]] == ["0280001A"]


@pytest.mark.django_db
def test_the_admin_lists_and_opens_only_the_administrators_territory(client, two):
    local_admin = get_user_model().objects.create_user("admin28", "a28@example.org", PASSWORD)
    make_hub_admin(local_admin, D28)
    school35 = two["schools"]["35"]
    client.force_login(local_admin)
    listing = client.get("/admin/equipment/school/").content.decode()
    assert "École Jean Moulin" in listing and "École Liberté" not in listing
    change = client.get(f"/admin/equipment/school/{school35.pk}/change/", follow=True)
    assert "École Liberté" not in change.content.decode()  # "n'existe pas", back to the index
    client.force_login(two["users"]["admin"])  # national
    assert "École Liberté" in client.get("/admin/equipment/school/").content.decode()


@pytest.mark.django_db
def test_roles_and_scopes_are_read_once_per_request_however_many_rights_a_page_asks(
    client, two, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(30):  # each row asks whether the user may edit it
        Deployment.objects.create(
            school=two["schools"]["28"], kind="laptops", quantity=n + 1, funding="cnr",
            ordered_on=datetime.date(2025, 11, 1),
        )  # fmt: skip
    client.force_login(two["users"]["dsden28"])
    with django_assert_max_num_queries(25), CaptureQueriesContext(connection) as queries:
        page = client.get("/ecoles/deploiements/").content.decode()
    assert page.count(">Modifier<") == 25  # a full page of rows, each editable
    sql = [q["sql"] for q in queries.captured_queries]
    assert sum('FROM "auth_group"' in q for q in sql) == 1
    assert sum('FROM "accounts_staffscope"' in q for q in sql) == 1
