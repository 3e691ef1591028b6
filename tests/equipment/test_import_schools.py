"""The Annuaire de l'éducation importer, on the published 2026 extract, an older layout and
files a spreadsheet has re-saved."""

import datetime
import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from equipment.importers.ips import import_ips
from equipment.importers.schools import import_schools
from equipment.models import Circonscription, School
from hub.imports import ImportFileError
from tests.import_helpers import every_row_twice

from .conftest import rewrite, snapshot

pytestmark = pytest.mark.django_db


def test_the_2026_extract_gives_its_613_schools_without_their_communes_loaded(annuaire_2026):
    report = import_schools(annuaire_2026)

    assert report.count("Établissements scolaires").created == 613
    assert report.rejections == []
    assert School.objects.in_departement("94").count() == 613
    doisneau = School.objects.select_related("circonscription").get(uai="0940176F")
    assert doisneau.name == "Ecole élémentaire Robert Doisneau"
    assert doisneau.kind == School.Kind.ELEMENTAIRE
    assert doisneau.sector == School.Sector.PUBLIC
    # The file's own latitude/longitude, not the commune's: Fresnes is not in the database.
    assert doisneau.latitude == pytest.approx(48.75113972238502, abs=1e-9)
    assert doisneau.longitude == pytest.approx(2.3235583553613646, abs=1e-9)
    assert not doisneau.location_approximate
    assert doisneau.location_precision == "Rue"
    assert (doisneau.commune, doisneau.commune_code) == (None, "94034")
    assert doisneau.circonscription.code == "0940927X"
    assert doisneau.circonscription.name == "Circonscription d'inspection du 1er degré de Fresnes"
    assert doisneau.opened_on == datetime.date(1965, 5, 1)
    assert doisneau.source_updated_on == datetime.date(2026, 5, 27)
    assert Circonscription.objects.filter(departement_code="94").count() == 24

    # Kinds from the Ecole_maternelle / Ecole_elementaire flags; etat and priority as published.
    assert Counter(School.objects.values_list("kind", flat=True)) == {
        "maternelle": 306,
        "elementaire": 270,
        "primaire": 37,
    }
    assert set(School.objects.filter(status="closing").values_list("uai", flat=True)) == {
        "0941874B",
        "0941414B",
    }
    assert Counter(School.objects.values_list("education_priority", flat=True)) == {
        "": 406,
        "REP": 185,
        "REP+": 22,
    }
    # Each commune the database lacks is said once, with the first line that names it, up to
    # 30 of them; then how many more.
    assert len(report.warnings) == 31
    assert all("ligne" in w and "sans commune" in w for w in report.warnings[:30])
    assert report.warnings[0].endswith(
        "ligne 51 : code commune inconnu : 94001 ; 3 établissement(s) importé(s) sans commune"
    )
    assert "et 17 autres codes communes absents de la base" in report.warnings[30]


def test_a_second_import_of_the_same_file_changes_nothing(annuaire_2026):
    import_schools(annuaire_2026)
    again = import_schools(annuaire_2026)
    assert (again.created, again.updated) == (0, 0)
    assert again.count("Établissements scolaires").unchanged == 613
    assert again.count("Circonscriptions").unchanged == 24


def test_departement_filter_keeps_only_its_rows(annuaire_2026):
    report = import_schools(annuaire_2026, departement="28")
    assert report.created == 0
    assert report.notes["Lignes hors du département 28, ignorées"] == 613
    assert import_schools(annuaire_2026, departement="094").created == 613 + 24


