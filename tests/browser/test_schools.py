"""The census in Chromium: a director answers, and DSDEN staff see the school change level on
the map; the form and the map page pass axe-core."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from accounts import roles
from accounts.services import ensure_role_groups, grant
from cartography.importers.territory import TerritorySources, import_territory
from cartography.models import Commune
from equipment.gaps import LEVEL_SYMBOLS
from equipment.models import Campaign, Circonscription, School, SchoolDirector
from tests.browser.helpers import wait_until_still

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "un-mot-de-passe-2026"
UAI = "0280001A"


@pytest.fixture
def site(transactional_db, live_server):
    import_territory("28", TerritorySources.demo())
    ensure_role_groups()
    circo = Circonscription.objects.create(name="Chartres 1", departement_code="28")
    for uai, name, code in [
        (UAI, "École Jean Moulin", "28085"),
        ("0280003C", "École Rotrou", "28134"),
    ]:
        commune = Commune.objects.get(code=code)
        School.objects.create(
            uai=uai, name=name, kind="elementaire", departement_code="28", commune=commune,
            commune_code=code, circonscription=circo, source="annuaire",
            location=commune.geometry.point_on_surface,
        )  # fmt: skip
    Campaign.objects.create(
        school_year="2025-2026",
        title="Recensement 2025",
        opens_on=datetime.date(2025, 9, 1),
        closes_on=datetime.date(2025, 12, 19),
        kinds=["elementaire"],
    )
    users = get_user_model().objects
    grant(
        users.create_user("agent", "agent@dsden.fr", PASSWORD),
        roles.DSDEN_STAFF,
        (roles.DEPARTEMENT, "28"),
    )
    director = users.create_user("directrice", "dir@ecole.fr", PASSWORD)
    SchoolDirector.objects.create(user=director, school=School.objects.get(uai=UAI))
    return live_server.url


def log_in(browser, url, username):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(url + "/comptes/connexion/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se connecter")).to_have_count(0)
    return page


def school_level(page):
    """The school's marker: its colour and shape, and what a screen reader hears."""
    page.goto(page.url.split("/ecoles/")[0] + "/ecoles/")
    expect(page.locator("#map-status")).to_have_text("2 écoles sur la carte.")
    marker = page.locator(f"#schools-map [data-school='{UAI}']")
    path = marker.locator("path")
    return path.get_attribute("fill"), path.get_attribute("d"), marker.text_content()


def test_a_director_answers_and_dsden_sees_the_level_change_on_the_map(browser, site, axe):
    dsden = log_in(browser, site, "agent")
    dsden.goto(site + "/ecoles/")
    colour, shape, name = school_level(dsden)  # no answer yet
    assert colour == LEVEL_SYMBOLS[None][0] and name == "École Jean Moulin, sans réponse"
    assert axe(dsden) == []

    director = log_in(browser, site, "directrice")
    director.goto(site + f"/ecoles/{UAI}/")
    director.get_by_role("link", name="Répondre au recensement 2025-2026").click()
    assert axe(director) == []
    director.get_by_label("Nombre d'élèves").fill("120")
    director.get_by_label("Ordinateurs portables : nombre total").fill("16")
    director.get_by_label("Ordinateurs portables : dont utilisables par les élèves").fill("18")
    director.get_by_label("Connexion internet").select_option(label="fibre optique")
    director.get_by_label("Débit descendant mesuré").fill("95,5")
    director.get_by_label("Wi-Fi dans les classes").select_option(label="une partie des classes")
    director.get_by_label("ENT ou plateforme scolaire").select_option(label="Beneylu School")
    director.get_by_role("button", name="Enregistrer la réponse").click()

    field = director.get_by_label("Ordinateurs portables : dont utilisables par les élèves")
    expect(field).to_have_value("18")
    expect(director.get_by_text("Plus que le total (16).")).to_be_visible()
    assert axe(director) == []
    field.fill("16")
    director.get_by_role("button", name="Enregistrer la réponse").click()
    expect(director.get_by_text("Réponse enregistrée")).to_be_visible()
    expect(director.locator("#answers")).to_contain_text("13,3")  # 16 laptops for 120 pupils

    # 13.3 terminals per 100 pupils, Wi-Fi, 95 Mbit/s: level 2 (Wi-Fi only in some rooms).
    colour, level_shape, name = school_level(dsden)
    assert colour == LEVEL_SYMBOLS[2][0] and level_shape != shape  # a new shape, not only colour
    assert name == "École Jean Moulin, niveau 2 : Équipée"
    wait_until_still(dsden)  # the map zooms to the schools first
    dsden.locator(f"#schools-map [data-school='{UAI}']").click()
    popup = dsden.locator("#schools-map .leaflet-popup-content")
    expect(popup).to_contain_text("niveau 2 : Équipée")
    expect(popup).to_contain_text("niveau 2 : aucun écran interactif ou vidéoprojecteur en classe")


def test_the_other_school_pages_are_accessible(browser, site, axe):
    dsden = log_in(browser, site, "agent")
    for path in (f"/ecoles/{UAI}/", "/ecoles/campagnes/nouvelle/", "/ecoles/?niveau=aucun"):
        dsden.goto(site + path)
        assert axe(dsden) == [], path
    dsden.get_by_role("link", name="Chiffres publics par commune").click()
    expect(dsden.get_by_role("heading", level=1)).to_have_text(
        "Équipement numérique des écoles par commune"
    )
    assert axe(dsden) == []
