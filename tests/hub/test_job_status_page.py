"""The page waiting for a background job, in Chromium: it follows the job's progress, then shows
the download, or the job's error as text."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from accounts import roles
from accounts.services import grant
from cartography.models import CoverageReport
from hub.models import Job

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "un-mot-de-passe-2026"


@pytest.fixture
def report_page(live_server, page):
    user = get_user_model().objects.create_user("agent", "agent@prefecture.fr", PASSWORD)
    grant(user, roles.PREFECTURE_STAFF, (roles.DEPARTEMENT, "28"))
    report = CoverageReport.request(
        user, {"departement": "28", "period": "T1 2018", "format": "csv"}, "Eure-et-Loir"
    )
    page.goto(live_server.url + f"/comptes/connexion/?next=/couverture/rapport/{report.pk}/")
    page.get_by_label("Nom d’utilisateur").fill("agent")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("status")).to_have_text("En attente : en attente d’un traitement")
    return report


def test_the_page_follows_the_job_until_the_download(page, report_page):
    job = report_page.job
    Job.objects.filter(pk=job.pk).update(
        state="running", progress_done=55, progress_total=100, progress_label="Écriture du fichier"
    )
    expect(page.get_by_role("status")).to_have_text("En cours : Écriture du fichier")
    expect(page.locator("#job-progress")).to_have_attribute("value", "55")
    job.refresh_from_db()
    job.result.save("rapport.csv", ContentFile(b"code;nom\n"), save=False)
    job.state = "done"
    job.save()
    expect(page.get_by_role("status")).to_have_text("Le rapport est prêt.")
    expect(page.get_by_role("link", name="Télécharger le rapport")).to_be_visible()


def test_a_failed_job_shows_its_error_as_text(page, report_page):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    hostile = "échec <img src=x onerror=alert(1)>"
    Job.objects.filter(pk=report_page.job_id).update(state="failed", error=hostile)
    expect(page.get_by_role("status")).to_have_text("La préparation a échoué.")
    expect(page.locator("#job-error p").first).to_have_text(hostile)
    assert page.locator("#job-error img").count() == 0
    assert dialogs == []
    expect(page.get_by_role("link", name="Télécharger le rapport")).to_be_hidden()
