"""The territory importer on the real published files (Eure-et-Loir) and on broken ones."""

import csv
import json
import shutil
from dataclasses import replace

import pytest
from django.contrib.gis.geos import GEOSGeometry, Point
from django.core.management import CommandError, call_command
from django.db.models import Sum

from cartography.importers.territory import import_territory
from cartography.models import EPCI, Commune, CommuneChange, Departement
from cartography.services import resolve_commune
from hub.imports import ImportFileError
from tests.import_helpers import every_row_twice


def snapshot():
    """Everything the import writes, to compare before and after a failed import."""
    return {
        "communes": sorted(
            Commune.objects.values_list("code", "name", "population", "epci__siren")
        ),
        "geometries": sorted(
            (c.code, c.geometry.wkt if c.geometry else None) for c in Commune.objects.all()
        ),
        "epci": sorted(EPCI.objects.values_list("siren", "name", "seat_departement_code")),
        "changes": CommuneChange.objects.count(),
        "departements": sorted(Departement.objects.values_list("code", "name")),
    }


@pytest.mark.django_db
def test_demo_files_give_eure_et_loir_as_published(territory_28):
    departement = Departement.objects.get(code="28")
    assert departement.name == "Eure-et-Loir"
    assert departement.geometry is not None
    assert Commune.objects.in_departement("28").count() == 363
    assert EPCI.objects.in_departement("28").count() == 12
    assert Commune.objects.aggregate(total=Sum("population"))["total"] == 433_129
    assert not Commune.objects.filter(geometry=None).exists()
    assert not Commune.objects.filter(epci=None).exists()
    assert territory_28.warnings == []


@pytest.mark.django_db
def test_2025_merge_into_neuville_saint_denis(territory_28, demo_sources):
    neuville = Commune.objects.get(code="28319")
    assert neuville.name == "Neuville Saint Denis"
    assert resolve_commune("28025") == neuville  # Barmainville
    assert resolve_commune("28276") == neuville  # Neuvy-en-Beauce
    assert not Commune.objects.filter(code__in=["28025", "28276"]).exists()

    # Its outline is the union of the three 2018 communes' polygons.
    from django.contrib.gis.geos import GEOSGeometry

    features = json.loads(demo_sources.geometry.read_text())["features"]
    old = {
        f["properties"]["code"]: GEOSGeometry(json.dumps(f["geometry"]), srid=4326)
        for f in features
        if f["properties"]["code"] in {"28025", "28276", "28319"}
    }
    assert len(old) == 3
    assert neuville.geometry.area == pytest.approx(sum(g.area for g in old.values()), rel=1e-3)
    for polygon in old.values():
        assert neuville.geometry.contains(polygon.point_on_surface)


@pytest.mark.django_db
def test_epci_seated_in_other_departements_appear_with_their_members_in_28(territory_28):
    normandie_sud_eure = EPCI.objects.get(siren="200066462")
    houdanais = EPCI.objects.get(siren="247800550")
    assert normandie_sud_eure.seat_departement_code == "27"
    assert houdanais.seat_departement_code == "78"
    assert normandie_sud_eure.communes.count() == 1
    assert houdanais.communes.count() == 4
    assert {c.departement.code for c in houdanais.communes.all()} == {"28"}
    # Each EPCI outline is the union of its members.
    for epci in (normandie_sud_eure, houdanais):
        area = sum(c.geometry.area for c in epci.communes.all())
        assert epci.geometry.area == pytest.approx(area, rel=1e-3)


@pytest.mark.django_db
def test_a_second_run_changes_nothing(territory_28, demo_sources):
    before = snapshot()
    report = import_territory("28", demo_sources)
    assert report.created == 0
    assert report.updated == 0
    assert report.count("Communes").unchanged == 363
    assert snapshot() == before


