"""One commune written twice in an ARCEP file, once with the leading zero a spreadsheet drops
(`1001` and `01001`), is the same key twice: refused naming both lines, never summed."""

import pytest

from cartography.importers.coverage import import_coverage
from cartography.models import Commune, CoverageSnapshot, Departement
from hub.imports import ImportFileError

pytestmark = pytest.mark.django_db
PREAMBLE = "Réseaux en fibre optique jusqu'à l'abonné (FttH),,,,\nDéploiement par Commune,,,,\n"


def test_a_commune_code_with_and_without_its_leading_zero_is_refused(tmp_path):
    ain = Departement.objects.create(code="01", name="Ain")
    Commune.objects.create(code="01001", name="L'Abergement-Clémenciat", departement=ain)
    path = tmp_path / "ftthCommunes.csv"
    path.write_text(
        PREAMBLE + "Code commune,Champ,T4 2017,T1 2018\n"
        "01001,Locaux Raccordables,100,120\n"
        "1001,Locaux Raccordables,100,120\n",
        encoding="utf-8",
    )
    with pytest.raises(
        ImportFileError, match=r"« 1001 Locaux Raccordables » en double \(lignes 4 et 5\)"
    ):
        import_coverage(path)
    assert not CoverageSnapshot.objects.exists()
