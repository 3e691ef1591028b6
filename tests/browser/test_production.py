"""Production looks like development: pages served with the production settings (static files
collected by the manifest storage and served by WhiteNoise under gunicorn) get the DSFR styles."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from playwright.sync_api import expect

from tests.security.test_deploy import production_env

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def production_static(tmp_path_factory):
    """Static files as production collects them; `bin/hub test` collects them once beforehand
    (HUB_PRODUCTION_STATIC), otherwise they are collected here."""
    ready = os.environ.get("HUB_PRODUCTION_STATIC")
    if ready and (Path(ready) / "staticfiles.json").exists():
        return Path(ready)
    root = tmp_path_factory.mktemp("production-static")
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=production_env(DJANGO_STATIC_ROOT=str(root)),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return root


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def production_server(production_static, transactional_db):
    port = free_port()
    env = production_env(
        DJANGO_STATIC_ROOT=str(production_static),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        HUB_DATABASE_NAME=connection.settings_dict["NAME"],
        # Plain HTTP on the loopback, without the TLS proxy production sits behind.
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_COOKIES="false",
        DJANGO_BEHIND_PROXY="false",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "hub.wsgi", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "1", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("gunicorn with the production settings did not start")
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_page_served_with_production_settings_has_the_dsfr_styles(page, production_server):
    refused = []
    page.on("console", lambda m: m.type == "error" and refused.append(m.text))
    response = page.goto(production_server + "/comptes/connexion/")
    assert response.status == 200
    assert "content-security-policy" in response.headers
    stylesheet = page.locator("link[rel=stylesheet]").first.get_attribute("href")
    assert stylesheet.startswith("/static/vendor/dsfr/dsfr.") and ".css" in stylesheet
    assert stylesheet != "/static/vendor/dsfr/dsfr.css"  # the manifest's hashed name

    body_font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert body_font.startswith("Marianne")
    button = page.get_by_role("button", name="Se connecter")
    expect(button).to_have_css("background-color", "rgb(0, 0, 145)")  # DSFR's blue France
    assert refused == []