@pytest.mark.django_db
def test_command_prints_the_report(demo_sources, capsys):
    call_command("import_territory", "--departement", "28")
    out = capsys.readouterr().out
    assert "Communes : 363 créé(s), 0 mis à jour, 0 inchangé(s)" in out
    call_command("import_territory", "--departement", "028")
    out = capsys.readouterr().out
    assert "Communes : 0 créé(s), 0 mis à jour, 363 inchangé(s)" in out
    assert "EPCI : 0 créé(s), 0 mis à jour, 12 inchangé(s)" in out


def write_rows(path, header, rows, delimiter):
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)


@pytest.fixture
def eure_sources(tmp_path, demo_sources):
    """A few communes of the Eure (27), one a member of an EPCI that straddles into 28."""
    from openpyxl import Workbook

    communes = tmp_path / "communes.csv"
    header = "TYPECOM,COM,REG,DEP,CTCD,ARR,TNCC,NCC,NCCENR,LIBELLE,CAN,COMPARENT".split(",")
    write_rows(
        communes,
        header,
        [
            ["COM", "27001", "28", "27", "27D", "273", "0", "ACLOU", "Aclou", "Aclou", "2701", ""],
            ["COM", "27002", "28", "27", "27D", "272", "0", "ACON", "Acon", "Acon", "2702", ""],
            # A commune of 28 in the same file: out of scope for 27.
            [
                "COM",
                "28085",
                "24",
                "28",
                "28D",
                "281",
                "0",
                "CHARTRES",
                "Chartres",
                "Chartres",
                "",
                "",
            ],
        ],
        ",",
    )
    populations = tmp_path / "donnees_communes.csv"
    write_rows(
        populations,
        "REG;Région;DEP;CODARR;CODCAN;CODCOM;COM;Commune;PMUN;PCAP;PTOT".split(";"),
        [
            ["28", "Normandie", "27", "3", "01", "001", "27001", "Aclou", "350", "5", "355"],
            ["28", "Normandie", "27", "2", "02", "002", "27002", "Acon", "480", "4", "484"],
        ],
        ";",
    )
    epci = tmp_path / "epcicom.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        "dept siren raison_sociale nature_juridique mode_financ nb_membres total_pop_tot "
        "total_pop_mun dep_com insee siren_membre nom_membre ptot_2025 pmun_2025".split()
    )
    for code, name in [("27001", "Aclou"), ("27002", "Acon")]:
        sheet.append(
            ["27", 200066462, "CC Interco Normandie Sud Eure", "CC", "FPU", 3, 0, 0, "27"]
            + [code, 0, name, 0, 0]
        )
    workbook.save(epci)
    geometry = tmp_path / "communes-27.geojson"

    def square(x, y):
        ring = [[x, y], [x + 0.05, y], [x + 0.05, y + 0.05], [x, y + 0.05], [x, y]]
        return {"type": "Polygon", "coordinates": [ring]}

    geometry.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"code": "27001", "nom": "Aclou"},
                        "geometry": square(0.7, 49.1),
                    },
                    {
                        "type": "Feature",
                        "properties": {"code": "27002", "nom": "Acon"},
                        "geometry": square(1.1, 48.75),
                    },
                ],
            }
        )
    )
    return replace(
        demo_sources,
        communes=communes,
        populations=populations,
        epci=epci,
        geometry=geometry,
        outline=None,
    )


@pytest.mark.django_db
def test_a_second_departement_loads_beside_the_first(territory_28, eure_sources, client):
    eure_28_before = snapshot()["communes"]
    report = import_territory("27", eure_sources)
    assert report.count("Communes").created == 2
    assert Commune.objects.in_departement("27").count() == 2
    assert Commune.objects.in_departement("28").count() == 363
    assert [c for c in snapshot()["communes"] if c[0].startswith("28")] == eure_28_before

    straddling = EPCI.objects.get(siren="200066462")
    assert straddling.communes.count() == 3  # 2 in the Eure, 1 in Eure-et-Loir

    # In 28's view only its 28 member counts; in 27's, its two.
    in_28 = client.get("/api/epci/?departement=28").json()
    feature = next(f for f in in_28["features"] if f["id"] == "200066462")
    assert feature["properties"]["communes_count"] == 1
    in_27 = client.get("/api/epci/?departement=27").json()
    assert [f["id"] for f in in_27["features"]] == ["200066462"]
    assert in_27["features"][0]["properties"]["communes_count"] == 2
    assert in_27["features"][0]["properties"]["population"] == 830


