"""Names sort in French order ("Écrosnes" among the E, not after "Y") on the pages staff read,
in the database's ORDER BY and in Python-side sorts alike."""

import csv
import io
import re

import pytest
from django.contrib.auth import get_user_model

from accounts import roles
from accounts.services import ensure_role_groups, grant
from cartography.importers.coverage import load_demo_coverage
from cartography.models import Commune
from cartography.reports import ReportScope, render_report
from equipment.demo import load_demo_census, load_demo_schools
from hub.collation import french_key


def _before(names: list[str], first: str, second: str) -> bool:
    return names.index(first) < names.index(second)


def test_python_side_key_puts_accented_capitals_among_their_letter():
    names = ["Yermenonville", "Fontaine-la-Guyon", "Écrosnes", "Dreux", "épernon", "Zoé"]
    assert sorted(names, key=french_key) == [
        "Dreux",
        "Écrosnes",
        "épernon",
        "Fontaine-la-Guyon",
        "Yermenonville",
        "Zoé",
    ]


@pytest.mark.django_db
def test_database_orders_commune_names_in_french(territory_28):
    names = list(Commune.objects.order_by("name").values_list("name", flat=True))
    assert _before(names, "Dreux", "Écrosnes")
    assert _before(names, "Écrosnes", "Fontaine-la-Guyon")
    assert _before(names, "Épernon", "Yermenonville")


@pytest.mark.django_db
def test_schools_list_sorted_by_commune_puts_ecrosnes_between_dreux_and_fontaine(
    territory_28, client
):
    load_demo_schools()
    load_demo_census()
    ensure_role_groups()
    user = get_user_model().objects.create_user("dsden")
    grant(user, roles.DSDEN_STAFF, (roles.DEPARTEMENT, "28"))
    client.force_login(user)
    communes = []
    for page in range(1, 10):
        html = client.get("/ecoles/", {"tri": "commune", "page": page}).content.decode()
        rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
        communes += [c for row in rows for c in re.findall(r"<td>([^<]+)</td>", row)[:1]]
        if f"page={page + 1}" not in html:
            break
    communes = [c.strip() for c in communes]
    assert _before(communes, "Dreux", "Écrosnes")
    assert _before(communes, "Écrosnes", "Fontaine-Simon")


@pytest.mark.django_db
def test_coverage_report_lists_communes_in_french_order(territory_28):
    load_demo_coverage()
    scope = ReportScope.from_parameters({"period": "T1 2018", "departement": "28"})
    text = render_report(scope, "csv").decode("utf-8-sig")
    names = [r["nom"] for r in csv.DictReader(io.StringIO(text), delimiter=";")]
    assert _before(names, "Dreux", "Écrosnes")
    assert _before(names, "Écrosnes", "Fontaine-la-Guyon")
