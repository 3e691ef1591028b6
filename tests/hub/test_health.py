"""GET /healthz against the real database, Redis and Celery worker."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_all_parts_answer_200(client, celery_worker_process):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["failing"] == []
    assert body["database"]["postgis"].startswith("3.")
    assert body["redis"] == {"ok": True}
    assert any(name.startswith("hub-test@") for name in body["celery"]["workers"])


def test_unreachable_redis_is_named_and_503(client, tmp_path):
    nowhere = f"unix://{tmp_path}/nothing.sock"
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": nowhere}
    }
    broker = f"redis+socket://{tmp_path}/nothing.sock"
    with override_settings(CACHES=caches, CELERY_BROKER_URL=broker):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["failing"] == ["redis", "celery"]
    assert body["database"]["ok"] is True
    assert "broker injoignable" in body["celery"]["error"]


def test_no_worker_is_named_and_503(client, settings):
    # A broker database no worker listens on: Redis answers, no worker does.
    db = settings.REDIS_BROKER_DB
    settings.CELERY_BROKER_URL = settings.CELERY_BROKER_URL.replace(
        f"virtual_host={db}", f"virtual_host={13 if db != 13 else 12}"
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["celery"]
    assert body["celery"]["error"] == "aucun worker Celery n'a répondu"
