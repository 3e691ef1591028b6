"""Every page carries a strict Content-Security-Policy, and no template writes inline script."""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


@pytest.mark.parametrize("path", ["/", "/lieux/", "/comptes/connexion/", "/api/docs/"])
def test_pages_forbid_inline_and_third_party_scripts(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    for values in policy.values():
        assert not any("googleapis" in v or "cdn" in v for v in values)


def test_the_api_documentation_loads_nothing_from_elsewhere(client):
    html = client.get("/api/docs/").content.decode()
    assert "fonts.googleapis.com" not in html
    scripts = re.findall(r'<script[^>]* src="([^"]+)"', html)
    assert all(src.startswith("/static/") for src in scripts), scripts
    assert "<script>" not in html
    assert "<h1>Documentation de l’API</h1>" in html


def test_no_template_writes_an_inline_script_or_event_handler():
    templates = [p for p in ROOT.glob("**/templates/**/*.html") if ".venv" not in p.parts]
    offenders = []
    for path in templates:
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b([^>]*)>", text):
            attributes = match.group(1)
            if "src=" not in attributes and "application/json" not in attributes:
                offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
        offenders += [
            f"{path.relative_to(ROOT)}: {m.group(0)}"
            for m in re.finditer(r"\son[a-z]+\s*=\s*[\"']", text)
        ]
        if "{% leaflet_map" in text:
            offenders.append(f"{path.relative_to(ROOT)}: leaflet_map (inline script)")
    assert offenders == []
