"""The fragility index (IFN) importer: both forms of the file, commune values equal to an
independent computation from the file, idempotence, and bad files refused with the database
unchanged."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from hub.imports import ImportFileError
from indicators.fragility import import_fragility
from indicators.models import FragilityScore

ROOT = Path(__file__).resolve().parents[2]
FILE = ROOT / "data" / "demo" / "fragility" / "ifn-mednum-design4green2020-dep28.csv"
COLUMNS = {  # score key → the file's column, as written (double space included)
    "global_departement": "SCORE GLOBAL departement 1",
    "global_region": "SCORE GLOBAL region 1",
    "administrative_epci": "COMPETENCES ADMINISTATIVES epci 1",
    "digital_region": "COMPÉTENCES NUMÉRIQUES / SCOLAIRES region 1",
    "skills_departement": "GLOBAL COMPETENCES  departement 1",
    "interfaces_epci": "ACCÈS AUX INTERFACES NUMERIQUES epci 1",
}


def read(path=FILE):
    """The file's header and rows, read with the csv module alone."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    return rows[0], rows[1:]


def write(path: Path, header, rows, separator=";", with_header=True):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator="\n")
    if with_header:
        writer.writerow(header)
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def by_hand(commune: str, column: str) -> float:
    """The plain mean of a commune's IRIS rows for one column, straight from the file."""
    header, rows = read()
    at, com = header.index(column), header.index("Insee Com")
    values = [float(r[at]) for r in rows if r[com] == commune]
    assert values, commune
    return sum(values) / len(values)


def scores():
    return {s.commune_code: (s.scores, s.weighting) for s in FragilityScore.objects.all()}


@pytest.fixture
def imported(territory_28):
    return import_fragility(FILE)


@pytest.mark.parametrize(
    ("commune", "iris"),
    [("28085", 16), ("28134", 15), ("28007", 1), ("28033", 1)],  # Chartres, Dreux, Anet…
)
def test_commune_values_equal_a_computation_by_hand(imported, commune, iris):
    score = FragilityScore.objects.get(edition="2020", commune_code=commune)
    assert score.iris_rows == iris
    assert score.weighting == "mean"
    for key, column in COLUMNS.items():
        assert score.scores[key] == pytest.approx(by_hand(commune, column), abs=1e-6), key


def test_merged_commune_is_the_mean_of_its_predecessors(imported):
    """Barmainville and Neuvy-en-Beauce joined Rouvray-Saint-Denis (28319) in 2025."""
    score = FragilityScore.objects.get(commune_code="28319")
    assert score.source_codes == ["28025", "28276", "28319"]
    column = COLUMNS["global_departement"]
    expected = sum(by_hand(c, column) for c in score.source_codes) / 3
    assert score.scores["global_departement"] == pytest.approx(expected, abs=1e-6)
    assert not FragilityScore.objects.filter(commune_code__in=["28025", "28276"]).exists()
    assert any("28319" in w and "pèse autant" in w for w in imported.warnings)


def test_every_commune_once_and_reimport_changes_nothing(imported):
    assert FragilityScore.objects.count() == 363  # 365 communes of 2020, two merged since
    assert imported.count("indices communaux").created == 363
    assert any("moyenne simple" in w for w in imported.warnings)  # the hub says which
    again = import_fragility(FILE)
    counts = again.count("indices communaux")
    assert (counts.created, counts.updated, counts.unchanged) == (0, 0, 363)


def test_command_prints_the_report(territory_28, capsys):
    call_command("import_fragility", str(FILE))
    out = capsys.readouterr().out
    assert "363 créé(s)" in out
    assert "communes en moyenne simple des IRIS : 363" in out


@pytest.mark.parametrize("one_name_per_line", [False, True])
@pytest.mark.parametrize("decimal_commas", [False, True])
def test_headerless_file_with_separate_header(
    territory_28, tmp_path, one_name_per_line, decimal_commas
):
    import_fragility(FILE)
    expected = scores()
    FragilityScore.objects.all().delete()
    header, rows = read()
    if decimal_commas:  # the same figures as a French spreadsheet writes them
        rows = [[c.replace(".", ",") if c[:1].isdigit() else c for c in r] for r in rows]
    data = write(tmp_path / "ifn.csv", header, rows, with_header=False)
    names = tmp_path / "entete.txt"
    names.write_text(
        "\n".join(header) if one_name_per_line else ";".join(header) + "\n", encoding="utf-8"
    )
    report = import_fragility(data, headers=names)
    assert report.count("indices communaux").created == 363
    assert scores() == expected


def test_headerless_file_with_comma_separated_header(territory_28, tmp_path):
    header, rows = read()
    data = write(tmp_path / "ifn.csv", header, rows, separator="\t", with_header=False)
    names = write(tmp_path / "entete.csv", header, [], separator=",")
    call_command("import_fragility", str(data), "--headers", str(names))
    dreux = FragilityScore.objects.get(commune_code="28134")
    assert dreux.scores["skills_departement"] == pytest.approx(
        by_hand("28134", COLUMNS["skills_departement"]), abs=1e-6
    )


def test_headers_tolerant_of_case_spacing_and_accents(territory_28, tmp_path):
    header, rows = read()
    changed = [
        "  ".join(c.lower().split()).replace("acces", "accès").replace("competences", "COMPÉTENCES")
        for c in header
    ]
    import_fragility(write(tmp_path / "ifn.csv", changed, rows))
    assert FragilityScore.objects.count() == 363


def test_population_weighted_where_the_file_gives_population(territory_28, tmp_path):
    header, rows = read()
    pops = {r[header.index("Code Iris")]: 100 + 37 * i for i, r in enumerate(rows)}
    rows = [[*r, str(pops[r[header.index("Code Iris")]])] for r in rows]
    report = import_fragility(write(tmp_path / "ifn.csv", [*header, "P16 Pop"], rows))
    column = header.index("SCORE GLOBAL epci 1")
    dreux = [r for r in rows if r[header.index("Insee Com")] == "28134"]
    expected = sum(float(r[column]) * float(r[-1]) for r in dreux) / sum(
        float(r[-1]) for r in dreux
    )
    score = FragilityScore.objects.get(commune_code="28134")
    assert score.weighting == "population"
    assert score.population == sum(float(r[-1]) for r in dreux)
    assert score.scores["global_epci"] == pytest.approx(expected, abs=1e-6)
    assert score.scores["global_epci"] != pytest.approx(by_hand("28134", "SCORE GLOBAL epci 1"))
    assert "communes en moyenne pondérée par la population des IRIS (colonne « P16 Pop »)" in (
        report.notes
    )
    # Merged communes: predecessors weighted by their population, as the file gives it.
    merged = [r for r in rows if r[header.index("Insee Com")] in ("28025", "28276", "28319")]
    expected = sum(float(r[column]) * float(r[-1]) for r in merged) / sum(
        float(r[-1]) for r in merged
    )
    assert FragilityScore.objects.get(commune_code="28319").scores["global_epci"] == (
        pytest.approx(expected, abs=1e-6)
    )


def test_rows_outside_the_loaded_territory_are_reported(territory_28, tmp_path):
    header, rows = read()
    stranger = list(rows[0])
    stranger[header.index("Insee Com")] = "45234"
    stranger[header.index("Code Iris")] = "452340000"
    report = import_fragility(write(tmp_path / "ifn.csv", header, [*rows, stranger]))
    assert FragilityScore.objects.count() == 363
    assert any("1 ligne(s) du département 45" in w for w in report.warnings)


def test_commune_gone_from_a_new_file_loses_its_score(imported, tmp_path):
    header, rows = read()
    rows = [r for r in rows if r[header.index("Insee Com")] != "28007"]
    report = import_fragility(write(tmp_path / "ifn.csv", header, rows))
    assert report.count("indices communaux").removed == 1
    assert not FragilityScore.objects.filter(commune_code="28007").exists()


# --- bad files: refused with line and column, the database unchanged --------------------------


def refused(tmp_path, path, headers=None) -> ImportFileError:
    before = scores()
    assert len(before) == 363
    with pytest.raises(ImportFileError) as caught:
        import_fragility(path, headers=headers)
    assert scores() == before
    with pytest.raises(CommandError, match="base inchangée"):
        call_command("import_fragility", str(path), *(["--headers", str(headers)] * bool(headers)))
    return caught.value


def shifted(rows, header):
    """Every score changed, so that a partial write would show."""
    at = header.index("SCORE GLOBAL departement 1")
    return [[*r[:at], str(float(r[at]) + 1), *r[at + 1 :]] for r in rows]


def test_wrong_header_file_is_refused(imported, tmp_path):
    header, rows = read()
    data = write(tmp_path / "ifn.csv", header, shifted(rows, header), with_header=False)
    names = tmp_path / "entete.txt"
    names.write_text("\n".join(header[:-1]), encoding="utf-8")  # one column short
    error = refused(tmp_path, data, names)
    assert error.line == 1
    assert f"entete.txt nomme {len(header) - 1} colonnes" in str(error)
    assert f"en a {len(header)} (séparateur « ; »)" in str(error)


def test_missing_axis_column_is_refused(imported, tmp_path):
    header, rows = read()
    gone = header.index("ACCES A L'INFORMATION epci 1")
    header = header[:gone] + header[gone + 1 :]
    rows = [r[:gone] + r[gone + 1 :] for r in shifted(rows, read()[0])]
    error = refused(tmp_path, write(tmp_path / "ifn.csv", header, rows))
    assert error.line == 1
    assert error.column == "ACCES A L'INFORMATION epci 1"
    assert "accès à l’information, réf. EPCI" in str(error)


def test_unreadable_number_is_refused(imported, tmp_path):
    header, rows = read()
    rows = shifted(rows, header)
    rows[200][header.index("GLOBAL ACCES region 1")] = "97,3.2"
    error = refused(tmp_path, write(tmp_path / "ifn.csv", header, rows))
    assert (error.line, error.column) == (202, "GLOBAL ACCES region 1")
    assert "« 97,3.2 »" in str(error)


def test_duplicated_iris_is_refused(imported, tmp_path):
    header, rows = read()
    rows = shifted(rows, header)
    error = refused(tmp_path, write(tmp_path / "ifn.csv", header, [*rows, rows[2]]))
    assert error.column == "Code Iris"
    assert f"« {rows[2][header.index('Code Iris')]} »" in str(error)
    assert "lignes 4 et 420" in str(error)


def test_demo_step_loads_the_index_after_the_territory(territory_28):
    from hub.registry import demo_loaders
    from indicators.fragility import load_demo_fragility

    steps = [loader.function for loader in demo_loaders()]
    fragility = steps.index("indicators.fragility.load_demo_fragility")
    assert steps.index("cartography.demo.load_demo_territory") < fragility
    assert load_demo_fragility().count("indices communaux").created == 363
    assert load_demo_fragility().count("indices communaux").unchanged == 363


def test_long_edition_with_population_and_iris_outline(territory_28, tmp_path):
    """The long editions: more columns, the population, and an IRIS polygon in a cell far
    larger than the csv module reads by default."""
    header, rows = read()
    outline = "MULTIPOLYGON(((" + ",".join(f"1.{i} 48.{i}" for i in range(20_000)) + ")))"
    rows = [[*r, "1200", "7.5", outline] for r in rows]
    data = write(tmp_path / "ifn.csv", header, rows, with_header=False)
    names = tmp_path / "entete.csv"
    names.write_text(";".join([*header, "P16 Pop", "Taux chômage", "geometry"]), encoding="utf-8")
    import_fragility(data, headers=names)
    dreux = FragilityScore.objects.get(commune_code="28134")
    assert dreux.weighting == "population"  # equal populations: the plain mean again
    assert dreux.population == 15 * 1200
    assert dreux.scores["global_departement"] == pytest.approx(
        by_hand("28134", COLUMNS["global_departement"]), abs=1e-6
    )