def corrupt_truncated_csv(sources, tmp_path):
    text = sources.communes.read_text(encoding="utf-8")
    cut = tmp_path / sources.communes.name
    cut.write_text(text[: len(text) // 2], encoding="utf-8")  # ends in the middle of a line
    return replace(sources, communes=cut)


def corrupt_utf16(sources, tmp_path):
    bad = tmp_path / sources.communes.name
    bad.write_text(sources.communes.read_text(encoding="utf-8"), encoding="utf-16")
    return replace(sources, communes=bad)


def corrupt_separator(sources, tmp_path):
    """Header with commas, rows re-saved with semicolons."""
    header, rest = sources.communes.read_text(encoding="utf-8").split("\n", 1)
    bad = tmp_path / sources.communes.name
    bad.write_text(header + "\n" + rest.replace(",", ";"), encoding="utf-8")
    return replace(sources, communes=bad)


def corrupt_geojson(sources, tmp_path):
    bad = tmp_path / sources.geometry.name
    bad.write_text(sources.geometry.read_text()[:200_000])
    return replace(sources, geometry=bad)


def corrupt_xlsx(sources, tmp_path):
    bad = tmp_path / sources.epci.name
    bad.write_bytes(sources.epci.read_bytes()[:10_000])
    return replace(sources, epci=bad)


def corrupt_population_value(sources, tmp_path):
    bad = tmp_path / sources.populations.name
    lines = sources.populations.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[10] = lines[10].replace(";", ";", 7)
    fields = lines[10].rstrip("\r\n").split(";")
    fields[8] = "douze"
    lines[10] = ";".join(fields) + "\r\n"
    bad.write_text("".join(lines), encoding="utf-8")
    return replace(sources, populations=bad)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("corrupt", "expected"),
    [
        (
            corrupt_truncated_csv,
            r"communes-cog2026-dep28\.csv, ligne \d+ : \d+ champ\(s\) au lieu de 12",
        ),
        (corrupt_utf16, r"communes-cog2026-dep28\.csv, ligne 1 : octet nul"),
        (
            corrupt_separator,
            r"communes-cog2026-dep28\.csv, ligne 2 : 1 champ\(s\) au lieu de 12 \(ligne tronquée ou séparateur autre que « , »\)",
        ),
        (corrupt_geojson, r"communes-28-eure-et-loir\.geojson, ligne 1 : JSON invalide"),
        (corrupt_xlsx, r"epcicom-2025-dep28\.xlsx : Ce fichier n'est pas un classeur XLSX lisible"),
        (
            corrupt_population_value,
            r"populations-legales-dep28\.csv, ligne 11, colonne « PMUN » : population illisible « douze »",
        ),
    ],
    ids=["truncated", "utf16", "separator", "geojson", "xlsx", "value"],
)
def test_a_broken_file_is_refused_and_the_database_stays_as_it_was(
    territory_28, demo_sources, tmp_path, corrupt, expected
):
    # A new edition with a renamed commune and a new history row, which must not half-land.
    communes = tmp_path / "source-communes.csv"
    communes.write_text(
        demo_sources.communes.read_text(encoding="utf-8").replace(
            ",Chartres,2898,", ",Chartres-Nouveau,2898,"
        )
    )
    mouvements = tmp_path / "source-mouvements.csv"
    shutil.copy(demo_sources.mouvements, mouvements)
    with mouvements.open("a", encoding="utf-8") as f:
        f.write(
            "10,2026-06-01,COM,28085,0,CHARTRES,Chartres,Chartres,COM,28085,0,X,X,Chartres-Nouveau\n"
        )
    (tmp_path / "src").mkdir()
    communes = communes.rename(tmp_path / "src" / demo_sources.communes.name)
    sources = replace(demo_sources, communes=communes, mouvements=mouvements)
    before = snapshot()

    with pytest.raises(ImportFileError, match=expected):
        import_territory("28", corrupt(sources, tmp_path))

    assert snapshot() == before
    assert Commune.objects.get(code="28085").name == "Chartres"
    # The same edition, unbroken, does change the database: the comparison above means something.
    import_territory("28", sources)
    assert Commune.objects.get(code="28085").name == "Chartres-Nouveau"
    assert CommuneChange.objects.count() == before["changes"] + 1


@pytest.mark.django_db
def test_a_semicolon_separated_edition_is_read_like_the_published_one(demo_sources, tmp_path):
    communes = tmp_path / "communes.csv"
    communes.write_text(demo_sources.communes.read_text(encoding="utf-8").replace(",", ";"))
    import_territory("28", replace(demo_sources, communes=communes))
    assert Commune.objects.in_departement("28").count() == 363


@pytest.mark.django_db
def test_the_command_says_the_import_was_cancelled(territory_28, tmp_path):
    bad = tmp_path / "communes.csv"
    bad.write_text("TYPECOM;COM;DEP\nCOM;28085;28\n")
    with pytest.raises(
        CommandError, match=r"Import annulé, base inchangée\. communes\.csv, ligne 1"
    ):
        call_command("import_territory", "--departement", "28", "--communes", str(bad))


@pytest.mark.django_db
def test_unknown_commune_codes_are_reported_with_their_line(demo_sources, tmp_path):
    populations = tmp_path / demo_sources.populations.name
    text = demo_sources.populations.read_text(encoding="utf-8")
    populations.write_text(
        text + "24;Centre-Val de Loire;28;1;01;999;28999;Nulle-Part;12;0;12\r\n", encoding="utf-8"
    )
    report = import_territory("28", replace(demo_sources, populations=populations))
    assert report.warnings == [
        f"{populations.name}, ligne 365 : code commune inconnu : 28999",
    ]
    assert Commune.objects.aggregate(total=Sum("population"))["total"] == 433_129


@pytest.mark.django_db
def test_invalid_geometries_are_repaired_and_reported(demo_sources, tmp_path):
    data = json.loads(demo_sources.geometry.read_text())
    chartres = next(f for f in data["features"] if f["properties"]["code"] == "28085")
    # A bow-tie: a self-intersecting ring.
    chartres["geometry"] = {
        "type": "Polygon",
        "coordinates": [
            [[1.45, 48.42], [1.52, 48.48], [1.52, 48.42], [1.45, 48.48], [1.45, 48.42]]
        ],
    }
    geometry = tmp_path / "communes.geojson"
    geometry.write_text(json.dumps(data))
    report = import_territory("28", replace(demo_sources, geometry=geometry))
    assert any("(28085) : géométrie invalide réparée" in w for w in report.warnings)
    chartres = Commune.objects.get(code="28085")
    assert chartres.geometry.valid
    assert chartres.geometry.num_geom == 2


LAMBERT_93_CRS = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}}


