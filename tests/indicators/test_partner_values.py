"""Partners' figures imported from a simple CSV, by command or admin upload."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from indicators.models import Indicator, Obtained, Value, ValueStatus

HEADER = "indicateur;echelon;code_territoire;periode;valeur\n"


@pytest.fixture
def pix(small_epci):
    return Indicator.objects.create(
        code="certifications-pix",
        name="Certifications Pix",
        obtained=Obtained.IMPORTED,
        levels=["commune", "epci"],
    )


def csv_file(tmp_path, body, name="pix.csv"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def state():
    return sorted(Value.objects.values_list("territory_code", "period", "value", "status"))


@pytest.mark.django_db
def test_a_partner_file_is_imported_and_reimporting_changes_nothing(tmp_path, pix):
    path = csv_file(
        tmp_path,
        "certifications-pix;commune;28001;2025;12\ncertifications-pix;epci;200000001;2025;40,5\n",
    )
    call_command("import_indicator_values", str(path))
    assert state() == [
        ("200000001", "2025", 40.5, ValueStatus.IMPORTED),
        ("28001", "2025", 12.0, ValueStatus.IMPORTED),
    ]
    first = Value.objects.get(territory_code="28001")
    assert first.computed_at is not None and first.data_vintage == "fichier pix.csv"
    call_command("import_indicator_values", str(path))
    assert Value.objects.get(territory_code="28001").computed_at == first.computed_at


@pytest.mark.django_db
def test_a_duplicated_key_is_refused_naming_both_lines_and_changes_nothing(tmp_path, pix):
    call_command(
        "import_indicator_values",
        str(csv_file(tmp_path, "certifications-pix;commune;28001;2025;12\n")),
    )
    before = state()
    path = csv_file(
        tmp_path,
        "certifications-pix;commune;28002;2025;3\n"
        "certifications-pix;commune;28001;2025;99\n"
        "certifications-pix;commune;28001;2025;98\n",
        name="doublon.csv",
    )
    with pytest.raises(CommandError) as error:
        call_command("import_indicator_values", str(path))
    assert "base inchangée" in str(error.value)
    assert "lignes 3 et 4" in str(error.value) and "28001" in str(error.value)
    assert state() == before


@pytest.mark.django_db
def test_bad_rows_are_listed_with_line_and_reason_and_nothing_is_written(tmp_path, pix):
    Indicator.objects.create(code="calcule", name="Calculé", obtained=Obtained.COMPUTED)
    path = csv_file(
        tmp_path,
        "certifications-pix;commune;28001;2025;12\n"
        "inconnu;commune;28001;2025;1\n"
        "certifications-pix;commune;99999;2025;1\n"
        "certifications-pix;departement;28;2025;1\n"
        "certifications-pix;commune;28002;2025;douze\n"
        "calcule;commune;28002;2025;1\n",
    )
    with pytest.raises(CommandError) as error:
        call_command("import_indicator_values", str(path))
    message = str(error.value)
    assert "5 ligne(s) refusée(s)" in message
    assert "ligne 3, champ « indicateur » : indicateur inconnu : « inconnu »" in message
    assert "ligne 4, champ « code_territoire » : commune « 99999 » inconnu du hub" in message
    assert "ligne 5, champ « echelon »" in message
    assert "ligne 6, champ « valeur » : nombre illisible : « douze »" in message
    assert "ligne 7, champ « indicateur » : « calcule » est calculé par le hub" in message
    assert Value.objects.count() == 0


@pytest.mark.django_db
def test_an_administrator_uploads_partner_figures_in_the_admin(client, admin_user, pix):
    client.force_login(admin_user)
    page = client.get("/admin/indicators/indicator/").content.decode()
    assert "/admin/indicators/indicator/importer-valeurs/" in page
    url = "/admin/indicators/indicator/importer-valeurs/"
    twice = (HEADER + "certifications-pix;commune;28001;2025;1\n" * 2).encode()
    response = client.post(url, {"file": SimpleUploadedFile("pix.csv", twice)})
    html = response.content.decode()
    assert "base inchangée" in html and "lignes 2 et 3" in html
    assert Value.objects.count() == 0
    good = (HEADER + "certifications-pix;commune;28001;2025;7\n").encode()
    response = client.post(url, {"file": SimpleUploadedFile("pix.csv", good)}, follow=True)
    assert "1 créé(s)" in response.content.decode()
    assert state() == [("28001", "2025", 7.0, ValueStatus.IMPORTED)]


@pytest.mark.django_db
def test_computed_values_are_read_only_in_the_admin_and_imported_ones_editable(
    client, admin_user, pix
):
    from indicators.registry import recompute

    recompute(["lieux-pour-10000-habitants"])
    computed = Value.objects.filter(indicator__code="lieux-pour-10000-habitants").first()
    imported = Value.objects.create(
        indicator=pix, level="commune", territory_code="28001", period="2025", status="imported"
    )
    client.force_login(admin_user)
    page = client.get(f"/admin/indicators/value/{computed.pk}/change/").content.decode()
    assert 'name="value"' not in page
    page = client.get(f"/admin/indicators/value/{imported.pk}/change/").content.decode()
    assert 'name="value"' in page