def test_the_older_layout_reads_lambert_93_merges_two_lines_and_maps_old_codes(
    territory_28, annuaire_2023
):
    report = import_schools(annuaire_2023)

    assert report.warnings == []  # every column of the older layout is known
    assert report.count("Établissements scolaires").created == 6
    farman = School.objects.select_related("commune", "circonscription").get(uai="0280711W")
    # coordonnee_X/Y in EPSG:2154 only: the position is the transformed point (the cathedral).
    assert farman.latitude == pytest.approx(48.447778, abs=2e-6)
    assert farman.longitude == pytest.approx(1.487778, abs=2e-6)
    assert farman.commune.name == "Chartres"
    assert farman.commune.geometry.contains(farman.location)
    assert farman.kind == School.Kind.PRIMAIRE
    assert farman.pupils == 212
    assert (farman.circonscription.code, farman.circonscription.departement_code) == ("", "28")
    assert farman.circonscription.name.endswith("de Chartres 1")

    logron = School.objects.get(uai="0280081L")
    assert logron.location_precision == "Ville"
    assert logron.location_approximate  # published as placed at the town, not the school

    # Barmainville (28025) merged into Neuville Saint Denis in 2025; no coordinates at all.
    barmainville = School.objects.select_related("commune").get(uai="0289997X")
    assert (barmainville.commune.code, barmainville.commune_code) == ("28319", "28025")
    assert barmainville.location_approximate
    assert barmainville.commune.geometry.contains(barmainville.location)

    college = School.objects.get(uai="0289998Y")
    assert (college.kind, college.sector, college.status) == ("college", "private", "closing")
    assert (college.latitude, college.longitude) == (48.3217, 0.8217)  # from `position`

    # One lycée on two lines: one school, the second line filling the first one's blanks.
    lycee = School.objects.get(uai="0289999Z")
    assert lycee.kind == School.Kind.LYCEE
    assert (lycee.latitude, lycee.longitude) == (48.444, 1.495)
    assert lycee.pupils == 1250
    assert lycee.opened_on == datetime.date(1986, 9, 1)
    assert report.notes["Lignes d'un UAI déjà lu, fusionnées avec sa première ligne"] == 1

    assert School.objects.in_departement("28").primary().count() == 4
    again = import_schools(annuaire_2023)
    assert (again.created, again.updated) == (0, 0)


def test_lambert_93_origin_lands_at_its_definition(annuaire_2023, tmp_path):
    """Lambert-93's false origin (700 000, 6 600 000) is 3° E, 46.5° N by definition."""

    def origin(line, row):
        row.update(coordonnee_X="700000", coordonnee_Y="6600000", precision_localisation="")

    import_schools(rewrite(annuaire_2023, tmp_path / "origin.csv", origin))
    school = School.objects.get(uai="0280711W")
    assert school.longitude == pytest.approx(3.0, abs=1e-9)
    assert school.latitude == pytest.approx(46.5, abs=1e-9)


def test_a_later_layout_gives_the_circonscription_its_code(annuaire_2023, tmp_path):
    import_schools(annuaire_2023)
    circonscription = Circonscription.objects.get(name__endswith="de Chartres 1")
    header, *rows = annuaire_2023.read_text(encoding="utf-8-sig").splitlines()
    with_column = tmp_path / "with-column.csv"
    with_column.write_text(
        "\r\n".join([header + ";code_circonscription"] + [r + ";" for r in rows if r]),
        encoding="utf-8-sig",
    )

    def with_code(line, row):
        if row["nom_circonscription"].endswith("Chartres 1"):
            row["code_circonscription"] = "0281234A"

    report = import_schools(rewrite(with_column, tmp_path / "newer.csv", with_code))
    circonscription.refresh_from_db()
    assert circonscription.code == "0281234A"
    assert Circonscription.objects.filter(name__endswith="de Chartres 1").count() == 1
    assert report.count("Circonscriptions").updated == 1


def test_unknown_columns_are_reported_and_key_columns_required(annuaire_2023, tmp_path):
    header, *rows = annuaire_2023.read_text(encoding="utf-8-sig").splitlines()
    extra = tmp_path / "extra.csv"
    extra.write_text(
        "\r\n".join([header + ";Colonne_maison"] + [r + ";x" for r in rows if r]),
        encoding="utf-8-sig",
    )
    report = import_schools(extra)
    assert report.warnings[0] == "extra.csv : colonnes inconnues, ignorées : Colonne_maison"
    assert report.count("Établissements scolaires").created == 6

    missing = tmp_path / "missing.csv"
    missing.write_text(
        "\r\n".join([header.replace("Identifiant_de_l_etablissement", "Identifiant")] + rows),
        encoding="utf-8-sig",
    )
    with pytest.raises(ImportFileError) as error:
        import_schools(missing)
    assert error.value.line == 1
    assert "Identifiant_de_l_etablissement" in error.value.reason


