"""The page of a territory (/territoires/<level>/<code>/): its figures, what stays secret, who
sees the schools one by one, its CSV per block and its PDF."""

import csv
import datetime
import io
import subprocess

import pytest

from accounts import roles
from accounts.services import grant
from actors.models import Place
from cartography.models import CoverageSnapshot
from indicators.models import FragilityScore
from indicators.registry import recompute
from tests.indicators.conftest import add_place

PAGE = "/territoires/commune/28002/"


def _coverage(code, name, quarter, ready, dwellings):
    CoverageSnapshot.objects.create(
        level="commune", code=code, name=name, period=quarter, edition=datetime.date(2018, 1, 1),
        ftth_ready=ready, dwellings=dwellings, businesses=0,
    )  # fmt: skip


@pytest.fixture
def town(small_epci, two_schools):
    """The town of `small_epci` as the demo has it: a place of help, fibre over two quarters,
    a fragility index, and two answering schools (the village has the third)."""
    village, town = small_epci
    add_place(town, "Espace numérique du Bourg")
    for quarter, ready in [(datetime.date(2017, 10, 1), 2000), (datetime.date(2018, 1, 1), 2500)]:
        _coverage("28002", "Bourg", quarter, ready, 4000)
        _coverage("28001", "Village", quarter, 0, 50)
    for commune, score in [(town, 123.4), (village, 80.0)]:
        FragilityScore.objects.create(
            edition="2020", commune_code=commune.code, weighting="mean", iris_rows=1,
            scores={"global_departement": score},
        )  # fmt: skip
    recompute()
    return town


def text(response) -> str:
    return response.content.decode()


@pytest.mark.django_db
def test_the_page_of_a_commune_shows_its_population_fibre_places_and_fragility(client, town):
    page = text(client.get(PAGE))
    assert "<h1>Bourg" in page
    assert "10\u202f000 habitants" in page
    assert "62,5 %" in page  # 2 500 premises ready of 4 000 in T1 2018
    assert "50,0 %" in page and "+12,5 point" in page  # the previous quarter, and the change
    assert "<strong>1</strong> lieu d’aide au numérique dans la commune" in page
    assert "Espace numérique du Bourg" in page
    assert "123,4 indice" in page
    # Compared with its EPCI (10 100 inhabitants, 2 500 of 4 050 premises) and département.
    assert "61,7 %" in page
    assert 'href="/lieux/?insee=28002"' in page
    assert "Source : ARCEP" in page and "Millésime : ARCEP" in page


