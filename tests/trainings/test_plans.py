"""Territorial action plans: who sees and edits which plan (page, form post, API), the budget as
the sum of its funding lines, progress figures, the XLSX and PDF, the outside intervention seen
by the school's director and ERUN, "Planifier une action" from the diagnostic and a school."""

import datetime
import io
import re
import subprocess
from decimal import Decimal
from html import unescape

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from trainings.models import Action, FundingLine, Plan, Session, Training

from .plan_fixtures import client_for, world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

# Who reads the plan page (200) and who gets 404: the plan's territory, its owner, those an
# action touches (the school's director and ERUN, the intervening structure's members).
READS = {
    "anonymous": 302,
    "nobody": 404,
    "dsden28": 200,
    "dsden35": 404,
    "epci_chartres": 200,
    "epci_dreux": 404,
    "admin": 200,
    "owner": 200,
    "director": 200,
    "erun": 200,
    "other_director": 404,
    "mediateur": 200,
}
# Who edits it: the territory's planners and the owner; readers get 403, the others 404.
EDITS = {
    **{role: 404 for role, status in READS.items() if status == 404},
    "anonymous": 302,
    "dsden28": 200,
    "epci_chartres": 200,
    "admin": 200,
    "owner": 200,
    "director": 403,
    "erun": 403,
    "mediateur": 403,
}


@pytest.mark.parametrize("role", READS)
def test_plan_page_by_role(client, world, role):  # noqa: F811
    client = client_for(client, world, role)
    plan = world["plan"]
    response = client.get(f"/plans-d-action/{plan.pk}/")
    assert response.status_code == READS[role]
    listed = client.get("/plans-d-action/")
    if READS[role] == 200:
        assert plan.title in listed.content.decode()
    elif role != "anonymous":
        # Someone without any plan (nor the right to create one) has no list either.
        assert listed.status_code == 404 or plan.title not in listed.content.decode()


@pytest.mark.parametrize("role", EDITS)
def test_plan_edit_and_action_form_by_role(client, world, role):  # noqa: F811
    client = client_for(client, world, role)
    plan = world["plan"]
    assert client.get(f"/plans-d-action/{plan.pk}/modifier/").status_code == EDITS[role]
    response = client.post(
        f"/plans-d-action/{plan.pk}/actions/nouvelle/",
        {
            "title": "Ajout",
            "kind": "workshops",
            "status": "planned",
            "priority": "2",
            "need": "Un besoin",
            "financement-TOTAL_FORMS": "0",
            "financement-INITIAL_FORMS": "0",
        },
    )
    expected = 302 if EDITS[role] == 200 else EDITS[role]
    assert response.status_code == expected
    assert Action.objects.filter(title="Ajout").exists() == (
        expected == 302 and role != "anonymous"
    )


def test_director_and_erun_see_only_the_actions_touching_their_school(client, world):  # noqa: F811
    plan, school = world["plan"], world["school"]
    for role in ("director", "erun"):
        client.force_login(world["users"][role])
        page = client.get(f"/plans-d-action/{plan.pk}/").content.decode()
        assert "Ateliers écrans et familles" in page
        assert "Fablab du Perche" in page  # the outside structure intervening
        assert "Ateliers d’autonomie à Chartres" not in page  # not in their school
        school_page = client.get(f"/ecoles/{school.uai}/").content.decode()
        assert "Ateliers écrans et familles" in school_page
        assert "intervention de Fablab du Perche" in school_page
        assert "Planifier une action" not in school_page  # they read, they do not plan
    client.force_login(world["users"]["other_director"])
    other = client.get(f"/ecoles/{world['other_school'].uai}/").content.decode()
    assert "Ateliers écrans et familles" not in other


