"""The legal pages of a State service: linked from every page's footer as the DSFR requires,
filled from the settings a deployment sets (publisher, host, contacts, accessibility state)."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from hub.legal import CHECKED_PAGES

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    """What a reader sees of the page's main content, tags and spacing removed."""
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", main)))


def _footer_links(response) -> dict[str, str]:
    html = response.content.decode()
    footer = html[html.index('<div class="fr-footer__bottom">') :]
    links = re.findall(r'class="fr-footer__bottom-link" href="([^"]+)">([^<]+)</a>', footer)
    return {unescape(label): href for href, label in links}


def test_every_page_footer_links_the_four_legal_pages_with_the_compliance_state(client):
    for path in ["/lieux/", "/comptes/connexion/", "/page-introuvable/"]:
        links = _footer_links(client.get(path))
        assert links == {
            "Plan du site": "/plan-du-site/",
            "Accessibilité : partiellement conforme": "/accessibilite/",
            "Mentions légales": "/mentions-legales/",
            "Données personnelles": "/donnees-personnelles/",
        }, path  # no "Gestion des cookies": only strictly necessary cookies


def test_the_footer_follows_the_declared_state(client, settings):
    settings.HUB_ACCESSIBILITY_STATUS = "non conforme"
    assert "Accessibilité : non conforme" in _footer_links(client.get("/plan-du-site/"))
    declaration = _text(client.get("/accessibilite/"))
    assert (
        "Le site Hub de l’inclusion numérique est non conforme avec le référentiel" in declaration
    )


def test_a_misspelt_state_is_refused_rather_than_published(client, settings):
    settings.HUB_ACCESSIBILITY_STATUS = "conforme à peu près"
    with pytest.raises(ImproperlyConfigured, match="HUB_ACCESSIBILITY_STATUS"):
        client.get("/accessibilite/")


def test_the_declaration_follows_the_rgaa_model(client, settings):
    settings.HUB_PUBLISHER_NAME = "Préfecture du Loiret"
    settings.HUB_ACCESSIBILITY_CONTACT = "accessibilite@loiret.gouv.fr"
    settings.HUB_ACCESSIBILITY_CHECKED_ON = "2026-11-20"
    response = client.get("/accessibilite/")
    assert response.status_code == 200
    text = _text(response)
    assert "Préfecture du Loiret s’engage à rendre" in text
    assert "est partiellement conforme avec le référentiel général d’amélioration" in text
    assert "RGAA), version 4.1" in text
    assert "Cette déclaration a été établie le 20 novembre 2026." in text
    for heading in [
        "État de conformité",
        "Résultats des tests",
        "Non-conformités",
        "Dérogations pour charge disproportionnée",
        "Contenus non soumis à l’obligation d’accessibilité",
        "Technologies utilisées pour la réalisation du site",
        "Environnement de test",
        "Retour d’information et contact",
        "Voies de recours",
    ]:
        assert f"<h2>{heading}</h2>" in response.content.decode() or f"<h3>{heading}</h3>" in (
            response.content.decode()
        ), heading
    assert 'href="mailto:accessibilite@loiret.gouv.fr"' in response.content.decode()
    assert "Chromium" in text and "axe-core" in text and "clavier" in text
    # The three means of redress of the model.
    assert "https://formulaire.defenseurdesdroits.fr/" in response.content.decode()
    assert "délégué du Défenseur des droits dans votre région" in text
    assert "Libre réponse 71120 75342 Paris CEDEX 07" in text
    # The pages the browser test checks, each listed with its address.
    for label, _ in CHECKED_PAGES:
        assert label in text
    assert "/territoires/commune/<code INSEE>/" in text


