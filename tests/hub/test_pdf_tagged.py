"""Every PDF the hub draws is PDF/UA: tagged, titled and in French, as `pdfinfo` reads it (a
place's sheet, a territory's sheet, a coverage report)."""

import contextlib
import re
import subprocess
import zlib

import pytest

from actors.demo import load_demo_places
from actors.models import Place
from cartography.importers.coverage import load_demo_coverage
from cartography.reports import ReportScope, render_report
from hub.pdf import render_pdf

pytestmark = pytest.mark.django_db


def _read(content: bytes, tmp_path) -> dict:
    """What a reader's tools say of a PDF: pdfinfo's fields and metadata, and the catalogue's
    language (pdfinfo does not print it; it sits in a compressed object stream)."""
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    meta = subprocess.run(["pdfinfo", "-meta", str(path)], capture_output=True, text=True)
    fields = {
        key.strip(): value.strip()
        for key, _, value in (line.partition(":") for line in info.stdout.splitlines())
    }
    languages = set()
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.DOTALL):
        with contextlib.suppress(zlib.error):
            stream = zlib.decompress(stream)
        languages.update(re.findall(rb"/Lang \(([^)]*)\)", stream))
    return {**fields, "meta": meta.stdout, "languages": languages}


def _assert_pdf_ua(read: dict, title: str):
    assert read["Tagged"] == "yes"
    assert read["Title"] == title
    assert 'pdfuaid:part="1"' in read["meta"]  # declared PDF/UA-1
    assert read["languages"] == {b"fr"}


def test_a_place_sheet_is_tagged_titled_and_in_french(territory_28, client, tmp_path):
    load_demo_places()
    place = Place.objects.get(name__startswith="Bus numérique")
    response = client.get(f"/lieux/{place.pk}/fiche.pdf")
    _assert_pdf_ua(_read(response.content, tmp_path), f"Fiche d’orientation : {place.name}")

    response = client.get("/lieux/fiches.pdf", {"lieu": "Dreux"})
    _assert_pdf_ua(_read(response.content, tmp_path), "Fiches d’orientation : 3 lieux")


def test_a_territory_sheet_is_tagged_titled_and_in_french(territory_28, client, tmp_path):
    response = client.get("/territoires/departement/28/fiche.pdf")
    assert response.status_code == 200
    read = _read(response.content, tmp_path)
    _assert_pdf_ua(read, "Eure-et-Loir (département) : portrait du territoire")


def test_a_coverage_report_is_tagged_titled_and_in_french(territory_28, tmp_path):
    load_demo_coverage()
    scope = ReportScope.from_parameters({"period": "T1 2018", "departement": "28"})
    read = _read(render_report(scope, "pdf"), tmp_path)
    assert read["Tagged"] == "yes" and read["languages"] == {b"fr"}
    assert "Eure-et-Loir" in read["Title"] and "T1 2018" in read["Title"]
    assert 'pdfuaid:part="1"' in read["meta"]


def test_a_template_without_title_or_language_is_refused():
    with pytest.raises(ValueError, match="title"):
        render_pdf('<html lang="fr"><body><p>Bonjour</p></body></html>')
    with pytest.raises(ValueError, match="lang"):
        render_pdf("<html><head><title>Titre</title></head><body><p>Bonjour</p></body></html>")
