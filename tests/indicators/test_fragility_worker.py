"""An import of the fragility index reaches its indicators through a real Celery worker."""

import time
from pathlib import Path

import pytest

from cartography.importers.territory import TerritorySources, import_territory
from indicators.fragility import import_fragility
from indicators.models import FragilityScore, Value

FILE = (
    Path(__file__).resolve().parents[2]
    / "data/demo/fragility/ifn-mednum-design4green2020-dep28.csv"
)
GLOBAL_DEP = "fragilite-numerique-global-ref-departement"


def figure(level, code):
    found = Value.objects.filter(
        indicator__code=GLOBAL_DEP, level=level, territory_code=code, period="2020"
    )
    return found.values_list("value", flat=True).first()


@pytest.mark.django_db(transaction=True)
def test_imported_index_is_recomputed_by_the_worker(celery_worker_process, settings):
    settings.HUB_INDICATORS_DEBOUNCE_SECONDS = 1
    settings.HUB_INDICATORS_AUTO_RECOMPUTE = True
    import_territory("28", TerritorySources.demo())
    assert figure("commune", "28134") is None

    import_fragility(FILE)  # committed: the import queues the debounced recomputation

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and figure("departement", "28") is None:
        time.sleep(0.5)
    dreux = FragilityScore.objects.get(commune_code="28134")
    assert figure("commune", "28134") == pytest.approx(dreux.scores["global_departement"])
    assert figure("departement", "28") is not None