def in_lambert_93(demo_sources, tmp_path, *, declared: bool):
    """The commune outlines reprojected to Lambert-93 (metres), with or without saying so."""
    from django.contrib.gis.geos import GEOSGeometry

    data = json.loads(demo_sources.geometry.read_text())
    for feature in data["features"]:
        geometry = GEOSGeometry(json.dumps(feature["geometry"]), srid=4326)
        geometry.transform(2154)
        feature["geometry"] = json.loads(geometry.geojson)
    if declared:
        data["crs"] = LAMBERT_93_CRS
    path = tmp_path / "communes-28-lambert93.geojson"
    path.write_text(json.dumps(data))
    return replace(demo_sources, geometry=path)


@pytest.mark.django_db
def test_a_lambert_93_geojson_that_says_so_is_reprojected(demo_sources, tmp_path):
    report = import_territory("28", in_lambert_93(demo_sources, tmp_path, declared=True))

    assert report.notes["contours reprojetés de EPSG:2154 en WGS84"] == 1
    chartres = Commune.objects.get(code="28085")
    assert chartres.geometry.srid == 4326
    assert chartres.geometry.contains(Point(1.4875, 48.4478, srid=4326))  # the cathedral
    published = [  # the extent of the published WGS84 outlines
        GEOSGeometry(json.dumps(f["geometry"])).extent
        for f in json.loads(demo_sources.geometry.read_text())["features"]
    ]
    expected = [min(e[i] for e in published) for i in (0, 1)]
    expected += [max(e[i] for e in published) for i in (2, 3)]
    extent = Departement.objects.get(code="28").geometry.extent
    assert extent == pytest.approx(tuple(expected), abs=1e-7)


