"""Pages of "C'est mon lieu" (claim a listing, decide on a claim) and of error reports (report,
the queue of reports, resolve one)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.rules import require
from hub.throttling import throttled

from . import claims
from .claims_forms import ErrorReportForm, PlaceClaimForm, ResolveForm
from .models import ErrorReport, Place, PlaceClaim
from .rules import is_moderator

REPORTS_PAGE_SIZE = 20
# The queue's filter: ?etat=… (what a user reads in the address bar), default the open ones.
REPORT_STATES = {
    "a-traiter": ("À traiter", {"status": ErrorReport.Status.OPEN}),
    "traites": ("Traités", {"status": ErrorReport.Status.RESOLVED}),
    "tous": ("Tous", {}),
}


def space_context(user) -> dict:
    """What the médiateurs' space shows of claims and reports: the claims the user decides
    on, their own claims, and how many reports on what they follow are open."""
    return {
        "claims_to_decide": PlaceClaim.objects.pending()
        .decidable_by(user)
        .select_related("place__structure", "place__commune", "user"),
        "my_claims": user.place_claims.select_related("place").order_by("-created_at")[:20],
        "open_reports": ErrorReport.objects.visible_to(user)
        .filter(status=ErrorReport.Status.OPEN)
        .count(),
        "moderator": is_moderator(user),
    }


@login_required
def claim_place(request, pk):
    place = get_object_or_404(Place.objects.select_related("structure", "commune"), pk=pk)
    if request.user.has_perm("actors.edit_place", place) and not request.user.is_hub_admin:
        messages.info(request, f"Vous tenez déjà « {place.name} » : modifiez sa fiche ici.")
        return redirect("space-edit-place", pk=place.pk)
    require(
        request.user,
        "actors.claim_place",
        place,
        "Seuls les médiateurs connectés peuvent revendiquer un lieu.",
    )
    pending = PlaceClaim.objects.pending().filter(place=place, user=request.user).first()
    form = PlaceClaimForm(request.POST or None)
    if request.method == "POST" and pending is None and form.is_valid():
        claims.submit_claim(place, request.user, form.cleaned_data["message"])
        messages.success(
            request,
            f"Demande envoyée pour « {place.name} ». Vous serez prévenu par courriel et dans "
            "votre espace dès qu’elle sera examinée.",
        )
        return redirect("space")
    return render(
        request,
        "actors/claim_place.html",
        {
            "title": f"C’est mon lieu : {place.name}",
            "place": place,
            "form": form,
            "pending": pending,
            "by_structure": place.structure.has_admin(),
        },
    )


@login_required
@require_POST
def decide_claim(request, pk):
    # Someone else's claim, or one of another territory: out of view (404), as elsewhere.
    claim = get_object_or_404(
        PlaceClaim.objects.pending().decidable_by(request.user).select_related("place", "user"),
        pk=pk,
    )
    require(request.user, "actors.decide_claim", claim)
    approve = request.POST.get("decision") == "approve"
    claims.decide_claim(claim, request.user, approve)
    verdict = "acceptée" if approve else "refusée"
    messages.success(
        request, f"Demande de {claim.user.get_username()} pour « {claim.place.name} » {verdict}."
    )
    return redirect("space")


@throttled("error_report", methods=("POST",))  # each report e-mails several people
def report_error(request, pk):
    place = get_object_or_404(Place.objects.select_related("commune"), pk=pk)
    form = ErrorReportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        report = form.save(commit=False)
        report.place = place
        report.reporter = request.user if request.user.is_authenticated else None
        claims.submit_report(report)
        messages.success(
            request,
            "Merci : votre signalement est transmis aux personnes qui tiennent cette fiche."
            + (" Vous serez prévenu quand elle sera corrigée." if report.notify_reporter else ""),
        )
        return redirect("directory-place", pk=place.pk)
    return render(
        request,
        "actors/report_error.html",
        {"title": f"Signaler une erreur : {place.name}", "place": place, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def error_reports(request):
    """The queue: the reports on the user's places and, for moderators, on their territory."""
    state = request.GET.get("etat")
    state = state if state in REPORT_STATES else "a-traiter"
    reports = (
        ErrorReport.objects.visible_to(request.user)
        .filter(**REPORT_STATES[state][1])
        .select_related("place__commune", "resolved_by")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(reports, REPORTS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "actors/space/error_reports.html",
        {
            "title": "Signalements d’erreur",
            "page": page,
            "state": state,
            "states": [(key, label) for key, (label, _) in REPORT_STATES.items()],
            "query": f"etat={state}",
            "moderator": is_moderator(request.user),
        },
    )


@login_required
@require_POST
def resolve_error_report(request, pk):
    report = get_object_or_404(
        ErrorReport.objects.visible_to(request.user).select_related("place"), pk=pk
    )
    require(request.user, "actors.resolve_report", report)
    form = ResolveForm(request.POST)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = reverse("error-reports")
    if not form.is_valid():
        messages.error(request, "Signalement non traité : " + " ".join(form.errors["resolution"]))
        return redirect(back)
    if claims.resolve_report(report, request.user, form.cleaned_data["resolution"]):
        told = " Le signalant est prévenu." if report.notify_reporter and report.email else ""
        messages.success(request, f"Signalement sur « {report.place.name} » traité.{told}")
    else:
        messages.info(request, "Ce signalement était déjà traité.")
    return redirect(back)
