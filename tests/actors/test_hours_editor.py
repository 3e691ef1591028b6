"""The hours editor of the médiateurs' space, phone numbers as the standard writes them, and
HTML entities of imported files decoded once."""

import csv
import re

import pytest

from actors import opening
from actors.demo import load_demo_places
from actors.exporters import rows
from actors.importers.places import import_places
from actors.models import Membership, Place

pytestmark = pytest.mark.django_db


@pytest.fixture
def fablab(territory_28, django_user_model, client):
    load_demo_places()
    place = Place.objects.get(name="Fablab de Chartres")  # We 14:00-19:00; Sa 10:00-18:00
    user = django_user_model.objects.create_user("lea", "lea@fablab.fr", "pw-solide-123")
    Membership.objects.create(structure=place.structure, user=user, status="active")
    client.force_login(user)
    return place


def form_data(**changes):
    data = {
        "place-name": "Fablab de Chartres",
        "place-address": "5 rue du Bourg",
        "place-postal_code": "28000",
        "offers-services": ["Loisirs et créations numériques"],
    }
    hours = re.compile(r"[A-Z][a-z]_[12]_(start|end)")
    return data | {
        f"hours-{k}" if hours.fullmatch(k) else f"place-{k}": v for k, v in changes.items()
    }


def test_the_week_reads_in_plain_french():
    assert (
        opening.in_words("Mo-Fr 09:00-12:00,14:00-17:00; Sa 10:00-12:00")
        == "du lundi au vendredi 9 h – 12 h, 14 h – 17 h ; samedi 10 h – 12 h"
    )
    assert opening.in_words("Mo 09:00-12:00,14:00-17:00") == "lundi 9 h – 12 h, 14 h – 17 h"
    assert opening.in_words("Tu,Th 14:00-18:30") == "mardi 14 h – 18 h 30 ; jeudi 14 h – 18 h 30"
    assert opening.in_words("pas lisible") == "pas lisible"  # kept as written


def test_the_history_shows_hours_in_plain_french(fablab, client):
    client.post(
        f"/espace/lieux/{fablab.pk}/modifier/",
        form_data(Mo_1_start="9h", Mo_1_end="12", Mo_2_start="1400", Mo_2_end="17:30"),
    )
    fablab.refresh_from_db()
    assert fablab.opening_hours == "Mo 09:00-12:00,14:00-17:30"
    history = client.get(f"/espace/lieux/{fablab.pk}/historique/").content.decode()
    assert "horaires d’ouverture" in history
    assert "lundi 9 h – 12 h, 14 h – 17 h 30" in history
    assert "mercredi 14 h – 19 h ; samedi 10 h – 18 h" in history  # before
    assert "Mo 09:00" not in history and "We 14:00-19:00" not in history


def test_an_afternoon_only_day_sits_in_the_afternoon_column(fablab, client):
    html = client.get(f"/espace/lieux/{fablab.pk}/modifier/").content.decode()
    assert 'name="hours-We_2_start" value="14:00"' in html
    assert 'name="hours-We_1_start" value=' not in html.replace('value=""', "")
    assert 'name="hours-Sa_1_start" value="10:00"' in html
    assert "Copier du lundi au vendredi" in html and "Copier sur les autres jours" in html


def test_an_error_names_its_day_and_sits_on_the_field(fablab, client):
    response = client.post(
        f"/espace/lieux/{fablab.pk}/modifier/",
        form_data(Tu_1_start="18:00", Tu_1_end="08:00", Th_2_start="25:00", Th_2_end="18:00"),
    )
    html = response.content.decode()
    message = "Mardi : la fermeture du matin doit être après l’ouverture."
    assert message in html
    assert f'<a href="#id_hours-Tu_1_end">{message}</a>' in html  # the error summary
    assert 'id="id_hours-Tu_1_end-errors">' + message in html
    field = re.search(r'<input [^>]*name="hours-Tu_1_end"[^>]*>', html)[0]
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="hours-hint id_hours-Tu_1_end-errors"' in field
    assert "Jeudi : heure d’ouverture de l’après-midi illisible" in html
    fablab.refresh_from_db()
    assert fablab.opening_hours == "We 14:00-19:00; Sa 10:00-18:00"


def test_a_typed_phone_is_saved_as_the_standard_writes_it(fablab, client):
    client.post(f"/espace/lieux/{fablab.pk}/modifier/", form_data(phone="02 37 47 00 00"))
    fablab.refresh_from_db()
    assert fablab.phone == "+33237470000"
    response = client.post(f"/espace/lieux/{fablab.pk}/modifier/", form_data(phone="12 34"))
    assert "Numéro de téléphone impossible : « 12 34 »" in response.content.decode()
    fablab.refresh_from_db()
    assert fablab.phone == "+33237470000"


def test_a_postal_code_is_five_digits(fablab, client):
    before = fablab.postal_code
    response = client.post(f"/espace/lieux/{fablab.pk}/modifier/", form_data(postal_code="28ab0"))
    assert "Code postal impossible : « 28ab0 »" in response.content.decode()
    response = client.patch(
        f"/api/places/{fablab.pk}/", {"postal_code": "2800"}, content_type="application/json"
    )
    assert response.status_code == 400 and "code postal impossible" in response.content.decode()
    fablab.refresh_from_db()
    assert fablab.postal_code == before


def test_the_api_normalises_or_refuses_a_phone(fablab, client):
    url = f"/api/places/{fablab.pk}/"
    response = client.patch(url, {"phone": "02.37.47.00.01"}, content_type="application/json")
    assert response.status_code == 200
    fablab.refresh_from_db()
    assert fablab.phone == "+33237470001"
    response = client.patch(url, {"phone": "0800"}, content_type="application/json")
    assert response.status_code == 400
    assert "numéro de téléphone impossible" in response.content.decode()


def test_a_phone_stored_as_typed_is_exported_in_the_standard_form(fablab):
    Place.objects.filter(pk=fablab.pk).update(phone="02 37 47 00 00")
    (row,) = list(rows(Place.objects.filter(pk=fablab.pk)))
    assert row["telephone"] == "+33237470000"


def test_html_entities_are_decoded_once_on_import(territory_28, tmp_path, places_v1):
    with places_v1.open(encoding="utf-8") as stream:
        reader = csv.DictReader(stream)
        columns, row = reader.fieldnames, next(reader)
    path = tmp_path / "entites.csv"
    row["nom"] = "Caf&eacute; &amp; num&#233;rique"
    row["presentation_resume"] = "L&#39;atelier &amp;amp; ses amis & co &copy"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=columns)
        writer.writeheader()
        writer.writerow(row)
    report = import_places(path)
    assert not report.rejections, report.rejections
    place = Place.objects.get()
    assert place.name == "Café & numérique"
    assert place.summary == "L'atelier &amp; ses amis & co &copy"  # once, and only entities


def test_legacy_values_written_with_entities_are_mapped(territory_28, tmp_path, places_v01):
    text = places_v01.read_text(encoding="utf-8").replace(
        "S’équiper en matériel informatique", "S&#39;&eacute;quiper en mat&eacute;riel informatique"
    )
    path = tmp_path / "lieux-v0.1-entites.csv"
    path.write_text(text.replace("Point numérique", "Point num&eacute;rique &amp; CCAS"), "utf-8")
    report = import_places(path)
    assert not report.rejections and not report.warnings, report.warnings
    place = Place.objects.get(name="Point numérique & CCAS")
    services = {offer.service for offer in place.offers.all()}
    assert "Acquisition de matériel informatique à prix solidaire" in services
