"""Fixtures shared by the whole suite: real PostGIS (pytest-django), real Redis, a real Celery
worker, the demo territory, and Debian's Chromium driven by Playwright."""

import importlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from cartography.importers.territory import TerritorySources, import_territory
from tests.browser.helpers import wait_until_still

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _data_written_by_migrations(request):
    """Transactional tests empty every table when they end, the rows data migrations wrote
    included (the default maturity rules): tests using the database find them again."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & names
    )
    if not (marker or transactional or "db" in names):
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    from django.apps import apps

    from equipment.models import MaturityLevel

    if not MaturityLevel.objects.exists():
        importlib.import_module("equipment.migrations.0003_default_maturity_rules").create(
            apps, None
        )


@pytest.fixture
def territory_28(db):
    """Eure-et-Loir loaded from the committed demo files, through the real importer."""
    return import_territory("28", TerritorySources.demo())


@pytest.fixture
def demo_sources():
    return TerritorySources.demo()


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker):
    """A real Celery worker on the test broker and the test database, for the whole session."""
    from hub.celery import app

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hub.settings.test",
        "HUB_DATABASE_NAME": connection.settings_dict["NAME"],
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "hub", "worker", "--pool=solo"]
        + ["--hostname=hub-test@%h", "--without-mingle", "--without-gossip", "-l", "WARNING"],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
                if app.control.ping(timeout=1.0, connection=conn):
                    break
            if process.poll() is not None:
                pytest.fail("the Celery worker exited at start")
        else:
            pytest.fail("the Celery worker did not answer within 60 s")
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=settings.CHROMIUM_PATH, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe_source():
    return (ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text()


@pytest.fixture
def axe(axe_source):
    """Run axe-core in the page; returns the violations, each with its rule and nodes."""

    def run(page):
        wait_until_still(page)  # a popup fading in has, for a moment, too little contrast
        # Evaluated, not added as a <script>: the pages' CSP refuses inline scripts.
        page.evaluate(axe_source)
        return page.evaluate(
            """async () => {
                const result = await axe.run(document, {
                    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
                });
                return result.violations.map(v => ({
                    id: v.id, help: v.help, nodes: v.nodes.map(n => n.html).slice(0, 5),
                }));
            }"""
        )

    return run
