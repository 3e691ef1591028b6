"""The census as its users meet it: the form, the rights of each role on each school, maturity
rules edited as data, the DSDEN gap list and its exports, and the public aggregates."""

import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from openpyxl import load_workbook

from accounts import roles
from accounts.services import ensure_role_groups, grant
from equipment.models import (
    Campaign,
    CensusAnswer,
    Circonscription,
    DigitalReferent,
    MaturityCriterion,
    School,
    SchoolDirector,
)

PASSWORD = "pw-census-2026"
GOOD = {
    "pupils": "100",
    "desktops_total": "4",
    "desktops_pupils": "4",
    "laptops_total": "12",
    "laptops_pupils": "12",
    "tablets_total": "",
    "tablets_pupils": "",
    "displays_total": "3",
    "displays_pupils": "3",
    "fleet_age": "3to5",
    "connection": "fibre",
    "download_mbps": "95,5",
    "wifi": "all",
    "platform": "ent_region",
    "platform_other": "",
    "digital_referent": "M. Durand",
    "trained_staff": "2",
    "needs": "Des casques pour la classe de CP.",
}


@pytest.fixture
def census(territory_28):
    """Four schools of Chartres and Dreux in two circonscriptions, a campaign, and one user
    per role."""
    ensure_role_groups()
    chartres = Circonscription.objects.create(name="Chartres 1", departement_code="28")
    dreux = Circonscription.objects.create(name="Dreux 2", departement_code="28")
    schools = {}
    for uai, name, code, circo in [
        ("0280001A", "École Jean Moulin", "28085", chartres),
        ("0280002B", "École des Petits Clos", "28085", chartres),
        ("0280003C", "École Rotrou", "28134", dreux),
        ("0280004D", "École du Lièvre d'Or", "28134", dreux),
    ]:
        from cartography.models import Commune

        commune = Commune.objects.get(code=code)
        schools[uai] = School.objects.create(
            uai=uai, name=name, kind="elementaire", departement_code="28", commune=commune,
            commune_code=code, circonscription=circo, source="annuaire",
            location=commune.geometry.point_on_surface,
        )  # fmt: skip
    campaign = Campaign.objects.create(
        school_year="2025-2026",
        title="Recensement 2025",
        opens_on=datetime.date(2025, 9, 1),
        closes_on=datetime.date(2025, 12, 19),
        kinds=["elementaire"],
    )
    users = get_user_model().objects
    made = {name: users.create_user(name, f"{name}@example.org", PASSWORD) for name in
            ("dsden", "erun", "directeur", "mediateur", "prefecture")}  # fmt: skip
    grant(made["dsden"], roles.DSDEN_STAFF, (roles.DEPARTEMENT, "28"))
    made["mediateur"].groups.add(Group.objects.get(name=roles.MEDIATEURS))
    grant(made["prefecture"], roles.PREFECTURE_STAFF, (roles.DEPARTEMENT, "28"))
    DigitalReferent.objects.create(user=made["erun"], circonscription=chartres)
    SchoolDirector.objects.create(user=made["directeur"], school=schools["0280001A"])
    return {"schools": schools, "campaign": campaign, "users": made}


def form_url(census, uai):
    return f"/ecoles/{uai}/recensement/{census['campaign'].pk}/"


@pytest.mark.django_db
def test_a_director_answers_and_the_school_gets_a_level_with_reasons(client, census):
    client.force_login(census["users"]["directeur"])
    response = client.post(form_url(census, "0280001A"), GOOD, follow=True)
    answer = CensusAnswer.objects.get(school__uai="0280001A")
    assert answer.answered_by == census["users"]["directeur"]
    assert answer.tablets_total == 0 and answer.pupils == 100
    assert answer.terminals_per_100_pupils == 16.0
    assert answer.level == 4 and "tous les critères sont remplis" in answer.level_reasons
    html = response.content.decode()
    assert "Réponse enregistrée" in html
    assert "<h1>École Jean Moulin</h1>" in html and "16,0" in html  # the school page


@pytest.mark.django_db
def test_a_wrong_answer_is_shown_next_to_the_field_with_what_was_typed(client, census):
    client.force_login(census["users"]["directeur"])
    bad = {**GOOD, "laptops_pupils": "15", "platform": "other", "pupils": "cent"}
    html = client.post(form_url(census, "0280001A"), bad).content.decode()
    assert "Plus que le total (12)." in html
    assert "Précisez la plateforme." in html
    assert 'value="cent"' in html and 'value="15"' in html
    assert html.count('aria-invalid="true"') == 3
    assert not CensusAnswer.objects.exists()


@pytest.mark.django_db
def test_the_reasons_name_what_is_missing_for_the_next_level(client, census):
    client.force_login(census["users"]["directeur"])
    client.post(form_url(census, "0280001A"), {**GOOD, "laptops_pupils": "1", "laptops_total": "1",
                                               "desktops_pupils": "2", "wifi": "none"})  # fmt: skip
    answer = CensusAnswer.objects.get()
    assert answer.level == 1
    assert answer.level_reasons == (
        "niveau 1 : 3 terminaux pour 100 élèves, moins de 10 ; pas de Wi-Fi dans les classes "
        "(pour le niveau 2)"
    )


