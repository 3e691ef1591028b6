"""The territory import as a Celery task, run by a real worker."""

import time

import pytest

from cartography.models import EPCI, Commune
from cartography.tasks import import_territory_task


@pytest.mark.django_db(transaction=True)
def test_the_worker_imports_the_territory(celery_worker_process):
    import_territory_task.delay("28")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and EPCI.objects.exclude(geometry=None).count() < 12:
        time.sleep(0.5)
    assert Commune.objects.in_departement("28").count() == 363
    assert EPCI.objects.exclude(geometry=None).count() == 12