@pytest.mark.django_db
def test_a_value_describing_two_schools_is_withheld_on_the_page_and_in_its_csv(client, town):
    page = text(client.get(PAGE))
    # 50 terminals for 150 pupils in the town's two schools: never shown.
    assert "secret statistique (moins de 3 écoles)" in page
    assert "33,3 terminaux" not in page
    # The EPCI's three schools are shown: 50 terminals for 170 pupils.
    assert "29,4 terminaux pour 100 élèves" in page

    response = client.get(PAGE, {"block": "ecoles", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    terminals = [r for r in rows if r["indicateur"].startswith("Terminaux")]
    town_row = next(r for r in terminals if r["code"] == "28002")
    assert town_row["valeur"] == ""
    assert town_row["statut"] == "secret statistique (moins de 3 écoles)"
    epci_row = next(r for r in terminals if r["code"] == "200000001")
    assert epci_row["valeur"] == "29,4"


@pytest.mark.django_db
def test_the_public_sees_no_school_by_name_while_dsden_staff_do(client, town, django_user_model):
    assert "École 0280001A" not in text(client.get(PAGE))
    assert "Détail par école" not in text(client.get(PAGE))
    assert "Équipements et prêts" not in text(client.get(PAGE))
    assert client.get(PAGE, {"block": "equipement", "format": "csv"}).status_code == 404

    elsewhere = django_user_model.objects.create_user("dsden45", password="x")
    grant(elsewhere, roles.DSDEN_STAFF, (roles.DEPARTEMENT, "45"))
    client.force_login(elsewhere)
    assert "École 0280001A" not in text(client.get(PAGE))

    dsden = django_user_model.objects.create_user("dsden28", password="x")
    grant(dsden, roles.DSDEN_STAFF, (roles.DEPARTEMENT, "28"))
    client.force_login(dsden)
    page = text(client.get(PAGE))
    assert "École 0280001A" in page and "École 0280002B" in page
    assert "École 0280003C" not in page  # in the village, not on the town's page
    assert "Équipements et prêts aux familles" in page
    assert "Taux de réponse au recensement" in page


@pytest.mark.django_db
def test_the_page_needs_a_bounded_number_of_queries(
    client, town, django_user_model, django_assert_max_num_queries
):
    for level, code in [("commune", "28002"), ("epci", "200000001"), ("departement", "28")]:
        with django_assert_max_num_queries(25):
            assert client.get(f"/territoires/{level}/{code}/").status_code == 200
    dsden = django_user_model.objects.create_user("dsden28", password="x")
    grant(dsden, roles.DSDEN_STAFF, (roles.DEPARTEMENT, "28"))
    client.force_login(dsden)
    with django_assert_max_num_queries(40):
        assert client.get(PAGE).status_code == 200


@pytest.mark.django_db
def test_epci_and_departement_pages_list_their_communes(client, town):
    page = text(client.get("/territoires/epci/200000001/"))
    assert "<h1>CC Test" in page and "10\u202f100 habitants" in page
    assert 'href="/territoires/commune/28002/"' in page
    assert 'href="/lieux/?epci=200000001"' in page
    assert "<h1>Eure-et-Loir" in text(client.get("/territoires/departement/28/"))


@pytest.mark.django_db
def test_unknown_level_code_or_block_answer_a_french_404(client, town):
    for url in ["/territoires/region/28/", "/territoires/commune/99999/", "/territoires/epci/1/"]:
        response = client.get(url)
        assert response.status_code == 404
        assert "Page introuvable" in text(response)
    assert client.get(PAGE, {"block": "inconnu", "format": "csv"}).status_code == 404


@pytest.mark.django_db
def test_the_pdf_is_an_a4_pdf_naming_the_commune(client, town, tmp_path):
    response = client.get(PAGE + "fiche.pdf")
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "page.pdf"
    path.write_bytes(response.content)
    assert response.content.startswith(b"%PDF")
    words = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    words = " ".join(words.split())  # table cells wrap
    assert "Bourg (commune 28002)" in words
    assert "secret statistique (moins de 3 écoles)" in words
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "Tagged:          yes" in info
    assert "595.276 x 841.89" in info  # A4 in points


@pytest.mark.django_db
def test_the_home_search_and_the_directory_lead_to_the_commune_page(client, town):
    link = f'href="{PAGE}"'
    assert link in text(client.get("/", {"q": "Bourg"}))  # the commune found by the search
    assert link in text(client.get("/", {"q": "o"}))  # a list of results: each links to its page
    assert link in text(client.get("/lieux/", {"insee": "28002"}))
    place = Place.objects.get(commune=town)
    assert link in text(client.get(f"/lieux/{place.pk}/"))


@pytest.mark.django_db
def test_a_commune_without_population_says_what_is_missing_instead_of_0(client, small_epci):
    from cartography.models import Commune

    village, _ = small_epci
    hamlet = Commune.objects.create(
        code="28003", name="Hameau", departement=village.departement, epci=village.epci
    )
    add_place(hamlet, "Point numérique du Hameau")
    recompute(["lieux-pour-10000-habitants"])
    page = text(client.get("/territoires/commune/28003/"))
    assert "Population inconnue" in page
    assert "donnée manquante (population municipale (recensement INSEE))" in page
    assert "0,0 lieux pour 10\u202f000 habitants" not in page
    epci = text(client.get("/territoires/epci/200000001/"))
    assert "1 commune sans population connue" in epci