ALL = ["0280001A", "0280002B", "0280003C", "0280004D"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("dsden", ALL),
        ("erun", ["0280001A", "0280002B"]),
        ("directeur", ["0280001A"]),
        ("mediateur", []),
        ("prefecture", []),
    ],
)
def test_each_role_sees_and_answers_only_its_schools(client, census, role, allowed):
    client.force_login(census["users"][role])
    for uai in ALL:
        expected = 200 if uai in allowed else 404  # out of scope: as if it did not exist
        assert client.get(f"/ecoles/{uai}/").status_code == expected, (role, uai)
        assert client.get(form_url(census, uai)).status_code == expected, (role, uai)
        posted = client.post(form_url(census, uai), GOOD)
        assert posted.status_code == (302 if uai in allowed else 404), (role, uai)
    assert set(CensusAnswer.objects.values_list("school__uai", flat=True)) == set(allowed)
    listing = client.get("/ecoles/")
    assert listing.status_code == (200 if allowed else 403)
    if allowed:
        layer = client.get("/ecoles/carte.geojson").json()
        assert sorted(f["id"] for f in layer["features"]) == allowed
        export = client.get("/ecoles/manques.csv").content.decode("utf-8-sig")
        assert (
            sorted(r["UAI"] for r in csv.DictReader(io.StringIO(export), delimiter=";")) == allowed
        )


@pytest.mark.django_db
def test_the_public_sees_no_school_but_commune_aggregates(client, census):
    for uai in ALL:
        assert client.get(f"/ecoles/{uai}/").status_code == 302  # to sign in
    assert client.get("/ecoles/carte.geojson").status_code == 302
    dsden = census["users"]["dsden"]
    for uai in ["0280001A", "0280002B", "0280003C"]:
        school = census["schools"][uai]
        CensusAnswer.objects.create(campaign=census["campaign"], school=school, pupils=100,
                                    laptops_total=10, laptops_pupils=10, connection="fibre",
                                    wifi="all", platform="none", answered_by=dsden)  # fmt: skip
    html = client.get("/ecoles/communes/").content.decode()
    assert "École" not in html and "0280001A" not in html
    # Chartres has 2 answering schools, Dreux 1: both below the threshold of 3.
    assert "Aucune commune n’atteint ce seuil" in html and "(2 communes)" in html


@pytest.mark.django_db
def test_rules_changed_by_an_administrator_change_the_levels(client, census):
    client.force_login(census["users"]["directeur"])
    client.post(form_url(census, "0280001A"), GOOD)
    assert CensusAnswer.objects.get().level == 4
    fibre = MaturityCriterion.objects.get(level__number=4, measure="connection")
    fibre.value = "copper"
    fibre.save()
    answer = CensusAnswer.objects.get()
    assert answer.level == 3
    assert (
        answer.level_reasons == "niveau 3 : pas de fibre optique (fibre optique) (pour le niveau 4)"
    )
    client.force_login(census["users"]["dsden"])
    layer = client.get("/ecoles/carte.geojson").json()
    assert {f["id"]: f["properties"]["level"] for f in layer["features"]}["0280001A"] == 3


@pytest.mark.django_db
def test_the_gap_list_is_filtered_sorted_and_exported(client, census):
    client.force_login(census["users"]["dsden"])
    client.post(form_url(census, "0280003C"), {**GOOD, "connection": "copper"})
    html = client.get("/ecoles/", {"niveau": "aucun"}).content.decode()
    assert "École Jean Moulin" in html and "École Rotrou" not in html
    workbook = load_workbook(
        io.BytesIO(client.get("/ecoles/manques.xlsx", {"connexion": "copper"}).content)
    )
    rows = list(workbook.active.iter_rows(min_row=4, values_only=True))
    assert [(r[0], r[9], r[13]) for r in rows] == [("0280003C", 3, "cuivre (ADSL, VDSL)")]
    assert "pas de fibre optique" in rows[0][10]


@pytest.mark.django_db
def test_dsden_opens_a_campaign_and_others_cannot(client, census):
    form = {"school_year": "2026-2027", "title": "Recensement 2026", "opens_on": "2026-09-01",
            "closes_on": "2026-06-01", "kinds": ["maternelle", "elementaire"]}  # fmt: skip
    client.force_login(census["users"]["erun"])
    assert client.get("/ecoles/campagnes/nouvelle/").status_code == 403
    client.force_login(census["users"]["dsden"])
    html = client.post("/ecoles/campagnes/nouvelle/", form).content.decode()
    assert "La clôture précède l&#x27;ouverture." in html and 'value="Recensement 2026"' in html
    response = client.post("/ecoles/campagnes/nouvelle/", {**form, "closes_on": "2026-12-18"})
    assert response.status_code == 302
    assert Campaign.objects.get(school_year="2026-2027").kinds == ["maternelle", "elementaire"]


@pytest.mark.django_db
def test_the_map_layer_keeps_to_its_box(client, census):
    client.force_login(census["users"]["dsden"])
    chartres_box = {"bbox": "1.40,48.40,1.56,48.50"}
    layer = client.get("/ecoles/carte.geojson", chartres_box).json()
    assert sorted(f["id"] for f in layer["features"]) == ["0280001A", "0280002B"]
    bad = client.get("/ecoles/carte.geojson", {"bbox": "48,1"})
    assert bad.status_code == 400 and "ouest,sud,est,nord" in bad.json()["errors"]["bbox"][0]


@pytest.mark.django_db
def test_a_campaign_only_asks_the_kinds_of_school_it_names(client, census):
    School.objects.filter(uai="0280002B").update(kind="maternelle")
    client.force_login(census["users"]["dsden"])
    assert client.get(form_url(census, "0280002B")).status_code == 404
    assert client.get(form_url(census, "0280001A")).status_code == 200
