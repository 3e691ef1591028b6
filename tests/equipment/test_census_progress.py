"""Following a campaign: who has answered in each circonscription, and the reminders e-mailed to
the directors of the schools that have not, sent by the task and by a real Celery worker."""

import io
import re
import time

import pytest
from django.conf import settings
from django.core import mail
from openpyxl import load_workbook
from playwright.sync_api import expect

from equipment.census_files import census_template
from equipment.models import CensusAnswer, SchoolDirector
from equipment.tasks import remind_census

# The census fixture and helpers are the spreadsheet tests' own: one set of test data.
from .test_census_files import census, fill, page_text, url  # noqa: F401


@pytest.fixture
def progress(census):  # noqa: F811
    """Jean Moulin has answered (by its director); the Lilas, Rotrou and Dreux's school have
    not. Their directors: one per school, Rotrou's also directs Dreux's school, and one
    director has no e-mail address."""
    CensusAnswer.objects.create(
        campaign=census.campaign, school=census.schools["0280001A"], pupils=120,
        laptops_total=14, laptops_pupils=14, connection="fibre", wifi="some", platform="pronote",
        download_mbps=50, answered_by=census.directrice,
    )  # fmt: skip
    users = type(census.erun).objects
    lilas = users.create_user("lilas", "ce.0280002b@ac-orleans-tours.fr", first_name="Lise")
    rotrou = users.create_user("rotrou", "ce.0280003c@ac-orleans-tours.fr")
    unreachable = users.create_user("sans-adresse", "")
    SchoolDirector.objects.create(user=lilas, school=census.schools["0280002B"])
    SchoolDirector.objects.create(user=rotrou, school=census.schools["0280003C"])
    SchoolDirector.objects.create(user=rotrou, school=census.schools["0280006F"])
    SchoolDirector.objects.create(user=unreachable, school=census.schools["0280002B"])
    return census


def rows_of(text):
    """The table's school rows as (name, status) in page order."""
    return re.findall(
        r'<th scope="row"><a href="/ecoles/\w+/">([^<]+)</a>.*?(a répondu|sans réponse)',
        text,
        flags=re.S,
    )


@pytest.mark.django_db
def test_the_progress_page_lists_who_has_not_answered(client, progress):
    client.force_login(progress.erun)
    response = client.get(url(progress, progress.chartres))
    assert response.status_code == 200
    text = page_text(response)
    assert "1 école sur 3 a répondu." in text
    assert '<progress class="hub-progress" id="circonscription-progress"' in text
    assert 'max="3" value="1"' in text
    assert rows_of(text) == [
        ("École Jean Moulin", "a répondu"),
        ("École maternelle des Lilas", "sans réponse"),
        ("École primaire Rotrou", "sans réponse"),
    ]
    assert "Directrice" in text  # who answered
    assert "niveau 2 : Équipée" in text  # no display in the classrooms for level 3
    assert "<caption id=" in text and '<th scope="col"' in text
    by_status = page_text(client.get(url(progress, progress.chartres), {"tri": "statut"}))
    assert [name for name, _ in rows_of(by_status)] == [
        "École maternelle des Lilas",
        "École primaire Rotrou",
        "École Jean Moulin",
    ]
    assert "Relancer les écoles sans réponse" in text


@pytest.mark.django_db
def test_the_campaign_page_shows_each_visible_circonscription(client, progress):
    overview = f"/ecoles/recensement/{progress.campaign.pk}/"
    client.force_login(progress.erun)
    text = page_text(client.get(overview))
    assert "Chartres 1" in text and "Dreux 2" not in text
    assert "1 école sur 3 a répondu." in text
    assert url(progress, progress.chartres, "modele.xlsx") in text
    assert "Relancer toutes les écoles" not in text  # the DSDEN's button
    client.force_login(progress.dsden)
    text = page_text(client.get(overview))
    assert "Chartres 1" in text and "Dreux 2" in text
    assert "1 école sur 4 a répondu." in text
    assert "Relancer toutes les écoles sans réponse" in text
    client.force_login(progress.directrice)
    assert client.get(overview).status_code == 403


