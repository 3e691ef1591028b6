"""What asks for a recomputation: an import command, a place saved, a rule changed."""

import pytest
from django.core.management import call_command

from cartography.importers.coverage import DEMO_FILES
from equipment.models import MaturityCriterion
from indicators.tasks import take_pending

from .conftest import add_place


@pytest.fixture(autouse=True)
def nothing_pending(settings):
    settings.HUB_INDICATORS_AUTO_RECOMPUTE = True
    take_pending()


@pytest.mark.django_db
def test_a_coverage_import_asks_for_a_full_recomputation(
    territory_28, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_coverage", str(DEMO_FILES[0]))
    assert take_pending() is None  # all of France


@pytest.mark.django_db
def test_a_place_asks_for_its_commune_and_a_rule_for_every_commune(
    small_epci, django_capture_on_commit_callbacks
):
    village, _ = small_epci
    with django_capture_on_commit_callbacks(execute=True):
        add_place(village)
    assert take_pending() == ["28001"]
    with django_capture_on_commit_callbacks(execute=True):
        criterion = MaturityCriterion.objects.first()
        criterion.save()
    assert take_pending() is None
