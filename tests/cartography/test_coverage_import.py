"""ARCEP coverage files imported as published: totals, merged communes, editions, bad input."""

import csv
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cartography.coverage import Quarter, commune_figures, total
from cartography.importers.coverage import DEMO_FILES, import_coverage
from cartography.models import Building, Commune, CoverageSnapshot, EligibilitySnapshot
from hub.imports import ImportFileError
from tests.import_helpers import every_row_twice, table_indexes

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "coverage"
DEPLOYMENT, TERRITORIES = DEMO_FILES
T1_2018 = Quarter(2018, 1)


def number(text: str) -> int:
    """The file's own notation, read independently of the importer: spaces, '-' for zero."""
    digits = "".join(c for c in text if c.isdigit())
    return int(digits) if digits else 0


def file_rows(path):
    with open(path, encoding="utf-8") as f:
        return list(csv.reader(f))[5:]


def ready_in_file(quarter_column: int) -> dict[str, int]:
    return {
        r[0]: number(r[quarter_column])
        for r in file_rows(DEPLOYMENT)
        if r[1] == "Locaux Raccordables"
    }


def premises_in_file() -> dict[str, int]:
    return {r[0]: number(r[5]) + number(r[6]) for r in file_rows(TERRITORIES)}


def figures(quarter=T1_2018, codes=None):
    codes = codes or list(Commune.objects.in_departement("28").values_list("code", flat=True))
    return {f.code: f for f in commune_figures(codes, quarter)}


@pytest.fixture
def observatoire(territory_28):
    return [import_coverage(DEPLOYMENT), import_coverage(TERRITORIES)]


@pytest.mark.django_db
def test_the_observatoire_files_give_the_file_s_totals(observatoire):
    communes = figures()
    departement = total("28", "Eure-et-Loir", list(communes.values()))
    assert departement.ftth_ready == sum(ready_in_file(4).values()) == 60160
    assert departement.premises == sum(premises_in_file().values())
    assert departement.previous_ready == sum(ready_in_file(3).values())
    assert len(communes) == 363
    assert all(f.rate is not None for f in communes.values())
    assert communes["28001"].ftth_ready == 857 and communes["28001"].category == 80
    assert "Relevés par commune : 1089 créé(s)" in "\n".join(observatoire[0].lines())


@pytest.mark.django_db
def test_old_communes_are_summed_into_the_current_one(observatoire):
    # 28002 Allaines-Mervilliers and 28311 Le Puiset joined Janville-en-Beauce (28199) in 2019;
    # 28205 Mainvilliers-… joined 28334 (COG 2026 history).
    premises, ready = premises_in_file(), ready_in_file(4)
    communes = figures()
    assert communes["28199"].premises == premises["28002"] + premises["28199"] + premises["28311"]
    assert communes["28334"].ftth_ready == ready["28205"] + ready["28334"] == 832
    assert not CoverageSnapshot.objects.filter(code__in=["28002", "28311", "28205"]).exists()


def next_edition(tmp_path, revised_code="28001", revised_value="900"):
    """The same file one quarter later: a new column, and one T1 2018 value revised."""
    lines = DEPLOYMENT.read_text(encoding="utf-8").splitlines()
    out = []
    for number_, line in enumerate(lines):
        if number_ < 4:
            out.append(line + ",")
        elif number_ == 4:
            out.append(line + ",T2 2018")
        else:
            cells = line.split(",")
            if cells[0] == revised_code and cells[1] == "Locaux Raccordables":
                cells[4] = revised_value
            cells.append(str(int(cells[4]) + 10) if cells[1] == "Locaux Raccordables" else cells[4])
            out.append(",".join(cells))
    path = tmp_path / "ftthCommunes-T2-2018.csv"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


@pytest.mark.django_db
def test_a_new_edition_adds_history_and_reimporting_changes_nothing(observatoire, tmp_path):
    before = CoverageSnapshot.objects.count()
    edition = next_edition(tmp_path)
    report = import_coverage(edition)
    # one row per commune for T2 2018, plus the revised T1 2018 value of 28001; nothing else
    assert CoverageSnapshot.objects.count() == before + 363 + 1
    assert report.counts["Relevés par commune"].created == 364

    t1 = figures()
    assert t1["28001"].ftth_ready == 900  # the newest edition's value
    old = CoverageSnapshot.objects.get(code="28001", period=T1_2018.start, edition="2018-01-01")
    assert old.ftth_ready == 857  # the earlier edition is kept, not overwritten
    t2 = figures(Quarter(2018, 2))
    assert t2["28001"].ftth_ready == 910
    assert t2["28001"].premises == t1["28001"].premises  # the nearest edition's premises

    again = import_coverage(edition)
    counts = again.counts["Relevés par commune"]
    assert (counts.created, counts.updated) == (0, 0)
    assert CoverageSnapshot.objects.count() == before + 364


