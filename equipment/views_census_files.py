"""Following a census campaign by circonscription (DSDEN: all; ERUN: theirs): who has answered,
the spreadsheet to fill offline and its upload, reminders to the directors."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.validators import FileExtensionValidator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from accounts.rules import require
from hub.collation import french_key
from hub.imports import Counts

from . import census_files
from .models import Campaign, Circonscription, School
from .tasks import remind_census

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_MB = 5


def _visible_circonscriptions(request):
    require(
        request.user,
        "equipment.follow_census",
        message="Le suivi du recensement est réservé à la DSDEN et aux ERUN.",
    )
    return Circonscription.objects.visible_to(request.user)


def _scope(request, campaign: int, circonscription: int) -> tuple[Campaign, Circonscription]:
    """The campaign and the circonscription, if the user follows it; 404 otherwise."""
    visible = _visible_circonscriptions(request)
    campaign = get_object_or_404(Campaign, pk=campaign)
    return campaign, get_object_or_404(visible, pk=circonscription)


def _plural(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n <= 1 else plural}"


def _answered_sentence(answered: int, asked: int) -> str:
    verb = "a" if answered <= 1 else "ont"
    return f"{_plural(answered, 'école', 'écoles')} sur {asked} {verb} répondu"


@login_required
def campaign_overview(request, campaign):
    circonscriptions = _visible_circonscriptions(request)
    campaign = get_object_or_404(Campaign, pk=campaign)
    rows = census_files.campaign_progress(campaign, circonscriptions)
    asked, answered = sum(r["asked"] for r in rows), sum(r["answered"] for r in rows)
    dsden = request.user.has_perm("equipment.remind_all")
    return render(
        request,
        "equipment/census_files/campaign.html",
        {
            "campaign": campaign,
            "campaigns": Campaign.objects.all(),
            "rows": rows,
            "asked": asked,
            "answered": answered,
            "sentence": _answered_sentence(answered, asked),
            "can_remind_all": dsden,
            "last_reminder": census_files.last_reminder(
                campaign, departements={row["circonscription"].departement_code for row in rows}
            )
            if dsden
            else None,
            "unassigned": campaign.schools()
            .filter(circonscription=None, pk__in=School.objects.visible_to(request.user))
            .count()
            if dsden
            else 0,
        },
    )


SORTS = {
    "nom": lambda row: french_key(row.school.name),
    # the schools to chase first
    "statut": lambda row: (row.answered, french_key(row.school.name)),
}


@login_required
def circonscription_progress(request, campaign, circonscription):
    campaign, circonscription = _scope(request, campaign, circonscription)
    rows = census_files.circonscription_progress(campaign, circonscription)
    sort = request.GET.get("tri") if request.GET.get("tri") in SORTS else "nom"
    rows.sort(key=SORTS[sort])
    answered = sum(row.answered for row in rows)
    return render(
        request,
        "equipment/census_files/progress.html",
        {
            "campaign": campaign,
            "circonscription": circonscription,
            "rows": rows,
            "sort": sort,
            "asked": len(rows),
            "answered": answered,
            "unanswered": len(rows) - answered,
            "sentence": _answered_sentence(answered, len(rows)),
            "last_reminder": census_files.last_reminder(campaign, circonscription),
        },
    )


@login_required
def census_template(request, campaign, circonscription):
    campaign, circonscription = _scope(request, campaign, circonscription)
    response = HttpResponse(
        census_files.census_template(campaign, circonscription), content_type=XLSX
    )
    name = f"recensement-{campaign.school_year}-{slugify(circonscription.name)}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class CensusUploadForm(forms.Form):
    file = forms.FileField(
        label="Modèle rempli",
        help_text=f"le fichier XLSX téléchargé pour cette circonscription, une ligne par école "
        f"({MAX_UPLOAD_MB} Mo au plus)",
        validators=[FileExtensionValidator(["xlsx"], "Déposez un classeur Excel (.xlsx).")],
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(f"Fichier trop volumineux ({MAX_UPLOAD_MB} Mo au plus).")
        return file


def upload_summary(counts: Counts, blank: int) -> str:
    parts = [
        _plural(counts.created + counts.updated, "réponse enregistrée", "réponses enregistrées")
    ]
    if counts.unchanged:
        parts.append(_plural(counts.unchanged, "inchangée", "inchangées"))
    parts.append(_plural(blank, "ligne vide ignorée", "lignes vides ignorées"))
    return ", ".join(parts) + "."


@login_required
def census_upload(request, campaign, circonscription):
    campaign, circonscription = _scope(request, campaign, circonscription)
    form = CensusUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            rows = census_files.read_census_upload(
                form.cleaned_data["file"], campaign, request.user, circonscription
            )
        except census_files.CensusUploadError as exc:
            problems = exc.problems
        else:
            counts = census_files.save_census_answers(campaign, rows, request.user)
            messages.success(request, upload_summary(counts, rows.blank))
            return redirect(
                "equipment-census-progress",
                campaign=campaign.pk,
                circonscription=circonscription.pk,
            )
    return render(
        request,
        "equipment/census_files/upload.html",
        {
            "campaign": campaign,
            "circonscription": circonscription,
            "form": form,
            "problems": problems,
        },
    )


@login_required
@require_POST
def remind(request, campaign, circonscription):
    campaign, circonscription = _scope(request, campaign, circonscription)
    schools = census_files.unanswered_schools(campaign, circonscription, request.user).count()
    _queue_reminder(request, campaign, circonscription, schools)
    return redirect(
        "equipment-census-progress", campaign=campaign.pk, circonscription=circonscription.pk
    )


@login_required
@require_POST
def remind_all(request, campaign):
    require(
        request.user,
        "equipment.remind_all",
        message="La relance de toutes les circonscriptions est réservée à la DSDEN.",
    )
    campaign = get_object_or_404(Campaign, pk=campaign)
    unanswered = census_files.unanswered_schools(campaign, None, request.user).count()
    _queue_reminder(request, campaign, None, unanswered)
    return redirect("equipment-census-campaign", campaign=campaign.pk)


def _queue_reminder(request, campaign, circonscription, schools: int) -> None:
    if not schools:
        messages.info(request, "Toutes les écoles ont répondu : personne à relancer.")
        return
    circonscription_id = circonscription.pk if circonscription else None
    user_id = request.user.pk
    transaction.on_commit(lambda: remind_census.delay(campaign.pk, circonscription_id, user_id))
    messages.success(
        request,
        f"Relance en cours d'envoi pour "
        f"{_plural(schools, 'école sans réponse', 'écoles sans réponse')} : chaque direction "
        "inscrite avec une adresse e-mail reçoit le lien vers le questionnaire.",
    )