@pytest.mark.django_db
def test_the_reminder_reaches_each_director_of_an_unanswered_school_once(client, progress):
    assert remind_census(progress.campaign.pk, progress.chartres.pk, progress.erun.pk) == 2
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_recipient) == [
        "ce.0280002b@ac-orleans-tours.fr",
        "ce.0280003c@ac-orleans-tours.fr",
    ]  # Jean Moulin has answered; the director without an address cannot be reached
    lilas = by_recipient["ce.0280002b@ac-orleans-tours.fr"]
    assert "2025-2026" in lilas.subject
    link = f"{settings.HUB_BASE_URL}/ecoles/0280002B/recensement/{progress.campaign.pk}/"
    assert link in lilas.body and "jusqu'au 30/01/2026" in lilas.body
    rotrou = by_recipient["ce.0280003c@ac-orleans-tours.fr"].body
    assert "0280003C" in rotrou and "0280006F" not in rotrou  # Dreux: another circonscription

    client.force_login(progress.erun)
    text = page_text(client.get(url(progress, progress.chartres)))
    assert re.search(r"Dernière relance : le .+, 2 e-mails envoyés\.", text)

    mail.outbox.clear()
    assert remind_census(progress.campaign.pk, None, progress.dsden.pk) == 2  # whole campaign
    rotrou = next(m for m in mail.outbox if m.to == ["ce.0280003c@ac-orleans-tours.fr"]).body
    assert "0280003C" in rotrou and "0280006F" in rotrou  # both schools in one e-mail

    mail.outbox.clear()
    for school in ("0280002B", "0280003C"):
        CensusAnswer.objects.create(
            campaign=progress.campaign, school=progress.schools[school], pupils=50,
            connection="fibre", wifi="all", platform="pronote",
        )  # fmt: skip
    assert remind_census(progress.campaign.pk, progress.chartres.pk, progress.erun.pk) == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_reminder_button_queues_the_task_after_the_request(
    client, progress, django_capture_on_commit_callbacks
):
    client.force_login(progress.erun_dreux)
    assert client.post(url(progress, progress.chartres, "relance/")).status_code == 404
    client.force_login(progress.erun)
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(url(progress, progress.chartres, "relance/"), follow=True)
    assert len(queued) == 1
    assert "Relance en cours d'envoi pour 2 écoles sans réponse" in page_text(response)
    assert client.get(url(progress, progress.chartres, "relance/")).status_code == 405


@pytest.mark.django_db(transaction=True)
def test_the_reminder_is_sent_by_a_real_celery_worker(celery_worker_process, client, progress):
    client.force_login(progress.erun)
    client.post(url(progress, progress.chartres, "relance/"))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        text = page_text(client.get(url(progress, progress.chartres)))
        if "Dernière relance" in text:
            break
        time.sleep(0.3)
    assert re.search(r"Dernière relance : le .+, 2 e-mails envoyés\.", text), text


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_pages_in_a_browser_are_accessible(page, axe, live_server, progress):
    page.goto(live_server.url + "/comptes/connexion/")
    page.get_by_label("Nom d’utilisateur").fill("erun")
    page.get_by_label("Mot de passe").fill("pw-census-2026")
    page.get_by_role("button", name="Se connecter").click()
    page.goto(live_server.url + f"/ecoles/recensement/{progress.campaign.pk}/")
    assert axe(page) == []
    page.get_by_role("link", name="Chartres 1", exact=True).click()
    expect(page.get_by_role("table")).to_contain_text("École maternelle des Lilas")
    assert axe(page) == []

    workbook = load_workbook(io.BytesIO(census_template(progress.campaign, progress.chartres)))
    fill(workbook, "0280002B", {"Nombre d'élèves": "soixante"})
    out = io.BytesIO()
    workbook.save(out)
    page.get_by_role("link", name="Déposer le modèle rempli").click()
    page.get_by_label("Modèle rempli").set_input_files(
        {"name": "chartres.xlsx", "mimeType": "application/octet-stream", "buffer": out.getvalue()}
    )
    page.get_by_role("button", name="Vérifier et enregistrer").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "ligne 5, colonne « Nombre d'élèves » : Saisissez un nombre entier."
    )
    assert axe(page) == []


@pytest.mark.django_db
def test_an_answer_without_a_recorded_author_is_listed(client, progress):
    """The demo's generated answers, like answers imported before authors were recorded, have no
    author: the page shows a dash for them instead of failing."""
    CensusAnswer.objects.filter(school=progress.schools["0280001A"]).update(answered_by=None)
    client.force_login(progress.erun)
    response = client.get(url(progress, progress.chartres))
    assert response.status_code == 200
    assert rows_of(page_text(response))[0] == ("École Jean Moulin", "a répondu")
    assert "Directrice" not in page_text(response)