def test_the_legal_notice_names_publisher_director_host_and_licences(client, settings):
    settings.HUB_PUBLISHER_NAME = "Préfecture du Loiret"
    settings.HUB_PUBLISHER_ADDRESS = "181 rue de Bourgogne, 45042 Orléans"
    settings.HUB_PUBLICATION_DIRECTOR = "La préfète du Loiret"
    settings.HUB_HOST_NAME = "OVH SAS"
    settings.HUB_HOST_ADDRESS = "2 rue Kellermann, 59100 Roubaix"
    settings.HUB_SOURCE_CODE_URL = "https://code.example.org/hub"
    text = _text(client.get("/mentions-legales/"))
    for expected in [
        "Préfecture du Loiret 181 rue de Bourgogne, 45042 Orléans",
        "Directeur de la publication La préfète du Loiret",
        "Hébergement OVH SAS 2 rue Kellermann, 59100 Roubaix",
        "Licence Ouverte 2.0",
        "AGPL",
        "https://code.example.org/hub",
        "INSEE",
        "ARCEP",
    ]:
        assert expected in text, expected


def test_the_personal_data_page_covers_each_role_rights_and_cookies(client, settings):
    settings.HUB_DPO_CONTACT = "dpd@loiret.gouv.fr"
    response = client.get("/donnees-personnelles/")
    text = _text(response)
    for section in [
        "Vous consultez le site sans compte",
        "Vous signalez une erreur sur la fiche d’un lieu",
        "Vous donnez votre avis sur une ressource ou y signalez un problème",
        "Vous vous inscrivez à un atelier",
        "Votre structure reçoit la lettre des appels à projets",
        "Vous êtes médiateur ou médiatrice numérique",
        "Vous êtes agent de la DSDEN, de la préfecture ou d’une collectivité",
        "Vous êtes directeur ou directrice d’école, ou ERUN",
        "Pour tous les comptes : la connexion",
    ]:
        assert section in text, section
        part = text[text.index(section) :]
        for item in ["Données :", "Pourquoi :", "Combien de temps :", "Qui les reçoit :"]:
            assert item in part[:1500], (section, item)
    assert "csrftoken" in text and "sessionid" in text and "14 jours au plus" in text
    assert "pas de gestion des cookies" in text
    for right in ["accéder", "rectifier", "effacer", "vous opposer"]:
        assert right in text
    assert "CNIL" in text
    assert 'href="mailto:dpd@loiret.gouv.fr"' in response.content.decode()


def test_the_site_map_lists_the_menu_the_account_and_the_legal_pages():
    anonymous = _text(Client().get("/plan-du-site/"))
    for label in ["Trouver de l’aide", "Couverture fibre", "Tableaux de bord", "Se connecter"]:
        assert label in anonymous
    assert "Mentions légales" in anonymous and "Mon espace" not in anonymous
    # Public pages outside the menu, the default département's page among them.
    links = Client().get("/plan-du-site/").content.decode()
    assert 'href="/ecoles/communes/"' in links and 'href="/territoires/departement/28/"' in links
    assert "/page-introuvable/" not in links

    get_user_model().objects.create_user("lea", "lea@example.org", "un-mot-de-passe-2026")
    client = Client()
    client.login(username="lea", password="un-mot-de-passe-2026")
    signed_in = _text(client.get("/plan-du-site/"))
    assert "Mon espace" in signed_in and "Se connecter" not in signed_in


def test_the_sign_in_journal_is_erased_after_the_days_the_page_states(client, settings):
    from axes.models import AccessLog
    from django.utils import timezone
    from django_celery_beat.models import PeriodicTask

    from hub.tasks import purge_sign_in_log

    settings.HUB_SIGN_IN_LOG_DAYS = 30
    assert "effacé automatiquement après 30 jours" in _text(client.get("/donnees-personnelles/"))
    now = timezone.now()
    for username, age in [("ancien", 31), ("recent", 29)]:
        entry = AccessLog.objects.create(username=username, ip_address="192.0.2.1", user_agent="x")
        AccessLog.objects.filter(pk=entry.pk).update(attempt_time=now - timedelta(days=age))
    assert purge_sign_in_log() == 1
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["recent"]
    # Run every day by Celery beat (the schedule an administrator may change).
    assert PeriodicTask.objects.get(task="hub.purge_sign_in_log").interval.period == "days"
