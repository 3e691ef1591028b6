"""The census spreadsheet of a circonscription: the template an ERUN downloads, fills as a person
would (labels in the drop-down cells) and uploads; a bad file is refused whole, row by row; who
may download and upload what."""

import datetime
import html
import io
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from accounts import roles
from accounts.services import ensure_role_groups, grant
from cartography.models import Commune
from equipment.census_files import (
    CensusUploadError,
    census_template,
    read_census_upload,
    save_census_answers,
)
from equipment.models import (
    Campaign,
    CensusAnswer,
    Circonscription,
    DigitalReferent,
    School,
    SchoolDirector,
)

HEADER_ROW = 3


@pytest.fixture
def census(territory_28):
    """Two circonscriptions: Chartres with three asked schools (plus a collège and a closed
    school the primary campaign does not ask), Dreux with one; a user per role."""
    groups = ensure_role_groups()
    chartres = Circonscription.objects.create(name="Chartres 1", departement_code="28")
    dreux = Circonscription.objects.create(name="Dreux 2", departement_code="28")
    communes = {c.code: c for c in Commune.objects.filter(code__in=["28085", "28134"])}
    schools = {}
    for uai, name, kind, code, circonscription, status in [
        ("0280001A", "École Jean Moulin", "elementaire", "28085", chartres, "open"),
        ("0280002B", "École maternelle des Lilas", "maternelle", "28085", chartres, "open"),
        ("0280003C", "École primaire Rotrou", "primaire", "28085", chartres, "open"),
        ("0280004D", "Collège Victor Hugo", "college", "28085", chartres, "open"),
        ("0280005E", "École fermée des Près", "elementaire", "28085", chartres, "closed"),
        ("0280006F", "École du Lièvre d'Or", "elementaire", "28134", dreux, "open"),
    ]:
        schools[uai] = School.objects.create(
            uai=uai, name=name, kind=kind, departement_code="28", commune=communes[code],
            commune_code=code, circonscription=circonscription, status=status, source="annuaire",
        )  # fmt: skip
    campaign = Campaign.objects.create(
        school_year="2025-2026",
        title="Recensement de l'équipement numérique",
        opens_on=datetime.date(2025, 9, 1),
        closes_on=datetime.date(2026, 1, 30),
        kinds=list(School.PRIMARY_KINDS),
    )
    cache.delete_many(
        [f"equipment:census-reminder:{campaign.pk}:{c}" for c in ("all-28", chartres.pk, dreux.pk)]
    )
    users = get_user_model().objects
    people = {}
    for username, email, role in [
        ("dsden", "dsden@ac-orleans-tours.fr", roles.DSDEN_STAFF),
        ("erun", "erun.chartres@ac-orleans-tours.fr", None),
        ("erun_dreux", "erun.dreux@ac-orleans-tours.fr", None),
        ("directrice", "ce.0280001a@ac-orleans-tours.fr", None),
        ("mediateur", "mediateur@example.org", roles.MEDIATEURS),
    ]:
        people[username] = users.create_user(
            username, email, "pw-census-2026", first_name=username.capitalize()
        )
        if role:
            people[username].groups.add(groups[role])
    grant(people["dsden"], roles.DSDEN_STAFF, (roles.DEPARTEMENT, "28"))
    DigitalReferent.objects.create(user=people["erun"], circonscription=chartres)
    DigitalReferent.objects.create(user=people["erun_dreux"], circonscription=dreux)
    SchoolDirector.objects.create(user=people["directrice"], school=schools["0280001A"])
    return SimpleNamespace(
        campaign=campaign, chartres=chartres, dreux=dreux, schools=schools, **people
    )


def url(census, circonscription, page=""):
    return f"/ecoles/recensement/{census.campaign.pk}/circonscriptions/{circonscription.pk}/{page}"


