"""GET /healthz: is every part the hub needs answering? Each check is real, none is cached."""

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from .celery import app as celery_app

TIMEOUT = 2.0


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT postgis_lib_version()")
            return {"ok": True, "postgis": cursor.fetchone()[0]}
    except Exception as exc:  # noqa: BLE001 - any failure is the answer
        return {"ok": False, "error": str(exc).strip()}


def check_redis() -> dict:
    try:
        client = redis.Redis.from_url(
            settings.CACHES["default"]["LOCATION"],
            socket_timeout=TIMEOUT,
            socket_connect_timeout=TIMEOUT,
        )
        client.ping()
        return {"ok": True}
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "error": str(exc)}


def check_celery() -> dict:
    try:
        with celery_app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=TIMEOUT)
            replies = celery_app.control.ping(timeout=TIMEOUT, connection=conn)
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "error": f"broker injoignable : {exc}"}
    workers = sorted(name for reply in replies for name in reply)
    if not workers:
        return {"ok": False, "error": "aucun worker Celery n'a répondu"}
    return {"ok": True, "workers": workers}


@never_cache
def healthz(request):
    checks = {"database": check_database(), "redis": check_redis(), "celery": check_celery()}
    failing = [name for name, result in checks.items() if not result["ok"]]
    body = {"status": "error" if failing else "ok", "failing": failing, **checks}
    return JsonResponse(body, status=503 if failing else 200)
