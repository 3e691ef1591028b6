"""What every benchmark shares: its own fresh database, Django set up on it, timing helpers."""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def setup_django() -> None:
    """Point Django at a fresh `hub_bench` database (or BENCH_DATABASE_URL) and migrate it."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings.dev")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    if os.environ.get("BENCH_DATABASE_URL"):
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    else:
        import psycopg

        os.environ["HUB_DATABASE_NAME"] = "hub_bench"
        with psycopg.connect(
            host=str(ROOT / "var" / "run"), user="hub", dbname="postgres", autocommit=True
        ) as c:
            # A fresh database each run, so figures do not depend on what earlier runs left.
            c.execute("drop database if exists hub_bench")
            c.execute("create database hub_bench")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def p95(samples) -> float:
    return statistics.quantiles(samples, n=20)[18] * 1000


def timed(fn, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples
