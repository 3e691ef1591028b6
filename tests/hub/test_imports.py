"""The import toolkit every importer shares: how files are read and how rows are written."""

from decimal import Decimal

import pytest

from cartography.models import CommunePart
from hub.imports import (
    Counts,
    ImportFileError,
    ImportReport,
    find_header,
    iter_csv,
    parse_decimal,
    read_text,
    sync_rows,
)


def write(tmp_path, data: bytes, name="fichier.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "data",
    [
        "nom;ville\nŒuvre d'été;Dreux\n".encode(),
        "\ufeffnom;ville\nŒuvre d'été;Dreux\n".encode(),
        "nom;ville\nŒuvre d'été;Dreux\n".encode("cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "windows-1252"],
)
def test_each_encoding_is_read_as_written(tmp_path, data):
    rows = list(iter_csv(write(tmp_path, data), ["nom", "ville"]))
    assert rows == [(2, {"NOM": "Œuvre d'été", "VILLE": "Dreux"})]


def test_a_stray_byte_in_a_utf_8_file_is_named_not_spread_over_the_file(tmp_path):
    data = "nom;ville\nÉcole;Chartres\n".encode() + b"Biblioth\xe8que;Dreux\nMus\xc3\xa9e;Anet\n"
    path = write(tmp_path, data)

    with pytest.raises(ImportFileError, match=r"fichier\.csv, ligne 3 : octets hors UTF-8"):
        read_text(path)  # without a report: refused, naming the line

    report = ImportReport("essai")
    text = read_text(path, report)  # with one: read, and the line reported
    assert text == "nom;ville\nÉcole;Chartres\nBibliothèque;Dreux\nMusée;Anet\n"
    assert len(report.warnings) == 1
    assert report.warnings[0].startswith("fichier.csv, ligne 3 : octets hors UTF-8")
    assert "« Bibliothèque;Dreux »" in report.warnings[0]


def test_the_header_is_found_below_a_preamble_whatever_the_separator():
    text = "Observatoire\nÉdition T1 2018\n\n\nCode commune\tChamp\tT1 2018\n28001\tLocaux\t857\n"
    header, found = find_header(text, lambda cells: cells[:2] == ["Code commune", "Champ"], 30)
    assert (header.line, header.separator, header.cells) == (
        5,
        "\t",
        ["Code commune", "Champ", "T1 2018"],
    )
    assert find_header(text, lambda cells: "Inconnue" in cells, 30) is None


@pytest.mark.parametrize(
    ("text", "value"), [("115,7", "115.7"), ("1 234,50", "1234.50"), ("", None), (" 98.2 ", "98.2")]
)
def test_decimal_commas_and_spaces_are_read(text, value):
    assert parse_decimal(text) == (None if value is None else Decimal(value))


@pytest.mark.django_db
def test_sync_rows_on_a_composite_key_writes_only_what_changed():
    rows = {
        ("28001", "COMD"): {"name": "Abondant", "parent_code": "28001"},
        ("28002", "COMA"): {"name": "Allaines", "parent_code": "28199"},
    }
    counts = Counts()
    sync_rows(CommunePart, ("code", "kind"), rows, counts)
    assert (counts.created, counts.updated, counts.unchanged) == (2, 0, 0)

    rows[("28002", "COMA")]["name"] = "Allaines-Mervilliers"
    counts = Counts()
    sync_rows(CommunePart, ("code", "kind"), rows, counts)
    assert (counts.created, counts.updated, counts.unchanged) == (0, 1, 1)
    assert CommunePart.objects.get(code="28002").name == "Allaines-Mervilliers"
