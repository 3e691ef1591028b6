"""A place added in a commune reaches its indicators through a real Celery worker."""

import time

import pytest

from cartography.importers.territory import TerritorySources, import_territory
from cartography.models import Commune
from hub.models import Job
from indicators.models import Indicator, Value
from indicators.registry import recompute

from .conftest import add_place

PER_10K = "lieux-pour-10000-habitants"
CHARTRES = "28085"


def figure(level, code):
    found = Value.objects.filter(indicator__code=PER_10K, level=level, territory_code=code)
    return found.values_list("value", flat=True).first()


@pytest.mark.django_db(transaction=True)
def test_a_new_place_changes_its_commune_and_epci_after_the_worker_recomputes(
    celery_worker_process, settings
):
    settings.HUB_INDICATORS_DEBOUNCE_SECONDS = 1
    settings.HUB_INDICATORS_AUTO_RECOMPUTE = True
    import_territory("28", TerritorySources.demo())
    chartres = Commune.objects.select_related("epci").get(code=CHARTRES)
    recompute([PER_10K])
    assert figure("commune", CHARTRES) == 0
    assert figure("epci", chartres.epci.siren) == 0

    add_place(chartres)  # committed at once: the signal queues the debounced recomputation

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not figure("commune", CHARTRES):
        time.sleep(0.5)
    assert figure("commune", CHARTRES) == pytest.approx(10_000 / chartres.population)
    members = Commune.objects.filter(epci=chartres.epci)
    population = sum(c.population for c in members)
    assert figure("epci", chartres.epci.siren) == pytest.approx(10_000 / population)
    job = Job.objects.get(kind="indicators")
    assert job.state == Job.State.DONE and "mise(s) à jour" in job.report


@pytest.mark.django_db(transaction=True)
def test_an_administrator_asks_for_a_recomputation_run_by_the_worker(
    celery_worker_process, client, admin_user, small_epci
):
    from indicators.registry import sync_indicators

    sync_indicators()
    client.force_login(admin_user)
    indicator = Indicator.objects.get(code=PER_10K)
    response = client.post(
        "/admin/indicators/indicator/",
        {"action": "recompute", "_selected_action": [indicator.pk]},
        follow=True,
    )
    assert "Recalcul de 1 indicateur(s) demandé" in response.content.decode()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and figure("epci", "200000001") is None:
        time.sleep(0.5)
    assert figure("epci", "200000001") == 0
    job = Job.objects.get(kind="indicators")
    assert job.state == Job.State.DONE and PER_10K in job.title
