"""The IPS importer: schools of 28 placed in their commune, IPS joined to known schools by UAI,
and broken files refused whole."""

import io
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from equipment.demo import load_demo_schools
from equipment.importers.ips import import_ips
from equipment.importers.schools import import_schools
from equipment.models import School
from hub.imports import ImportFileError

from .conftest import rewrite, snapshot

pytestmark = pytest.mark.django_db


def test_the_demo_extract_places_the_234_schools_of_28_inside_their_commune(territory_28):
    report = load_demo_schools()

    assert report.count("Écoles").created == 234
    assert (report.rejections, report.warnings) == ([], [])
    schools = list(School.objects.in_departement("28").select_related("commune"))
    assert len(schools) == 234
    for school in schools:
        assert school.location_approximate
        assert school.commune.geometry.contains(school.location), school.uai
    caniaux = School.objects.get(uai="0280061P")
    assert (caniaux.name, caniaux.commune.name) == (
        "ECOLE ELEMENTAIRE EDOUARD CANIAUX",
        "Châteaudun",
    )
    assert (caniaux.ips, caniaux.ips_year) == (Decimal("99.3"), "2021-2022")
    assert caniaux.kind == School.Kind.ELEMENTAIRE
    assert School.objects.get(uai="0280828Y").sector == School.Sector.PRIVATE
    assert Counter(School.objects.values_list("sector", flat=True)) == {
        "public": 210,
        "private": 24,
    }
    assert School.objects.primary().count() == 234

    again = load_demo_schools()
    assert (again.created, again.updated) == (0, 0)


def test_the_national_file_filtered_on_28_gives_the_same_schools(
    territory_28, ips_national, ips_28
):
    report = import_ips(ips_national, departement="28")
    assert report.count("Écoles").created == 234
    assert report.notes["Lignes hors du département 28, ignorées"] == 32_091 - 234
    assert import_ips(ips_28, departement="28").count("Écoles").unchanged == 234


def test_ips_updates_a_school_the_annuaire_gave_and_keeps_its_position(
    territory_28, annuaire_2023, ips_28
):
    import_schools(annuaire_2023)
    farman = School.objects.get(uai="0280711W")

    report = import_ips(ips_28)

    assert report.count("Écoles").created == 234 - 3
    assert report.count("Écoles").updated == 3  # Farman, Ferdinand Buisson, Logron
    after = School.objects.get(uai="0280711W")
    assert (after.ips, after.ips_year) == (Decimal("86.6"), "2021-2022")
    assert (after.name, after.location, after.source) == (farman.name, farman.location, "annuaire")
    assert not after.location_approximate


def test_the_annuaire_then_gives_its_position_to_a_school_known_from_ips(
    territory_28, annuaire_2023, ips_28
):
    import_ips(ips_28)
    before = School.objects.get(uai="0280711W")
    assert before.location_approximate

    report = import_schools(annuaire_2023)

    assert report.count("Établissements scolaires").updated == 3
    farman = School.objects.get(uai="0280711W")
    assert not farman.location_approximate
    assert (round(farman.latitude, 5), round(farman.longitude, 5)) == (48.44778, 1.48778)
    assert farman.name == "Ecole primaire Farman"
    assert farman.source == School.Source.ANNUAIRE
    assert (farman.ips, farman.ips_year) == (Decimal("86.6"), "2021-2022")  # kept


def _few_rows(ips_28, tmp_path, name, edit, rows=4):
    """The extract's header and first `rows` rows, edited."""
    lines = ips_28.read_text(encoding="utf-8").splitlines()[: rows + 1]
    short = tmp_path / "short.csv"
    short.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return rewrite(short, tmp_path / name, edit, encoding="utf-8")


def test_a_bad_ips_is_rejected_with_its_line_and_column_and_a_decimal_comma_read(
    territory_28, ips_28, tmp_path
):
    def edit(line, row):
        if line == 3:
            row["IPS"] = "NC"
        if line == 4:
            row["IPS"] = "94,7"

    report = import_ips(_few_rows(ips_28, tmp_path, "bad.csv", edit))

    assert [str(r) for r in report.rejections] == [
        "ligne 3, champ « IPS » : IPS illisible ou hors bornes « NC »"
    ]
    assert report.count("Écoles").created == 3
    assert School.objects.get(uai="0280078H").ips == Decimal("94.7")


def test_the_newest_rentree_of_each_school_is_kept(territory_28, ips_28, tmp_path):
    lines = ips_28.read_text(encoding="utf-8").splitlines()
    header, caniaux = lines[0], lines[1]
    older = caniaux.replace("2021-2022", "2020-2021").replace(";99.3", ";91.0")
    for order in ([older, caniaux], [caniaux, older]):
        path = tmp_path / "years.csv"
        path.write_text("\n".join([header, *order]) + "\n", encoding="utf-8")
        report = import_ips(path)
        school = School.objects.get(uai="0280061P")
        assert (school.ips, school.ips_year) == (Decimal("99.3"), "2021-2022")
        assert report.notes["Lignes d'une rentrée plus ancienne, ignorées"] == 1


def test_schools_whose_commune_is_not_loaded_are_skipped_with_their_line(ips_28):
    report = import_ips(ips_28)
    assert report.created == 0
    assert len(report.warnings) == 234
    assert report.warnings[0].startswith("ips-ecoles-2021-2022-dep28.csv, ligne 2 : ")
    assert "0280061P non créée" in report.warnings[0]


@pytest.mark.parametrize("damage", ["utf-16", "truncated", "missing column"])
def test_a_malformed_file_is_refused_with_a_line_and_changes_nothing(
    annuaire_2023, ips_28, tmp_path, damage
):
    import_schools(annuaire_2023)
    before = snapshot()
    data = ips_28.read_bytes()
    broken = tmp_path / "ips.csv"
    if damage == "utf-16":
        broken.write_bytes(data.decode("utf-8").encode("utf-16"))
        expected_line = 1
    elif damage == "truncated":
        cut = data.index(b"0280711W")  # in the middle of line 39
        broken.write_bytes(data[:cut])
        expected_line = data[:cut].count(b"\n") + 1
    else:
        broken.write_bytes(data.replace(b";IPS\n", b";indice\n", 1))
        expected_line = 1

    with pytest.raises(ImportFileError) as error:
        import_ips(broken)

    assert error.value.line == expected_line
    assert f"ligne {expected_line}" in str(error.value)
    assert snapshot() == before


def test_the_command_prints_the_report(territory_28, ips_28):
    out = io.StringIO()
    call_command("import_ips", str(ips_28), "--departement", "28", stdout=out)
    assert "Écoles : 234 créé(s), 0 mis à jour, 0 inchangé(s)" in out.getvalue()


def test_a_file_whose_every_row_is_rejected_ends_the_command_in_error(
    territory_28, ips_28, tmp_path
):
    """Each IPS unreadable: the report lists the rejections and the exit status says failure."""
    bad = rewrite(ips_28, tmp_path / "ips-illisibles.csv", lambda line, row: row.update(IPS="n.d."))
    out = io.StringIO()

    with pytest.raises(CommandError, match=r"Rien n'a été importé des 234 ligne\(s\) lue\(s\)"):
        call_command("import_ips", str(bad), stdout=out)

    assert "234 rejet(s)" in out.getvalue()
    assert "ligne 2, champ « IPS » : IPS illisible ou hors bornes « n.d. »" in out.getvalue()
    assert not School.objects.exists()
