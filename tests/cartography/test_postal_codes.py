"""La Poste's postal codes: the import (both published layouts, old INSEE codes, a bad file
refused whole) and what it gives people: communes found by postal code, named with it."""

import pytest

from cartography.importers.postal_codes import DEMO_FILE, import_postal_codes
from cartography.models import PostalCode
from hub.imports import ImportFileError

pytestmark = pytest.mark.django_db


def codes_of(name):
    return sorted(PostalCode.objects.filter(commune__name=name).values_list("code", flat=True))


def test_the_demo_extract_imports_and_a_second_run_changes_nothing(territory_28):
    report = import_postal_codes(DEMO_FILE)
    assert report.counts["Codes postaux"].created == 370
    assert codes_of("Chartres") == ["28000"]
    assert codes_of("Dreux") == ["28100"]
    assert codes_of("Cintray") == ["28300"]  # its INSEE code is 28100: never confused
    # Rows under codes of communes merged since are kept, on the current commune.
    assert report.notes["codes de communes anciens rattachés à la commune actuelle"] == 2
    again = import_postal_codes(DEMO_FILE)
    counts = again.counts["Codes postaux"]
    assert (counts.created, counts.updated, counts.unchanged) == (0, 0, 370)


def test_the_newer_layout_and_rows_of_other_departements(territory_28, tmp_path):
    path = tmp_path / "base-officielle-codes-postaux.csv"
    path.write_text(
        "code_commune_insee,nom_de_la_commune,code_postal,libelle_d_acheminement,ligne_5\n"
        "28085,CHARTRES,28000,CHARTRES,\n"
        "45234,ORLEANS,45000,ORLEANS,\n"
        "28134,DREUX,28100,DREUX,\n",
        encoding="utf-8",
    )
    report = import_postal_codes(path)
    assert report.counts["Codes postaux"].created == 2
    assert report.notes["lignes hors des départements présents dans le hub (ignorées)"] == 1
    assert codes_of("Chartres") == ["28000"]


def test_a_bad_file_names_the_line_and_changes_nothing(territory_28, tmp_path):
    import_postal_codes(DEMO_FILE)
    path = tmp_path / "codes.csv"
    path.write_text(
        "#Code_commune_INSEE;Nom_de_la_commune;Code_postal;Libellé_d_acheminement;Ligne_5\n"
        "28085;CHARTRES;28999;CHARTRES;\n"
        "28134;DREUX;281OO;DREUX;\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFileError) as error:
        import_postal_codes(path)
    assert "ligne 3" in str(error.value) and "Code_postal" in str(error.value)
    assert "281OO" in str(error.value)
    assert codes_of("Chartres") == ["28000"]  # the first row was not written either
    assert PostalCode.objects.count() == 370

    path.write_text("INSEE;NOM;CP\n28085;CHARTRES;28000\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="en-tête de la base officielle"):
        import_postal_codes(path)


def test_the_commune_layer_names_postal_codes(territory_28, client):
    import_postal_codes(DEMO_FILE)
    data = client.get("/api/communes/", {"departement": "28", "q": "Cintray"}).json()
    (cintray,) = data["features"]
    assert cintray["properties"]["name"] == "Cintray"
    assert cintray["properties"]["codes_postaux"] == ["28300"]


def test_the_command_says_the_database_is_unchanged_on_a_bad_file(territory_28, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "codes.csv"
    path.write_text(
        "#Code_commune_INSEE;Nom_de_la_commune;Code_postal;Libellé_d_acheminement;Ligne_5\n"
        "28O85;CHARTRES;28000;CHARTRES;\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="base inchangée.*ligne 2"):
        call_command("import_postal_codes", str(path))
    assert not PostalCode.objects.exists()
