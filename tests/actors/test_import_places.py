"""Importing and exporting places in the national standard, on good and broken files."""

import csv
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.management import CommandError, call_command

from actors.exporters import write_csv, write_json
from actors.importers.places import import_places
from actors.models import DuplicateCandidate, Offer, Place, PlaceSource, Structure
from hub.imports import ImportFileError
from tests.import_helpers import table_indexes

pytestmark = pytest.mark.django_db


def export_csv() -> str:
    stream = io.StringIO()
    write_csv(stream)
    return stream.getvalue()


def test_the_published_columns_are_read_into_places_and_offers(territory_28, places_v1):
    report = import_places(places_v1)
    assert report.count("Lieux").created == 4
    assert report.rejections == []
    apostrophe = Place.objects.get(sources__external_id="mednum-001")
    assert apostrophe.commune.code == "28085"
    assert (apostrophe.latitude, apostrophe.longitude) == (48.4469, 1.489)
    assert apostrophe.emails == ["epn@example.fr", "accueil@example.fr"]
    assert apostrophe.structure.siret == "21280085000012"
    assert apostrophe.structure.parent_network == "Réseau des médiathèques"
    assert "Deux lignes" in apostrophe.description
    assert apostrophe.accompaniment_level == Place.Level.ON_BEHALF
    offers = list(apostrophe.offers.order_by("position"))
    assert [o.service for o in offers] == [
        "Aide aux démarches administratives",
        "Maîtrise des outils numériques du quotidien",
    ]
    assert offers[0].publics == ["Seniors", "Jeunes"]
    assert offers[0].labels == ["Étapes numériques(La Poste)"]


def test_communes_are_found_by_old_code_position_or_name(territory_28, places_v1):
    report = import_places(places_v1)
    bus = Place.objects.get(sources__external_id="mednum-002")
    assert bus.commune.code == "28319"  # Barmainville merged into Neuville Saint Denis
    assert bus.location_approximate  # no coordinates, no geocoder: at its commune
    assert bus.commune.geometry.contains(bus.location)
    fablab = Place.objects.get(sources__external_id="mednum-003")
    assert fablab.commune.name == "Dreux"  # from its position
    bonneval = Place.objects.get(sources__external_id="mednum-004")
    assert bonneval.commune.name == "Bonneval"  # from postal code and name
    assert report.notes["Lieux placés au centre de leur commune (position approximative)"] == 2


def test_unreadable_opening_hours_are_kept_and_flagged(territory_28, places_v1):
    report = import_places(places_v1)
    fablab = Place.objects.get(sources__external_id="mednum-003")
    assert fablab.opening_hours == "lundi 9h-12h"
    assert not fablab.opening_hours_valid
    assert "ligne 5 : horaires illisibles, gardés tels quels : « lundi 9h-12h »" in report.warnings


def test_a_second_import_changes_nothing(territory_28, places_v1):
    import_places(places_v1)
    before = export_csv()
    report = import_places(places_v1)
    assert (report.created, report.updated) == (0, 0)
    assert report.count("Lieux").unchanged == 4
    assert Place.objects.count() == 4
    assert export_csv() == before


def test_export_import_export_gives_the_same_file(territory_28, places_v1):
    import_places(places_v1)
    first = export_csv()
    header = first.splitlines()[0]
    assert header == places_v1.read_text(encoding="utf-8").splitlines()[0]

    Place.objects.all().delete()
    Structure.objects.all().delete()
    exported = places_v1.parent / "roundtrip.csv"
    try:
        exported.write_text(first, encoding="utf-8")
        import_places(exported)
    finally:
        exported.unlink()
    assert export_csv() == first


def test_export_follows_the_standard(territory_28, places_v1):
    import_places(places_v1)
    text = export_csv()
    assert (
        ",Aide aux démarches administratives|Maîtrise des outils numériques du quotidien," in text
    )
    assert ",2024-03-01," in text
    bus_line = next(line for line in text.splitlines() if line.startswith("mednum-002"))
    assert bus_line.startswith("mednum-002,00000000000000,Bus numérique,Barmainville,28310,28319,")
    stream = io.StringIO()
    write_json(stream)
    items = json.loads(stream.getvalue())
    assert items[0]["latitude"] == 48.4469
    assert items[0]["services"].split("|")[0] == "Aide aux démarches administratives"


def test_a_json_export_imports_back(territory_28, places_v1, tmp_path):
    import_places(places_v1)
    first = export_csv()
    stream = io.StringIO()
    write_json(stream)
    Place.objects.all().delete()
    (tmp_path / "lieux.json").write_text(stream.getvalue(), encoding="utf-8")
    report = import_places(tmp_path / "lieux.json")
    assert report.count("Lieux").created == 4
    assert export_csv() == first


