"""The DGCL EPCI workbook repeated below itself is refused naming both lines, like the other
territory files: a member commune listed twice is a concatenated file, not two memberships."""

from dataclasses import replace

import pytest
from openpyxl import load_workbook

from cartography.importers.territory import import_territory
from cartography.models import EPCI, Commune
from hub.imports import ImportFileError

pytestmark = pytest.mark.django_db


def test_an_epci_workbook_with_every_row_twice_is_refused_naming_both_lines(
    territory_28, demo_sources, tmp_path
):
    workbook = load_workbook(demo_sources.epci)
    sheet = workbook.active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    for row in rows:
        sheet.append(row)
    doubled = tmp_path / "epcicom-double.xlsx"
    workbook.save(doubled)
    before = sorted(Commune.objects.values_list("code", "epci__siren"))

    first = str(rows[0][[c.value for c in sheet[1]].index("insee")])
    with pytest.raises(
        ImportFileError, match=rf"« {first} » en double \(lignes 2 et {len(rows) + 2}\)"
    ):
        import_territory("28", replace(demo_sources, epci=doubled))
    assert sorted(Commune.objects.values_list("code", "epci__siren")) == before
    assert EPCI.objects.count() == 12