@pytest.mark.django_db
def test_a_lambert_93_geojson_read_as_wgs84_is_refused_with_the_reason(
    territory_28, demo_sources, tmp_path
):
    before = snapshot()
    with pytest.raises(ImportFileError) as error:
        import_territory("28", in_lambert_93(demo_sources, tmp_path, declared=False))
    assert "coordonnées en mètres" in str(error.value)
    assert "ne peut être lu comme du WGS84" in str(error.value)
    assert "EPSG:2154" in str(error.value)
    assert snapshot() == before


@pytest.mark.django_db
def test_latitude_and_longitude_swapped_are_refused(demo_sources, tmp_path):
    def swap(item):
        if isinstance(item[0], int | float):
            return [item[1], item[0]]
        return [swap(i) for i in item]

    data = json.loads(demo_sources.geometry.read_text())
    for feature in data["features"]:
        feature["geometry"]["coordinates"] = swap(feature["geometry"]["coordinates"])
    path = tmp_path / "communes-inversees.geojson"
    path.write_text(json.dumps(data))
    with pytest.raises(ImportFileError, match="hors du territoire attendu"):
        import_territory("28", replace(demo_sources, geometry=path))
    assert not Commune.objects.exists()


def cut_at_a_row_boundary(demo_sources, tmp_path):
    lines = demo_sources.communes.read_text(encoding="utf-8").splitlines(keepends=True)
    cut = tmp_path / demo_sources.communes.name
    cut.write_text("".join(lines[: len(lines) // 2]), encoding="utf-8")
    return replace(demo_sources, communes=cut)


@pytest.mark.django_db
def test_a_communes_file_cut_at_a_row_boundary_is_refused_and_changes_nothing(
    territory_28, demo_sources, tmp_path
):
    from equipment.demo import load_demo_schools

    load_demo_schools()  # schools refer to communes the cut file lacks
    before = snapshot()
    sources = cut_at_a_row_boundary(demo_sources, tmp_path)

    with pytest.raises(ImportFileError) as error:
        import_territory("28", sources)
    assert "absente(s) du fichier des communes sans changement dans l'historique" in str(
        error.value
    )
    assert "Fichier tronqué ou d'une autre édition ? Rien n'est supprimé." in str(error.value)
    assert snapshot() == before

    with pytest.raises(CommandError, match=r"^Import annulé, base inchangée\. \d+ commune"):
        call_command("import_territory", "--departement", "28", "--communes", sources.communes)
    assert snapshot() == before


@pytest.mark.django_db
def test_a_merged_commune_still_used_by_a_school_is_not_deleted(
    territory_28, demo_sources, tmp_path
):
    """Allainville (28003) merged into Abondant by a new COG: its school still points at it,
    so the import says so instead of dying on the database's protection."""
    from equipment.models import School

    allainville = Commune.objects.get(code="28003")
    School.objects.create(
        uai="0289990P", name="École d'Allainville", commune=allainville, commune_code="28003",
        departement_code="28", location=allainville.geometry.point_on_surface,
    )  # fmt: skip
    communes = tmp_path / "communes.csv"
    communes.write_text(
        "".join(
            line
            for line in demo_sources.communes.read_text(encoding="utf-8").splitlines(True)
            if ",28003," not in line
        ),
        encoding="utf-8",
    )
    mouvements = tmp_path / "mouvements.csv"
    mouvements.write_text(
        demo_sources.mouvements.read_text(encoding="utf-8")
        + "32,2026-06-01,COM,28003,1,ALLAINVILLE,Allainville,Allainville,"
        "COM,28001,1,ABONDANT,Abondant,Abondant\n",
        encoding="utf-8",
    )
    before = snapshot()

    with pytest.raises(ImportFileError) as error:
        import_territory("28", replace(demo_sources, communes=communes, mouvements=mouvements))

    assert str(error.value) == (
        "1 commune(s) absent(e)s du fichier mais encore utilisé(e)s dans le hub, rien n'est "
        "supprimé : Allainville (28003) (1 établissements scolaires)"
    )
    assert snapshot() == before


@pytest.mark.django_db
def test_another_departement_never_takes_the_demo_files_or_eure_et_loir_s_name(
    territory_28, eure_sources, tmp_path
):
    options = ["--communes", eure_sources.communes, "--populations", eure_sources.populations]
    options += ["--epci", eure_sources.epci]
    with pytest.raises(CommandError) as error:
        call_command("import_territory", "--departement", "27", *options)
    assert "ne couvrent que l'Eure-et-Loir (28)" in str(error.value)
    assert "--mouvements" in str(error.value) and "--geometry" in str(error.value)
    assert "--communes" not in str(error.value)
    assert not Departement.objects.filter(code="27").exists()

    options += ["--mouvements", eure_sources.mouvements, "--geometry", eure_sources.geometry]
    call_command("import_territory", "--departement", "27", *options)
    assert Departement.objects.get(code="27").name == "Département 27"
    assert Departement.objects.get(code="28").name == "Eure-et-Loir"

    departements = tmp_path / "v_departement_2026.csv"
    departements.write_text(
        "DEP,REG,CHEFLIEU,TNCC,NCC,NCCENR,LIBELLE\n"
        "27,28,27229,1,EURE,Eure,Eure\n28,24,28085,1,EURE ET LOIR,Eure-et-Loir,Eure-et-Loir\n",
        encoding="utf-8",
    )
    call_command(
        "import_territory", "--departement", "27", *options, "--departements", departements
    )
    assert Departement.objects.get(code="27").name == "Eure"

    with pytest.raises(
        CommandError, match="contour du département 28 \\(Eure-et-Loir\\), pas du 27"
    ):
        call_command(
            "import_territory", "--departement", "27", *options,
            "--outline", territory_28_outline(),
        )  # fmt: skip


def territory_28_outline():
    from cartography.importers.territory import TerritorySources

    return TerritorySources.demo().outline


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "preamble", "shown"),
    [("populations", 1, "28001"), ("communes", 1, "COM 28001")],
)
def test_a_territory_file_with_every_row_twice_is_refused_naming_both_lines(
    territory_28, demo_sources, tmp_path, name, preamble, shown
):
    before = snapshot()
    doubled, _, repeat = every_row_twice(getattr(demo_sources, name), tmp_path, preamble=preamble)
    with pytest.raises(ImportFileError, match=rf"« {shown} » en double \(lignes 2 et {repeat}\)"):
        import_territory("28", replace(demo_sources, **{name: doubled}))
    assert snapshot() == before