def test_legacy_v01_is_mapped_and_counted(territory_28, places_v01):
    report = import_places(places_v01)
    assert report.notes["Lignes lues (standard v0.1)"] == 2
    assert report.notes["Valeurs v0.1 converties en v1 (services)"] == 5
    assert report.notes["Valeurs v0.1 converties en v1 (labels_nationaux)"] == 3
    anonymal = Place.objects.get(sources__external_id="structure-1")
    offers = list(anonymal.offers.order_by("position"))
    assert [o.service for o in offers] == [
        "Aide aux démarches administratives",
        "Maîtrise des outils numériques du quotidien",
    ]
    assert offers[0].publics == ["Familles et/ou enfants"]
    assert offers[0].specific_support == ["Déficience visuelle"]
    assert offers[0].fees == ["Gratuit"]
    assert offers[0].programmes == ["France Services", "Point d'accès numérique CAF"]
    assert offers[0].accompaniment_modes == [
        "Accompagnement individuel",
        "Dans un atelier collectif",
    ]
    assert anonymal.typologie == ["TIERS_LIEUX", "ASSO"]
    assert anonymal.other_labels == ["SudLabs"]
    point = Place.objects.get(sources__external_id="structure-2")
    assert [o.service for o in point.offers.order_by("position")] == [
        "Acquisition de matériel informatique à prix solidaire",
        "Accès internet et matériel informatique",
    ]
    assert point.offers.first().fees == ["Payant"]


def test_bad_rows_are_rejected_with_line_field_and_reason(territory_28, places_v1, tmp_path):
    lines = places_v1.read_text(encoding="utf-8").splitlines(keepends=True)
    bad = (
        lines[0]
        + "x1,123,Nom,Chartres,28000,28085,1 rue,,,,,,,,,,,S,,,2024-01-01,Jouer aux cartes,,,,,,,,,,\n"
    )
    bad += "x2,21280085000012,,Chartres,28000,28085,1 rue,,,,,,,,,,,S,,,hier,,,,,,,,,,,\n"
    path = tmp_path / "lieux.csv"
    path.write_text(bad, encoding="utf-8")
    report = import_places(path)
    assert [str(r) for r in report.rejections] == [
        "ligne 2, champ « pivot » : SIRET ou RNA attendu (9 à 14 caractères), lu « 123 »",
        "ligne 2, champ « services » : valeur inconnue « Jouer aux cartes »",
        "ligne 3, champ « nom » : champ obligatoire vide",
        "ligne 3, champ « date_maj » : date attendue (AAAA-MM-JJ), lu « hier »",
    ]
    assert Place.objects.count() == 0


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (lambda text: text.encode("utf-16"), r"lieux\.csv, ligne 1 : octet nul"),
        (
            lambda text: text[: len(text) // 2].encode(),
            r"lieux\.csv, ligne \d+ : \d+ champ\(s\) au lieu de 32",
        ),
        (
            lambda text: text.replace(",", ":").encode(),
            r"lieux\.csv, ligne 1 : colonnes attendues absentes",
        ),
        (lambda text: b'[{"id": "a", ', r"lieux\.csv, ligne 1 : JSON invalide"),
    ],
    ids=["utf16", "truncated", "separator", "json"],
)
def test_a_broken_file_changes_nothing(territory_28, places_v1, tmp_path, damage, expected):
    import_places(places_v1)
    before = export_csv()
    path = tmp_path / "lieux.csv"
    text = places_v1.read_text(encoding="utf-8").replace("Médiathèque", "Bibliothèque")
    path.write_bytes(damage(text))
    with pytest.raises(ImportFileError, match=expected):
        import_places(path)
    assert export_csv() == before


def test_the_command_reports_and_refuses(territory_28, places_v1, tmp_path, capsys):
    call_command("import_places", str(places_v1), "--source", "CD28")
    out = capsys.readouterr().out
    assert "Lieux : 4 créé(s), 0 mis à jour, 0 inchangé(s)" in out
    assert PlaceSource.objects.filter(source="CD28").count() == 4
    bad = tmp_path / "vide.csv"
    bad.write_text("nom;commune\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Import annulé, base inchangée. vide.csv, ligne 1"):
        call_command("import_places", str(bad))