def download(client, census, circonscription=None):
    response = client.get(url(census, circonscription or census.chartres, "modele.xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def fill(workbook, uai, values: dict):
    """Type `values` ({column header: value}) on the row of `uai`, as a person would."""
    sheet = workbook["Recensement"]
    headers = {cell.value: cell.column for cell in sheet[HEADER_ROW]}
    row = next(r for r in range(HEADER_ROW + 1, sheet.max_row + 1) if sheet.cell(r, 1).value == uai)
    for header, value in values.items():
        sheet.cell(row, headers[header], value)
    return row


def as_upload(workbook, name="recensement-chartres.xlsx"):
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def page_text(response):
    return html.unescape(response.content.decode())


JEAN_MOULIN = {
    "Nombre d'élèves": 120,
    "Ordinateurs portables : nombre total": 8,
    "Ordinateurs portables : dont utilisables par les élèves": 6,
    "Tablettes : nombre total": 10,
    "Tablettes : dont utilisables par les élèves": 8,
    "Écrans interactifs ou vidéoprojecteurs (TNI, VPI) : nombre total": 5,
    "Écrans interactifs ou vidéoprojecteurs (TNI, VPI) : dont utilisables par les élèves": 5,
    "Âge moyen du parc": "3 à 5 ans",
    "Connexion internet": "fibre optique",
    "Débit descendant mesuré (Mbit/s)": 94.5,
    "Wi-Fi dans les classes": "toutes les classes",
    "ENT ou plateforme scolaire": "Beneylu School",
    "Référent numérique de l'école": "Mme Martin",
    "Personnels formés au numérique": 3,
}
LILAS = {
    "Nombre d'élèves": "60",  # typed as text: still a number
    "Ordinateurs portables : nombre total": 2,
    "Ordinateurs portables : dont utilisables par les élèves": 2,
    "Connexion internet": "cuivre (ADSL, VDSL)",
    "Wi-Fi dans les classes": "aucune classe",
    "ENT ou plateforme scolaire": "autre",
    "Autre plateforme (précisez)": "Klassroom",
    "Besoins exprimés": "Une classe mobile pour la grande section.",
}


@pytest.mark.django_db
def test_the_template_lists_the_asked_schools_with_their_answers_and_drop_down_lists(
    client, census
):
    CensusAnswer.objects.create(
        campaign=census.campaign, school=census.schools["0280001A"], pupils=120,
        connection="fibre", wifi="some", platform="pronote", download_mbps="94.5",
    )  # fmt: skip
    client.force_login(census.erun)
    workbook = download(client, census)
    assert workbook.sheetnames == ["Recensement", "Codes", "Listes"]
    assert workbook["Listes"].sheet_state == "hidden"
    sheet = workbook["Recensement"]
    assert "Recensement de l'équipement numérique (2025-2026)" in sheet["A1"].value
    assert "circonscription Chartres 1" in sheet["A1"].value
    assert sheet.freeze_panes == "D4"
    headers = [c.value for c in sheet[HEADER_ROW]]
    assert headers[:4] == ["UAI", "École", "Commune", "Nombre d'élèves"]
    assert "Tablettes : dont utilisables par les élèves" in headers
    assert len(headers) == 3 + 24
    rows = {r[0]: r for r in sheet.iter_rows(min_row=4, values_only=True)}
    # the collège and the closed school are not asked, Dreux is another circonscription
    assert sorted(rows) == ["0280001A", "0280002B", "0280003C"]
    jean_moulin = dict(zip(headers, rows["0280001A"], strict=True))
    assert jean_moulin["Commune"] == "Chartres"
    assert jean_moulin["Nombre d'élèves"] == 120
    assert jean_moulin["Connexion internet"] == "fibre optique"  # the label, not the code
    assert jean_moulin["Wi-Fi dans les classes"] == "une partie des classes"
    assert jean_moulin["Débit descendant mesuré (Mbit/s)"] == 94.5
    assert set(rows["0280002B"][3:]) == {None}  # not answered yet: left empty

    assert sheet.protection.sheet
    assert sheet["A4"].protection.locked and not sheet["D4"].protection.locked
    connection = headers.index("Connexion internet") + 1
    letter = sheet.cell(HEADER_ROW, connection).column_letter
    lists = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert len(lists) == 4  # age, connection, Wi-Fi, platform
    validation = next(v for v in lists if f"{letter}4" in str(v.sqref))
    source = workbook["Listes"][validation.formula1.split("!")[1].replace("$", "")]
    assert [c[0].value for c in source] == [
        "fibre optique", "cuivre (ADSL, VDSL)", "câble", "4G / 5G", "satellite", "aucune connexion",
    ]  # fmt: skip
    codes = [r for r in workbook["Codes"].iter_rows(values_only=True) if r[0]]
    explained = {r[0]: r[1] for r in codes}
    assert "cuivre (ADSL, VDSL)" in explained["Connexion internet"]
    assert "ne sait pas" in explained["Âge moyen du parc"]


@pytest.mark.django_db
def test_an_erun_fills_the_template_and_uploads_it(client, census):
    client.force_login(census.erun)
    workbook = download(client, census)
    fill(workbook, "0280001A", JEAN_MOULIN)
    fill(workbook, "0280002B", LILAS)
    response = client.post(
        url(census, census.chartres, "depot/"), {"file": as_upload(workbook)}, follow=True
    )
    assert response.redirect_chain[-1][0] == url(census, census.chartres)
    assert "2 réponses enregistrées, 1 ligne vide ignorée." in page_text(response)

    jean_moulin = CensusAnswer.objects.get(school__uai="0280001A", campaign=census.campaign)
    assert (jean_moulin.pupils, jean_moulin.tablets_total, jean_moulin.tablets_pupils) == (
        120,
        10,
        8,
    )
    assert (jean_moulin.connection, jean_moulin.wifi, jean_moulin.platform) == (
        "fibre",
        "all",
        "beneylu",
    )
    assert str(jean_moulin.download_mbps) == "94.5" and jean_moulin.fleet_age == "3to5"
    assert jean_moulin.desktops_total == 0  # an empty count is none
    assert jean_moulin.answered_by == census.erun
    assert jean_moulin.level == 4
    lilas = CensusAnswer.objects.get(school__uai="0280002B")
    assert (lilas.pupils, lilas.connection, lilas.platform, lilas.platform_other) == (
        60,
        "copper",
        "other",
        "Klassroom",
    )
    assert lilas.fleet_age == "unknown"  # left empty: "ne sait pas", as on the web form
    assert lilas.level == 1 and "pas de Wi-Fi dans les classes" in lilas.level_reasons
    assert not CensusAnswer.objects.filter(school__uai="0280003C").exists()

    # The same file again: nothing changes, nobody else becomes the author.
    CensusAnswer.objects.filter(pk=lilas.pk).update(answered_by=census.directrice)
    again = client.post(
        url(census, census.chartres, "depot/"), {"file": as_upload(workbook)}, follow=True
    )
    assert "0 réponse enregistrée, 2 inchangées, 1 ligne vide ignorée." in page_text(again)
    lilas.refresh_from_db()
    assert lilas.answered_by == census.directrice and lilas.history.count() == 1


@pytest.mark.django_db
def test_a_bad_upload_is_refused_whole_naming_each_row_and_column(client, census):
    earlier = CensusAnswer.objects.create(
        campaign=census.campaign, school=census.schools["0280001A"], pupils=100,
        tablets_total=3, tablets_pupils=2, connection="fibre", wifi="all", platform="pronote",
        answered_by=census.directrice,
    )  # fmt: skip
    client.force_login(census.erun)
    workbook = download(client, census)
    bad_row = fill(
        workbook,
        "0280001A",
        {"Tablettes : dont utilisables par les élèves": 5, "Nombre d'élèves": 140},
    )
    fill(workbook, "0280002B", LILAS)  # valid, but must not be saved either
    sheet = workbook["Recensement"]
    unknown_row = sheet.max_row + 1
    sheet.cell(unknown_row, 1, "0289999Z")
    sheet.cell(unknown_row, 4, 30)
    response = client.post(url(census, census.chartres, "depot/"), {"file": as_upload(workbook)})

    assert response.status_code == 200
    text = page_text(response)
    assert "Fichier refusé, rien n’a été enregistré : 5 problèmes" in text
    assert (
        f"ligne {bad_row}, colonne « Tablettes : dont utilisables par les élèves » : "
        "Plus que le total (3)." in text
    )
    assert f"ligne {unknown_row}, colonne « UAI » : UAI 0289999Z inconnu." in text
    # the unknown school's row is also checked: what it lacks is listed with it
    assert (
        f"ligne {unknown_row}, colonne « Connexion internet » : Ce champ est obligatoire." in text
    )
    earlier.refresh_from_db()
    assert (earlier.pupils, earlier.tablets_pupils, earlier.answered_by) == (
        100,
        2,
        census.directrice,
    )
    assert CensusAnswer.objects.count() == 1


@pytest.mark.django_db
def test_rows_of_other_schools_duplicates_and_columns_are_named(census):
    workbook = load_workbook(io.BytesIO(census_template(census.campaign, census.chartres)))
    sheet = workbook["Recensement"]
    fill(workbook, "0280001A", JEAN_MOULIN)
    row = sheet.max_row + 1
    for offset, uai in enumerate(["0280001A", "0280006F", "0280004D", ""]):
        sheet.cell(row + offset, 1, uai)
        sheet.cell(row + offset, 4, 10)
    with pytest.raises(CensusUploadError) as refused:
        read_census_upload(as_upload(workbook), census.campaign, census.erun, census.chartres)
    reasons = {(p.line, p.column): p.reason for p in refused.value.problems}
    assert reasons[(row, "UAI")] == "L'école 0280001A figure déjà ligne 4."
    assert reasons[(row + 1, "UAI")] == (
        "L'école 0280006F n'est pas de la circonscription Chartres 1 (Dreux 2)."
    )
    assert reasons[(row + 2, "UAI")] == "L'école 0280004D n'est pas interrogée par cette campagne."
    assert reasons[(row + 3, "UAI")] == "UAI manquant."
    assert "recensement-chartres.xlsx, ligne" in str(refused.value)

    # Dreux's ERUN may not answer for Chartres' schools, even with Chartres' file.
    workbook = load_workbook(io.BytesIO(census_template(census.campaign, census.chartres)))
    fill(workbook, "0280001A", JEAN_MOULIN)
    with pytest.raises(CensusUploadError, match="n'est pas dans votre périmètre"):
        read_census_upload(as_upload(workbook), census.campaign, census.erun_dreux)

    sheet = workbook["Recensement"]
    sheet.cell(HEADER_ROW, 4, "Élèves")
    with pytest.raises(CensusUploadError) as refused:
        read_census_upload(as_upload(workbook), census.campaign, census.erun, census.chartres)
    assert [(p.line, p.column, p.reason) for p in refused.value.problems] == [
        (3, "Élèves", "Colonne inconnue (les en-têtes du modèle ne se modifient pas)."),
        (3, "Nombre d'élèves", "Colonne absente du fichier."),
    ]


@pytest.mark.django_db
def test_a_file_that_is_not_a_workbook_says_so_and_changes_nothing(client, census):
    template = census_template(census.campaign, census.chartres)
    for content in [b"UAI;Nombre d'eleves\n0280001A;120\n", template[: len(template) // 2]]:
        with pytest.raises(
            CensusUploadError, match="Ce fichier n'est pas un classeur XLSX lisible"
        ):
            read_census_upload(
                SimpleUploadedFile("recensement.xlsx", content), census.campaign, census.erun
            )
    client.force_login(census.erun)
    response = client.post(
        url(census, census.chartres, "depot/"),
        {"file": SimpleUploadedFile("recensement.xlsx", template[:5000])},
    )
    assert "n'est pas un classeur XLSX lisible" in page_text(response)
    csv = client.post(
        url(census, census.chartres, "depot/"),
        {"file": SimpleUploadedFile("recensement.csv", b"UAI;pupils\n")},
    )
    assert "Déposez un classeur Excel (.xlsx)." in page_text(csv)
    assert 'aria-invalid="true"' in csv.content.decode()
    assert not CensusAnswer.objects.exists()


@pytest.mark.django_db
def test_saving_writes_the_rows_in_one_go_and_counts_them(census):
    workbook = load_workbook(io.BytesIO(census_template(census.campaign, census.chartres)))
    fill(workbook, "0280001A", JEAN_MOULIN)
    rows = read_census_upload(as_upload(workbook), census.campaign, census.dsden, census.chartres)
    assert [school.uai for school, _ in rows] == ["0280001A"] and rows.blank == 2
    assert rows[0][1]["connection"] == "fibre"
    counts = save_census_answers(census.campaign, rows, census.dsden)
    assert (counts.created, counts.updated, counts.unchanged) == (1, 0, 0)
    assert CensusAnswer.objects.get().answered_by == census.dsden


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["", "modele.xlsx", "depot/"])
def test_who_may_open_a_circonscription_s_census_pages(client, census, page):
    chartres, dreux = url(census, census.chartres, page), url(census, census.dreux, page)
    anonymous = client.get(chartres)
    assert anonymous.status_code == 302 and anonymous.url.startswith("/comptes/connexion/")
    for person in (census.directrice, census.mediateur):
        client.force_login(person)
        assert client.get(chartres).status_code == 403
    client.force_login(census.erun)
    assert client.get(chartres).status_code == 200
    assert client.get(dreux).status_code == 404  # not their circonscription
    client.force_login(census.dsden)
    assert client.get(chartres).status_code == 200
    assert client.get(dreux).status_code == 200
    assert client.get(url(census, SimpleNamespace(pk=0), page)).status_code == 404


@pytest.mark.django_db
def test_a_director_cannot_upload_for_the_circonscription(client, census):
    workbook = load_workbook(io.BytesIO(census_template(census.campaign, census.chartres)))
    fill(workbook, "0280001A", JEAN_MOULIN)
    client.force_login(census.directrice)
    response = client.post(url(census, census.chartres, "depot/"), {"file": as_upload(workbook)})
    assert response.status_code == 403
    assert not CensusAnswer.objects.exists()