def test_a_copy_resaved_by_a_spreadsheet_is_refused_and_changes_nothing(
    annuaire_2023, annuaire_2026, tmp_path
):
    import_schools(annuaire_2023)
    before = snapshot()

    def as_excel_saves_it(line, row):
        siret = row["SIREN_SIRET"]
        if siret:
            row["SIREN_SIRET"] = f"{siret[0]},{siret[1:6]}E+13"
        for column in ("date_ouverture", "date_maj_ligne"):
            year, month, day = row[column].split("-")
            row[column] = f"{day}/{month}/{year}"
        row["Code_departement"] = row["Code_departement"].lstrip("0")

    mangled = rewrite(annuaire_2026, tmp_path / "annuaire-excel.csv", as_excel_saves_it)
    with pytest.raises(ImportFileError) as error:
        import_schools(mangled)

    assert (error.value.line, error.value.column) == (2, "SIREN_SIRET")
    assert "réenregistré par un tableur" in str(error.value)
    assert "ligne 2" in str(error.value) and "SIREN_SIRET" in str(error.value)
    assert snapshot() == before


@pytest.mark.parametrize(
    "column, value",
    [
        ("SIREN_SIRET", "2.12801E+13"),
        ("date_ouverture", "01/02/1967"),
        ("date_maj_ligne", "12/06/2023"),
        ("Code_departement", "28"),
        ("Code_commune", "1053"),
        ("Code postal", "1000"),
        ("Identifiant_de_l_etablissement", "280105M"),
    ],
)
def test_each_sign_of_a_spreadsheet_is_named_with_its_line_and_column(
    annuaire_2023, tmp_path, column, value
):
    def damage(line, row):
        if line == 3:
            row[column] = value

    with pytest.raises(ImportFileError) as error:
        import_schools(rewrite(annuaire_2023, tmp_path / "damaged.csv", damage))
    assert (error.value.line, error.value.column) == (3, column)
    assert value in error.value.reason
    assert School.objects.count() == 0


def test_the_command_prints_the_report_or_refuses_the_file(annuaire_2023, tmp_path):
    out = io.StringIO()
    call_command("import_schools", str(annuaire_2023), "--departement", "28", stdout=out)
    assert "Établissements scolaires : 6 créé(s), 0 mis à jour, 0 inchangé(s)" in out.getvalue()

    def damage(line, row):
        row["date_ouverture"] = "01/09/1960"

    with pytest.raises(CommandError, match=r"base inchangée.*ligne 2.*date_ouverture"):
        call_command("import_schools", str(rewrite(annuaire_2023, tmp_path / "x.csv", damage)))
    with pytest.raises(CommandError, match="département inconnu"):
        call_command("import_schools", str(annuaire_2023), "--departement", "99")


def test_the_admin_lists_searches_and_shows_schools(annuaire_2026, admin_client):
    import_schools(annuaire_2026)
    school = School.objects.get(uai="0940176F")
    listing = admin_client.get(
        "/admin/equipment/school/", {"q": "0940176F", "kind__exact": "elementaire"}
    )
    assert listing.status_code == 200
    assert "Robert Doisneau" in listing.content.decode()
    assert admin_client.get(f"/admin/equipment/school/{school.pk}/change/").status_code == 200
    assert admin_client.get("/admin/equipment/circonscription/?q=Fresnes").status_code == 200


@pytest.mark.parametrize(
    ("importer", "source", "uai_column", "key"),
    [
        (import_schools, "annuaire_2026", 0, "{uai}"),
        (import_ips, "ips_28", 4, "{uai} 2021-2022"),  # one UAI per rentrée
    ],
    ids=["annuaire", "ips"],
)
def test_a_file_with_every_row_twice_is_refused_naming_both_lines(
    request, tmp_path, importer, source, uai_column, key
):
    path = request.getfixturevalue(source)
    doubled, rows, repeat = every_row_twice(path, tmp_path, encoding="utf-8-sig")

    with pytest.raises(ImportFileError) as error:
        importer(doubled)

    shown = key.format(uai=rows[0].split(";")[uai_column])
    assert f"« {shown} » en double (lignes 2 et {repeat})" in str(error.value)
    assert not School.objects.exists()


def test_latitude_and_longitude_swapped_are_said_and_the_lambert_93_position_used(
    annuaire_2026, tmp_path
):
    def swap(line, row):
        if row["Identifiant_de_l_etablissement"] == "0940176F":
            row["latitude"], row["longitude"] = row["longitude"], row["latitude"]

    swapped = rewrite(annuaire_2026, tmp_path / "inverse.csv", swap)
    report = import_schools(swapped)

    doisneau = School.objects.get(uai="0940176F")
    assert doisneau.latitude == pytest.approx(48.75114, abs=1e-4)  # from coordX/Y_origine
    assert doisneau.longitude == pytest.approx(2.32356, abs=1e-4)
    assert any(
        "latitude/longitude (2.32356, 48.75114) hors du département 94" in w
        for w in report.warnings
    ), report.warnings