def test_same_siret_close_by_from_another_source_is_merged(territory_28, places_v1, tmp_path):
    import_places(places_v1)
    other = places_v1.read_text(encoding="utf-8").replace("mednum-001", "autre-42")
    other = other.replace("48.4469,1.489", "48.4472,1.4893")  # about 40 m away
    path = tmp_path / "autre.csv"
    path.write_text(other, encoding="utf-8")
    report = import_places(path, source="Autre source")
    # The three rows with a SIRET are merged; the bus (no SIRET, same name) waits for a person.
    assert report.notes["Doublons fusionnés (même SIRET à moins de 100 m)"] == 3
    assert report.notes["Doublons possibles mis en attente de modération"] == 1
    assert Place.objects.count() == 4
    apostrophe = Place.objects.get(sources__external_id="mednum-001")
    assert set(apostrophe.sources.values_list("source", "external_id")) == {
        ("Conseil départemental", "mednum-001"),
        ("Autre source", "autre-42"),
    }
    again = import_places(path, source="Autre source")
    assert again.count("Lieux").created == 0


def test_a_similar_name_close_by_waits_for_an_administrator(territory_28, places_v1, tmp_path):
    import_places(places_v1)
    header = places_v1.read_text(encoding="utf-8").splitlines()[0]
    row = "z1,,Mediatheque l’Apostrophe,Chartres,28000,28085,1 bd Viollette,,48.4470,1.4891,,,,,,,,Ville,,,2024-05-01,,,,,,,,,,,"
    path = tmp_path / "ville.csv"
    path.write_text(header + "\n" + row + "\n", encoding="utf-8")
    report = import_places(path)
    assert report.rejections[0].field == "pivot"  # empty pivot is a required field
    row = row.replace("z1,,", "z1,00000000000000,")
    path.write_text(header + "\n" + row + "\n", encoding="utf-8")
    report = import_places(path)
    assert report.notes["Doublons possibles mis en attente de modération"] == 1
    candidate = DuplicateCandidate.objects.get()
    assert candidate.place.name == "Médiathèque L'Apostrophe"
    assert candidate.row["nom"] == "Mediatheque l’Apostrophe"
    assert Place.objects.count() == 4


