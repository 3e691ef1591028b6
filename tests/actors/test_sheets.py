"""Printable orientation sheets: real PDFs, read back with poppler."""

import subprocess

import pytest

from actors.demo import load_demo_places
from actors.models import Place

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "fiche.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_pages(content: bytes, tmp_path) -> int:
    path = tmp_path / "fiches.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])


def test_one_place_sheet(territory_28, client, tmp_path):
    load_demo_places()
    bus = Place.objects.get(name__startswith="Bus numérique")
    response = client.get(f"/lieux/{bus.pk}/fiche.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "Bus numérique du Perche" in text
    assert "Illiers-Combray" in text
    assert "Gommerville, Place de la mairie : jeudi 9 h 30 – 12 h, 14 h – 16 h 30" in text
    assert "Aide aux démarches administratives" in text
    assert "Donnée de démonstration" in text
    phone = bus.phone  # +33237…, printed the French way
    assert f"0{phone[3]} {phone[4:6]} {phone[6:8]} {phone[8:10]} {phone[10:12]}" in text


def test_a_selection_prints_one_page_per_place(territory_28, client, tmp_path):
    load_demo_places()
    response = client.get("/lieux/fiches.pdf", {"lieu": "Dreux"})
    assert pdf_pages(response.content, tmp_path) == 3
    text = pdf_text(response.content, tmp_path)
    assert "France Services" not in text
    assert "Conseiller numérique du CCAS de Dreux" in text