def test_api_is_scoped_and_denies_by_default(client, world):  # noqa: F811
    assert client.get("/api/plans/").status_code == 403
    assert client.get("/api/plan-actions/").status_code == 403
    plan = world["plan"]
    client.force_login(world["users"]["director"])
    assert [p["id"] for p in client.get("/api/plans/").json()["results"]] == [plan.pk]
    actions = client.get("/api/plan-actions/").json()["results"]
    assert [a["title"] for a in actions] == ["Ateliers écrans et familles"]
    assert actions[0]["school"] == "0280001A"
    workshops = world["workshops"]
    assert client.get(f"/api/plan-actions/{workshops.pk}/").status_code == 404
    client.force_login(world["users"]["dsden35"])
    assert client.get("/api/plans/").json()["results"] == []
    assert client.get(f"/api/plans/{plan.pk}/").status_code == 404
    client.force_login(world["users"]["epci_chartres"])
    body = client.get(f"/api/plan-actions/{workshops.pk}/").json()
    assert body["budget"] == "2000.50"
    assert {line["funder_name"] for line in body["funding_lines"]} == {"CNR", "Ville"}
    assert client.get("/api/plan-actions/", {"plan": "abc"}).status_code == 400


def test_dsden_creates_a_plan_and_an_action_whose_budget_is_the_sum_of_its_lines(client, world):  # noqa: F811
    client.force_login(world["users"]["dsden28"])
    dreux = world["dreux"]
    response = client.post(
        "/plans-d-action/nouveau/?commune=28134",
        {
            "title": "Plan de Dreux",
            "level": "commune",
            "commune": dreux.pk,
            "starts_on": "2026-09-01",
            "ends_on": "2027-06-30",
            "state": "active",
        },
    )
    plan = Plan.objects.get(title="Plan de Dreux")
    assert response.url == f"/plans-d-action/{plan.pk}/actions/nouvelle/?commune=28134"
    assert list(plan.owners.all()) == [world["users"]["dsden28"]]
    assert (plan.departement_code, plan.commune_code) == ("28", "28134")
    form = client.get(response.url).content.decode()
    assert "Action à Dreux" in form  # the need carried from the link
    data = {
        "title": "Ateliers parents",
        "kind": "parents_meetings",
        "status": "planned",
        "priority": "1",
        "commune": dreux.pk,
        "need": "Parents éloignés du numérique.",
        "financement-TOTAL_FORMS": "2",
        "financement-INITIAL_FORMS": "0",
        "financement-0-funder_kind": "cnr",
        "financement-0-funder_name": "CNR Éducation",
        "financement-0-amount": "1500,25",
        "financement-1-funder_kind": "collectivite",
        "financement-1-funder_name": "Ville de Dreux",
        "financement-1-amount": "-3",
    }
    refused = client.post(response.url, data)
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "supérieure ou égale à 0" in page
    assert 'id="id_financement-1-amount"' in page and "fr-input--error" in page
    assert not Action.objects.filter(plan=plan).exists() and FundingLine.objects.count() == 2
    data["financement-1-amount"] = "499,75"
    saved = client.post(response.url, data)
    assert saved.status_code == 302, re.findall(r"fr-error-text\">([^<]*)", saved.content.decode())
    action = Action.objects.get(plan=plan)
    assert action.budget == Decimal("2000.00")
    detail = client.get(f"/plans-d-action/{plan.pk}/").content.decode()
    assert "<strong>Budget : 2\u202f000,00\u00a0€</strong>" in detail