class BanStub(BaseHTTPRequestHandler):
    """A local stand-in of the national address API, answering one known address."""

    def do_GET(self):
        found = "Rieuville" in self.path
        body = {
            "features": [
                {"geometry": {"coordinates": [1.3712, 48.7351]}, "properties": {"score": 0.93}}
            ]
            if found
            else []
        }
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def geocoder(settings):
    server = HTTPServer(("127.0.0.1", 0), BanStub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.HUB_GEOCODER_URL = f"http://127.0.0.1:{server.server_port}/search/"
    yield
    server.shutdown()


def test_a_configured_geocoder_places_rows_without_coordinates(
    territory_28, places_v1, tmp_path, geocoder
):
    text = places_v1.read_text(encoding="utf-8").replace("48.7370,1.3665", ",")
    path = tmp_path / "lieux.csv"
    path.write_text(text, encoding="utf-8")
    report = import_places(path)
    assert report.rejections == []
    fablab = Place.objects.get(sources__external_id="mednum-003")
    assert (fablab.longitude, fablab.latitude) == (1.3712, 48.7351)
    assert not fablab.location_approximate
    assert report.notes["Lieux géocodés (API Adresse)"] == 1
    assert Offer.objects.filter(place=fablab).count() == 1


def test_an_administrator_settles_look_alikes_in_the_moderation_queue(
    territory_28, places_v1, tmp_path, admin_client
):
    import_places(places_v1)
    header = places_v1.read_text(encoding="utf-8").splitlines()[0]
    rows = [
        "z1,00000000000000,Mediatheque l’Apostrophe,Chartres,28000,28085,1 bd Viollette,,48.4470,1.4891,,,,,,,,Ville,,,2024-05-01,,,,,,,,,,,",
        "z2,00000000000000,Mediatheque Apostrophe,Chartres,28000,28085,1 bd Viollette,,48.4471,1.4890,,,,,,,,Ville,,,2024-05-01,,,,,,,,,,,",
    ]
    path = tmp_path / "ville.csv"
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    import_places(path)
    merge, apart = DuplicateCandidate.objects.order_by("external_id")
    url = "/admin/actors/duplicatecandidate/"
    admin_client.post(url, {"action": "merge", "_selected_action": [merge.pk]})
    admin_client.post(url, {"action": "keep_apart", "_selected_action": [apart.pk]})
    assert PlaceSource.objects.get(source="Ville", external_id="z1").place == merge.place
    created = Place.objects.get(sources__source="Ville", sources__external_id="z2")
    assert created != apart.place and created.name == "Mediatheque Apostrophe"
    assert set(DuplicateCandidate.objects.values_list("status", flat=True)) == {"merged", "created"}
    assert import_places(path).count("Lieux").unchanged == 2  # both now known: nothing queued again


@pytest.mark.django_db
def test_a_large_file_keeps_history_and_indexes(territory_28, places_v1, monkeypatch):
    from actors.importers import places as importer

    before = table_indexes("actors_historical%")
    monkeypatch.setattr(importer, "BULK_ROWS", 1)  # the fixture counts as a large file
    import_places(places_v1)
    assert table_indexes("actors_historical%") == before
    place = Place.objects.order_by("pk").first()
    assert place.history.get().history_type == "+"
    assert Offer.history.filter(place_id=place.pk).exists()


def test_a_file_with_every_row_twice_is_refused_naming_both_lines(
    territory_28, places_v1, tmp_path
):
    text = places_v1.read_text(encoding="utf-8")
    header, *rows = list(csv.reader(io.StringIO(text, newline="")))
    stream = io.StringIO(newline="")
    csv.writer(stream, lineterminator="\n").writerows([header, *rows, *rows])
    doubled = tmp_path / "lieux-double.csv"
    doubled.write_text(stream.getvalue(), encoding="utf-8")
    reader = csv.reader(io.StringIO(stream.getvalue(), newline=""))
    ends = [reader.line_num for _ in reader]  # the line each record ends on, as reported

    with pytest.raises(ImportFileError) as error:
        import_places(doubled)

    first, repeat = ends[1], ends[1 + len(rows)]
    assert f"identifiant « mednum-001 » en double (lignes {first} et {repeat})" in str(error.value)
    assert not Place.objects.exists()


def test_a_stray_latin_1_byte_is_reported_with_its_line_not_garbling_the_file(
    territory_28, places_v1, tmp_path
):
    """A UTF-8 file with one line pasted from a Windows-1252 spreadsheet: that line is named,
    and every other accent is read as written (not `MÃ©diathÃ¨que`)."""
    text = places_v1.read_text(encoding="utf-8")
    header, *rows = list(csv.reader(io.StringIO(text, newline="")))
    stray = list(rows[1])
    stray[2] = "Espace public numérique de Dreux"
    stream = io.StringIO(newline="")
    csv.writer(stream, lineterminator="\n").writerows([header, rows[0], rows[2]])
    good = stream.getvalue().encode("utf-8")
    stream = io.StringIO(newline="")
    csv.writer(stream, lineterminator="\n").writerow(stray)
    path = tmp_path / "lieux-melange.csv"
    path.write_bytes(good + stream.getvalue().encode("cp1252"))
    stray_line = good.count(b"\n") + 1

    report = import_places(path)

    assert Place.objects.get(name="Médiathèque L'Apostrophe")
    assert Place.objects.get(name="Espace public numérique de Dreux")
    assert any(
        w.startswith(f"lieux-melange.csv, ligne {stray_line} : octets hors UTF-8")
        for w in report.warnings
    ), report.warnings


def test_an_excel_mangled_phone_is_ignored_without_erasing_the_known_one(
    territory_28, places_v1, tmp_path
):
    import_places(places_v1)
    place = Place.objects.get(sources__external_id="mednum-001")
    assert place.phone == "+33237238100"
    mangled = tmp_path / "lieux-tableur.csv"
    mangled.write_text(
        places_v1.read_text(encoding="utf-8").replace("+33237238100", "3.32372E+11"),
        encoding="utf-8",
    )

    report = import_places(mangled)

    assert any("« 3.32372E+11 » hors du format attendu : ignoré" in w for w in report.warnings)
    place.refresh_from_db()
    assert place.phone == "+33237238100"
    assert report.count("Lieux").updated == 0


def test_coordinates_outside_france_are_rejected_with_the_reason(territory_28, places_v1, tmp_path):
    swapped = tmp_path / "lieux-inverses.csv"
    swapped.write_text(
        places_v1.read_text(encoding="utf-8").replace("48.4469,1.489", "1.489,48.4469"),
        encoding="utf-8",
    )

    report = import_places(swapped)

    assert [str(r) for r in report.rejections] == [
        "ligne 3, champ « latitude » : coordonnées hors de France (1.489, 48.4469) : "
        "latitude et longitude inversées ?"
    ]
    assert not Place.objects.filter(sources__external_id="mednum-001").exists()
    assert Place.objects.count() == 3