def broken_copy(tmp_path, name, transform):
    path = tmp_path / name
    path.write_bytes(transform(DEPLOYMENT.read_bytes()))
    return path


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "transform", "message", "line", "column"),
    [
        (
            "tronque.csv",
            lambda raw: raw[: raw.index(b"28010,Locaux")] + b"28010,Locaux Raccordables,0",
            "champ(s) au lieu de 5",
            None,
            None,
        ),
        (
            "utf16.csv",
            lambda raw: raw.decode("utf-8").encode("utf-16"),
            "octet nul",
            1,
            None,
        ),
        (
            "trimestre.csv",
            lambda raw: raw.replace(b"T4 2017", b"4e trim. 17"),
            "trimestre illisible",
            5,
            "4e trim. 17",
        ),
        (
            "valeur.csv",
            lambda raw: raw.replace(
                b"28001,Locaux Raccordables,0,858,857", b"28001,Locaux Raccordables,0,8S8,857"
            ),
            "nombre illisible",
            6,
            "T4 2017",
        ),
        (
            "inconnu.csv",
            lambda raw: b"nom;prenom\nDupont;Jean\n",
            "type de fichier non reconnu",
            1,
            None,
        ),
    ],
)
def test_a_bad_file_says_where_and_leaves_the_database_as_it_was(
    observatoire, tmp_path, name, transform, message, line, column
):
    before = list(CoverageSnapshot.objects.order_by("pk").values_list("pk", "ftth_ready"))
    path = broken_copy(tmp_path, name, transform)
    with pytest.raises(ImportFileError) as error:
        import_coverage(path)
    assert message in str(error.value)
    if line:
        assert error.value.line == line
    else:
        assert error.value.line and error.value.line > 5
    assert error.value.column == column
    assert list(CoverageSnapshot.objects.order_by("pk").values_list("pk", "ftth_ready")) == before


@pytest.mark.django_db
def test_a_file_of_another_kind_than_asked_is_refused(territory_28):
    with pytest.raises(ImportFileError, match="pas « ipe »"):
        import_coverage(DEPLOYMENT, kind="ipe")


@pytest.mark.django_db
def test_ma_connexion_internet_counts_are_kept_and_odd_columns_reported(territory_28):
    report = import_coverage(FIXTURES / "ma-connexion-internet-techno.csv")
    chartres = EligibilitySnapshot.objects.get(code="28085")
    assert chartres.premises == 25000
    assert chartres.counts["elig_ftth"] == 20000 and chartres.counts["elig_4gf"] == 15000
    janville = EligibilitySnapshot.objects.get(code="28199")  # 28002 merged into it
    assert janville.premises == 1160 and janville.counts["elig_cu"] == 1160
    text = "\n".join(report.lines())
    assert "colonnes inconnues, lues comme des comptes : colonne_mystere" in text
    assert "elig_thdr" in text  # missing columns are listed
    again = import_coverage(FIXTURES / "ma-connexion-internet-techno.csv")
    assert again.counts["Éligibilités par commune"].unchanged == 2


@pytest.mark.django_db
def test_an_ipe_file_in_windows_1252_and_lambert_93_gives_buildings(territory_28):
    report = import_coverage(FIXTURES / "ipe-chartres-dreux.csv")
    text = "\n".join(report.lines())
    assert "Immeubles : 4 créé(s)" in text
    assert "encodage lu : cp1252" in text
    assert "Lambert-93" in text
    assert "ligne 7, champ « coordonnées / identifiant » : coordonnées illisibles" in text

    first = Building.objects.get(identifier="IMB/28085/X/0001")
    chartres = Commune.objects.get(code="28085")
    assert chartres.geometry.contains(first.location)
    assert first.state == "deploye" and first.dwellings == 15  # two addresses, PM rows merged
    assert first.address == "1 RUE du Cloître Notre-Dame 28000 Chartres"
    assert Building.objects.get(identifier="IMB/28085/X/0002").state == "en_cours"
    assert Building.objects.get(identifier="IMB/28134/X/0003").state == "cible"
    moved = Building.objects.get(identifier="IMB/28002/X/0005")
    assert (moved.commune_code, moved.state) == ("28199", "raccordable_demande")

    again = import_coverage(FIXTURES / "ipe-chartres-dreux.csv")
    counts = again.counts["Immeubles"]
    assert (counts.created, counts.updated, counts.unchanged) == (0, 0, 4)