def test_a_planner_cannot_plan_outside_their_territory(client, world):  # noqa: F811
    client.force_login(world["users"]["epci_chartres"])
    response = client.post(
        "/plans-d-action/nouveau/",
        {
            "title": "Plan de Dreux",
            "level": "commune",
            "commune": world["dreux"].pk,
            "starts_on": "2026-09-01",
            "ends_on": "2026-06-30",
            "state": "draft",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in page
    assert "La fin du plan précède son début." in page
    assert not Plan.objects.filter(title="Plan de Dreux").exists()
    client.force_login(world["users"]["director"])
    assert client.get("/plans-d-action/nouveau/").status_code == 403


def _session(school, start, cancelled=False):
    training = Training.objects.get_or_create(
        title="Parents et écrans",
        defaults={"summary": "…", "duration_minutes": 90, "organiser_departement": "28"},
    )[0]
    return Session.objects.create(
        training=training,
        school=school,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        capacity=12,
        cancelled=cancelled,
    )


def test_progress_counts_actions_sessions_held_and_participants(client, world):  # noqa: F811
    from trainings.models import Registration, WalkInCount

    now = timezone.now()
    school, action = world["school"], world["intervention"]
    held = _session(school, now - datetime.timedelta(days=10))
    cancelled = _session(school, now - datetime.timedelta(days=5), cancelled=True)
    coming = _session(school, now + datetime.timedelta(days=5))
    action.sessions.set([held, cancelled, coming])
    for n, attendance in enumerate(["present", "present", "absent"]):
        Registration.objects.create(
            session=held, name=f"P{n}", email=f"p{n}@example.org", consent_at=now,
            status="confirmee", attendance=attendance,
        )  # fmt: skip
    WalkInCount.objects.create(session=held, audience="parents", count=4)
    Action.objects.create(
        plan=world["plan"], title="Abandonnée", kind="other", status="abandoned", need="x"
    )
    client.force_login(world["users"]["dsden28"])
    page = client.get(f"/plans-d-action/{world['plan'].pk}/").content.decode()
    assert '<strong id="actions-done">1 sur 2</strong>' in page  # the abandoned one apart
    assert '<strong id="sessions-held">1</strong>' in page  # neither cancelled nor to come
    assert '<strong id="participants">6</strong>' in page  # 2 present + 4 walk-ins


def test_exports_xlsx_and_tagged_pdf(client, world, tmp_path):  # noqa: F811
    client.force_login(world["users"]["epci_chartres"])
    plan = world["plan"]
    response = client.get(f"/plans-d-action/{plan.pk}/plan.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0].startswith("Plan numérique de Chartres Métropole — EPCI")
    by_title = {r[0]: r for r in rows[3:] if r and r[0]}
    assert by_title["Ateliers d’autonomie à Chartres"][10] == 2000.5
    assert "commune Chartres" in by_title["Ateliers d’autonomie à Chartres"][6]
    assert ["Budget total (€)", 2000.5] in [r[:2] for r in rows]
    pdf = client.get(f"/plans-d-action/{plan.pk}/plan.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf.content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "Tagged:          yes" in info
    assert "Plan numérique de Chartres Métropole : plan d’action territorial" in info
    # Someone who only reads one action exports only what they see.
    client.force_login(world["users"]["director"])
    sheet = load_workbook(
        io.BytesIO(client.get(f"/plans-d-action/{plan.pk}/plan.xlsx").content)
    ).active
    titles = [r[0] for r in sheet.iter_rows(min_row=4, values_only=True)]
    assert "Ateliers écrans et familles" in titles
    assert "Ateliers d’autonomie à Chartres" not in titles


def test_plan_an_action_from_a_school_page_and_the_diagnostic(client, world):  # noqa: F811
    client.force_login(world["users"]["dsden28"])
    school = world["school"]
    page = client.get(f"/ecoles/{school.uai}/").content.decode()
    assert f'href="/plans-d-action/planifier/?ecole={school.uai}"' in page
    choose = client.get(f"/plans-d-action/planifier/?ecole={school.uai}").content.decode()
    # The EPCI's plan covers the school: offered, with the need carried along.
    assert f"/plans-d-action/{world['plan'].pk}/actions/nouvelle/?ecole={school.uai}" in choose
    diagnostic = client.get("/diagnostic/", {"departement": "28"}).content.decode()
    assert "/plans-d-action/planifier/?commune=" in diagnostic
    form = client.get(
        f"/plans-d-action/{world['plan'].pk}/actions/nouvelle/?commune=28085&rang=3&version=1"
    ).content.decode()
    assert "Depuis le diagnostic des écarts : rang 3, pondération v1." in form
    client.force_login(world["users"]["director"])
    assert "Planifier une action" not in client.get("/diagnostic/").content.decode()


def test_admin_lists_the_plans_of_the_administrators_territory(client, world, django_user_model):  # noqa: F811
    from accounts import roles
    from accounts.services import make_hub_admin

    client.force_login(world["users"]["admin"])
    plan = world["plan"]
    assert plan.title in client.get("/admin/trainings/plan/").content.decode()
    assert client.get(f"/admin/trainings/action/{world['workshops'].pk}/change/").status_code == 200
    elsewhere = django_user_model.objects.create_user("admin35", "a35@example.org", "pw-x-2026")
    make_hub_admin(elsewhere, (roles.DEPARTEMENT, "35"))
    client.force_login(elsewhere)
    assert plan.title not in client.get("/admin/trainings/plan/").content.decode()
    assert client.get(f"/admin/trainings/plan/{plan.pk}/change/").status_code in (302, 404)


def test_plans_list_empty_state_and_sort(client, world):  # noqa: F811
    client.force_login(world["users"]["dsden35"])
    page = client.get("/plans-d-action/").content.decode()
    assert "Aucun plan d’action pour l’instant." in page and "Créer un plan" in page
    Plan.objects.create(
        title="A. Plan de Lucé",
        level=Plan.Level.COMMUNE,
        commune=world["chartres"],
        starts_on=datetime.date(2025, 9, 1),
        ends_on=datetime.date(2026, 8, 31),
    )
    client.force_login(world["users"]["dsden28"])
    by_title = client.get("/plans-d-action/", {"tri": "titre"}).content.decode()
    assert by_title.index("A. Plan de Lucé") < by_title.index("Plan numérique de Chartres")
    newest = client.get("/plans-d-action/", {"tri": "nimporte"}).content.decode()
    assert newest.index("Plan numérique de Chartres") < newest.index("A. Plan de Lucé")
    assert "2 plans d’action" in newest


def test_an_indicator_as_need_requires_its_threshold(client, world):  # noqa: F811
    from indicators.models import Indicator

    indicator = Indicator.objects.filter(is_public=True).order_by("code").first()
    client.force_login(world["users"]["dsden28"])
    url = f"/plans-d-action/{world['plan'].pk}/actions/nouvelle/"
    data = {
        "title": "Lieux ouverts le samedi",
        "kind": "other",
        "status": "planned",
        "priority": "2",
        "indicator": indicator.pk,
        "need": "Trop peu de lieux ouverts le samedi.",
        "financement-TOTAL_FORMS": "0",
        "financement-INITIAL_FORMS": "0",
    }
    page = client.post(url, data).content.decode()
    assert "Indiquez le seuil sous lequel est l’indicateur." in page
    assert not Action.objects.filter(title="Lieux ouverts le samedi").exists()
    data["indicator_threshold"] = "12,5"
    assert client.post(url, data).status_code == 302
    assert Action.objects.get(title="Lieux ouverts le samedi").indicator_threshold == Decimal(
        "12.5"
    )
    detail = client.get(f"/plans-d-action/{world['plan'].pk}/").content.decode()
    assert f"indicateur « {indicator.name} » sous le seuil de 12,5" in unescape(detail)


@pytest.mark.parametrize("role", READS)
def test_plan_api_by_role(client, world, role):  # noqa: F811
    client = client_for(client, world, role)
    plan = world["plan"]
    expected = {302: 403, 200: 200, 404: 404}[READS[role]]  # the API never redirects
    assert client.get(f"/api/plans/{plan.pk}/").status_code == expected
    if expected == 200:
        assert client.get(f"/api/plans/{plan.pk}/").json()["territory"].startswith("EPCI ")


def test_owners_are_chosen_among_the_planners_of_the_territory(client, world):  # noqa: F811
    users = world["users"]
    client.force_login(users["dsden28"])
    data = {
        "title": "Plan copiloté",
        "level": "departement",
        "departement": Plan._meta.get_field("departement").related_model.objects.get(code="28").pk,
        "starts_on": "2026-09-01",
        "ends_on": "2027-08-31",
        "state": "draft",
        "owners": [users["director"].pk],
    }
    page = client.post("/plans-d-action/nouveau/", data).content.decode()
    assert "Sélectionnez un choix valide" in page  # a director is no planner
    assert not Plan.objects.filter(title="Plan copiloté").exists()
    data["owners"] = [users["epci_chartres"].pk]
    assert client.post("/plans-d-action/nouveau/", data).status_code == 302
    plan = Plan.objects.get(title="Plan copiloté")
    assert set(plan.owners.all()) == {users["dsden28"], users["epci_chartres"]}
    form = client.get(f"/plans-d-action/{plan.pk}/modifier/").content.decode()
    assert ">dsden35<" not in form  # another département's agent is not offered
