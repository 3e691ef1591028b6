"""Funding calls, public (`/financements/`): closing soon first, the closed ones on request;
DSDEN staff and hub administrators publish; structures ask for the weekly digest."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.rules import require
from actors.models import Structure

from .models.funding import CLOSING_SOON_DAYS, DigestSubscription, FundingCall
from .plan_forms import DigestForm, FundingCallForm

PAGE_SIZE = 20


def call_list(request):
    today = timezone.localdate()
    show_closed = request.GET.get("clos") == "1"
    calls = FundingCall.objects.select_related("departement").closing_first()
    if not show_closed:
        calls = calls.open(today)
    page = Paginator(calls, PAGE_SIZE).get_page(request.GET.get("page"))
    user = request.user
    return render(
        request,
        "trainings/funding/call_list.html",
        {
            "page": page,
            "show_closed": show_closed,
            "query": "clos=1" if show_closed else "",
            "closing_soon_days": CLOSING_SOON_DAYS,
            "can_publish": user.has_perm("trainings.publish_funding_call"),
            "can_subscribe": user.is_authenticated and Structure.objects.editable_by(user).exists(),
        },
    )


@login_required
def call_new(request):
    require(
        request.user,
        "trainings.publish_funding_call",
        message="Seuls la DSDEN et les administrateurs du hub publient des appels à projets.",
    )
    form = FundingCallForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        call = form.save(commit=False)
        call.published_by = request.user
        call.save()
        messages.success(request, f"L’appel « {call.title} » est publié.")
        return redirect("funding-calls")
    return render(request, "trainings/funding/call_form.html", {"form": form})


@login_required
def digest_subscribe(request):
    """A member of a structure asks for the weekly digest of funding calls."""
    if not Structure.objects.editable_by(request.user).exists():
        raise PermissionDenied(
            "La lettre des financements se demande pour une structure dont vous êtes membre."
        )
    subscriptions = DigestSubscription.objects.filter(
        structure__in=Structure.objects.editable_by(request.user)
    ).select_related("structure")
    if request.method == "POST" and "desabonner" in request.POST:
        gone = get_object_or_404(subscriptions, pk=request.POST["desabonner"])
        gone.delete()
        messages.success(request, f"{gone.email} ne recevra plus la lettre.")
        return redirect("funding-digest")
    form = DigestForm(
        request.POST or None, user=request.user, initial={"email": request.user.email}
    )
    if request.method == "POST" and form.is_valid():
        subscription = form.save(commit=False)
        subscription.created_by = request.user
        subscription.save()
        messages.success(
            request,
            f"{subscription.email} recevra chaque semaine les nouveaux appels à projets.",
        )
        return redirect("funding-calls")
    return render(
        request,
        "trainings/funding/digest_form.html",
        {"form": form, "subscriptions": subscriptions.order_by("structure__name", "email")},
    )
