"""The gap list (/ecoles/) opens on the largest gaps: the lowest maturity level first, the fewest
terminals for the national reference within a level, schools without an answer next and the
schools that lack nothing last; another sort stays one choice away."""

import re

import pytest
from django.contrib.auth import get_user_model

from accounts import roles
from accounts.services import ensure_role_groups, grant
from equipment.demo import load_demo_census, load_demo_schools
from equipment.models import NATIONAL_REFERENCE, CensusAnswer, MaturityLevel, School


@pytest.fixture
def dsden_client(territory_28, client):
    load_demo_schools()
    load_demo_census()
    ensure_role_groups()
    user = get_user_model().objects.create_user("dsden")
    grant(user, roles.DSDEN_STAFF, (roles.DEPARTEMENT, "28"))
    client.force_login(user)
    return client


def listed(client, **query) -> list[tuple[str, str]]:
    """(school UAI, level cell) of every row of every page, in the order shown."""
    rows = []
    for page in range(1, 20):
        html = client.get("/ecoles/", {**query, "page": page}).content.decode()
        for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
            cells = re.findall(r"<td>(.*?)</td>", row, re.S)
            if len(cells) > 3:
                uai = re.search(r"\b\d{7}[A-Z]\b", cells[0])[0]
                rows.append((uai, cells[3].strip()))
        if f"page={page + 1}" not in html:
            break
    return rows


@pytest.mark.django_db
def test_gap_list_starts_with_the_largest_gaps(dsden_client):
    top = max(MaturityLevel.objects.values_list("number", flat=True))
    rows = listed(dsden_client)
    assert len(rows) == School.objects.exclude(status="closed").count()
    levels = [cell for _, cell in rows]
    assert levels[0] == "0"
    answered_below_top = [c for c in levels if c != "sans réponse" and int(c) < top]
    # Levels rise from the first row; unanswered come after them, the top level last.
    assert levels[: len(answered_below_top)] == sorted(answered_below_top, key=int)
    unanswered = levels.count("sans réponse")
    assert unanswered > 0
    assert set(levels[len(answered_below_top) : len(answered_below_top) + unanswered]) == {
        "sans réponse"
    }
    assert set(levels[len(answered_below_top) + unanswered :]) == {str(top)}

    # Within the lowest level, the fewest terminals relative to the national reference first.
    answers = {
        a.school.uai: a.terminals_per_100_pupils / NATIONAL_REFERENCE[a.school.kind]
        for a in CensusAnswer.objects.select_related("school").filter(level=0)
    }
    ratios = [answers[uai] for uai, level in rows if level == "0"]
    assert len(ratios) > 1 and ratios == sorted(ratios)


@pytest.mark.django_db
def test_gap_list_offers_the_gap_order_first_and_keeps_other_sorts(dsden_client):
    html = dsden_client.get("/ecoles/").content.decode()
    options = re.search(r'<select[^>]*name="tri"[^>]*>(.*?)</select>', html, re.S)[1]
    assert re.findall(r"<option[^>]*>([^<]*)</option>", options)[0] == (
        "plus grands manques d’abord"
    )
    by_level_desc = [cell for _, cell in listed(dsden_client, tri="-niveau")]
    top = max(MaturityLevel.objects.values_list("number", flat=True))
    assert by_level_desc[0] == str(top)