@pytest.mark.django_db
def test_degrees_in_x_y_are_detected_and_said(territory_28):
    import_coverage(FIXTURES / "ipe-chartres-dreux.csv")
    report = import_coverage(FIXTURES / "immeubles-wgs84.csv")
    assert "WGS84 (degrés)" in "\n".join(report.lines())
    counts = report.counts["Immeubles"]
    assert (counts.created, counts.updated) == (1, 1)  # the Chartres building is updated
    dreux = Building.objects.get(identifier="IMB/28134/X/0009")
    assert Commune.objects.get(code="28134").geometry.contains(dreux.location)
    assert dreux.premises_class == "individuel"


@pytest.mark.django_db
def test_a_truncated_building_file_is_refused_with_its_line(territory_28, tmp_path):
    import_coverage(FIXTURES / "immeubles-wgs84.csv")
    raw = (FIXTURES / "ipe-chartres-dreux.csv").read_bytes()
    cut = tmp_path / "ipe-tronque.csv"
    cut.write_bytes(raw[: raw.index(b"IMB/28134/X/0003") + 30])
    before = list(Building.objects.values_list("identifier", "state"))
    with pytest.raises(ImportFileError) as error:
        import_coverage(cut)
    assert error.value.line == 6
    assert "champs manquants" in str(error.value)
    assert list(Building.objects.values_list("identifier", "state")) == before


@pytest.mark.django_db
def test_the_command_prints_the_report(territory_28, capsys):
    call_command("import_coverage", str(DEPLOYMENT))
    out = capsys.readouterr().out
    assert "édition T1 2018" in out and "1089 créé(s)" in out


@pytest.mark.django_db
def test_a_large_building_file_rebuilds_the_indexes_it_dropped(territory_28, monkeypatch, client):
    from cartography.importers.coverage import BuildingImport

    before = table_indexes("cartography_building")
    monkeypatch.setattr(BuildingImport, "BULK", 1)  # the fixture counts as a large file
    report = import_coverage(FIXTURES / "ipe-chartres-dreux.csv")
    assert "index des immeubles reconstruits" in "\n".join(report.lines())
    assert table_indexes("cartography_building") == before and "building_location_gist" in before
    box = client.get("/api/coverage/buildings/", {"bbox": "1.40,48.40,1.55,48.50"}).json()
    assert {f["id"] for f in box["features"]} == {"IMB/28085/X/0001", "IMB/28085/X/0002"}


@pytest.mark.django_db
def test_a_deployment_file_with_every_row_twice_is_refused_naming_both_lines(
    territory_28, tmp_path
):
    import_coverage(DEPLOYMENT)
    doubled, _, repeat = every_row_twice(DEPLOYMENT, tmp_path, preamble=5)

    with pytest.raises(ImportFileError) as error:
        import_coverage(doubled)

    assert f"« 28001 Locaux Raccordables » en double (lignes 6 et {repeat})" in str(error.value)
    assert (error.value.line, error.value.column) == (repeat, "Code commune")
    assert figures()["28085"].ftth_ready == 9653  # Chartres, not 19 306


@pytest.mark.django_db
def test_a_territories_file_with_every_row_twice_is_refused_naming_both_lines(
    territory_28, tmp_path
):
    doubled, _, repeat = every_row_twice(TERRITORIES, tmp_path, preamble=5)
    with pytest.raises(ImportFileError, match=rf"« 28001 » en double \(lignes 6 et {repeat}\)"):
        import_coverage(doubled)
    assert not CoverageSnapshot.objects.exists()


@pytest.mark.django_db
def test_a_ma_connexion_internet_file_with_every_row_twice_is_refused(territory_28, tmp_path):
    path = FIXTURES / "ma-connexion-internet-techno.csv"
    doubled, _, repeat = every_row_twice(path, tmp_path, preamble=1)
    with pytest.raises(ImportFileError, match=rf"en double \(lignes 2 et {repeat}\)"):
        import_coverage(doubled)
    assert not EligibilitySnapshot.objects.exists()


@pytest.mark.django_db
def test_the_command_fails_when_every_building_is_rejected(territory_28, tmp_path, capsys):
    text = (FIXTURES / "immeubles-wgs84.csv").read_text(encoding="utf-8")
    unplaced = tmp_path / "immeubles-sans-coordonnees.csv"
    unplaced.write_text(
        text.replace("1.4876,48.4477,", "n/a,n/a,").replace("1.3630,48.7360,", "n/a,n/a,"),
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match=r"Rien n'a été importé des 2 ligne\(s\) lue\(s\)"):
        call_command("import_coverage", str(unplaced))
    assert "ligne 2, champ « coordonnées / identifiant »" in capsys.readouterr().out
    assert not Building.objects.exists()
