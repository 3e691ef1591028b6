"""Pages of registrations: the public form, the page a registration's link opens (cancel,
accept an offered seat) and the organisers' participants page (names, registration in person,
attendance, counts)."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.rules import require
from hub.throttling import throttled

from . import registrations
from .models import Registration, Session
from .registration_forms import AttendanceForm, RegistrationForm
from .registration_rules import organised_sessions

SESSION_RELATED = ("training__structure", "place__commune", "school__commune")


def _session_context(session, now=None) -> dict:
    counts = registrations.counts(session)
    return {
        "session": session,
        "counts": counts,
        "closed": registrations.closed_reason(session, now),
        "full": counts.seats_left == 0,
        "offer_hours": settings.HUB_TRAINING_OFFER_HOURS,
        "data_months": settings.HUB_TRAINING_DATA_MONTHS,
    }


def _refusal(form, exc) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))


@throttled("training_registration", methods=("POST",))  # each one writes and sends an e-mail
def register(request, pk):
    session = get_object_or_404(
        Session.objects.visible_to(request.user).select_related(*SESSION_RELATED), pk=pk
    )
    context = _session_context(session)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and not context["closed"] and form.is_valid():
        try:
            registration = registrations.register(
                session.pk, **{k: form.cleaned_data[k] for k in FIELDS}
            )
        except registrations.RegistrationRefused as exc:
            _refusal(form, exc)
            context = _session_context(session)  # closed or filled meanwhile
        else:
            return redirect("trainings:registration", token=registration.token)
    return render(
        request,
        "trainings/registrations/register.html",
        {**context, "form": form, "title": f"S’inscrire : {session.training.title}"},
        status=400 if form.errors or (request.method == "POST" and context["closed"]) else 200,
    )


FIELDS = ("name", "email", "phone", "needs", "audience")


def _by_token(token):
    registration = registrations.by_token(token)
    if registration is None:
        raise Http404("Ce lien d’inscription n’est plus valable.")
    return registration


def registration(request, token):
    """What a registration's link opens: its state, and what the person may do."""
    found = _by_token(token)
    return render(
        request,
        "trainings/registrations/status.html",
        {
            "registration": found,
            "session": found.session,
            "title": "Mon inscription",
            "rank": registrations.waiting_rank(found),
        },
    )


def cancel(request, token):
    """GET asks for confirmation, POST cancels (a link followed by a mail scanner changes
    nothing)."""
    found = _by_token(token)
    if request.method == "POST":
        if found.status != Registration.Status.CANCELLED:
            registrations.cancel(found.pk)
            messages.success(
                request, "Votre inscription est annulée. Merci de nous avoir prévenus."
            )
        return redirect("trainings:registration", token=token)
    return render(
        request,
        "trainings/registrations/cancel.html",
        {"registration": found, "session": found.session, "title": "Annuler mon inscription"},
    )


def accept(request, token):
    """GET shows the offered seat, POST takes it."""
    found = _by_token(token)
    if request.method == "POST" and found.status == Registration.Status.CONFIRMED:
        messages.info(request, "Votre place est déjà confirmée.")  # a second click
        return redirect("trainings:registration", token=token)
    if request.method == "POST":
        try:
            registrations.accept_offer(found.pk)
        except registrations.RegistrationRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "C’est noté : la place est à vous.")
        return redirect("trainings:registration", token=token)
    return render(
        request,
        "trainings/registrations/accept.html",
        {"registration": found, "session": found.session, "title": "Accepter la place proposée"},
    )


# Organisers -------------------------------------------------------------------------------------


def _organised(request, pk):
    """A session the user organises; any other answers 404 (names are never shown to others)."""
    session = get_object_or_404(
        organised_sessions(request.user).select_related(*SESSION_RELATED), pk=pk
    )
    require(request.user, "trainings.manage_registrations", session)
    return session


@login_required
def participants(request, pk):
    session = _organised(request, pk)
    now = timezone.now()
    confirmed = session.registrations.filter(status=Registration.Status.CONFIRMED).order_by(
        "created_at", "pk"
    )
    walk_ins = dict(session.walk_ins.values_list("audience", "count"))
    started = session.starts_at <= now
    form = None
    if started:
        form = AttendanceForm(request.POST or None, registrations=confirmed, walk_ins=walk_ins)
        if request.method == "POST" and form.is_valid():
            registrations.mark_attendance(session, form.marks(), form.walk_ins())
            messages.success(request, "Présences et venues sans inscription enregistrées.")
            return redirect("trainings:participants", pk=session.pk)
    elif request.method == "POST":
        messages.error(request, "Les présences se notent une fois la session commencée.")
        return redirect("trainings:participants", pk=session.pk)
    others = session.registrations.exclude(status=Registration.Status.CONFIRMED).order_by(
        "status", "position", "created_at"
    )
    return render(
        request,
        "trainings/registrations/participants.html",
        {
            **_session_context(session, now),
            "title": f"Participants : {session.training.title}",
            "confirmed": confirmed,
            "others": others,
            "form": form,
            "started": started,
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
def register_in_person(request, pk):
    session = _organised(request, pk)
    context = _session_context(session)
    form = RegistrationForm(request.POST or None, in_person=True)
    if request.method == "POST" and not context["closed"] and form.is_valid():
        try:
            registration = registrations.register(
                session.pk,
                registered_by=request.user,
                **{k: form.cleaned_data[k] for k in FIELDS},
            )
        except registrations.RegistrationRefused as exc:
            _refusal(form, exc)
        else:
            where = (
                "inscrite"
                if registration.status == Registration.Status.CONFIRMED
                else "sur la liste d’attente"
            )
            messages.success(request, f"{registration.name} est {where}.")
            return redirect("trainings:participants", pk=session.pk)
    return render(
        request,
        "trainings/registrations/register_in_person.html",
        {**context, "form": form, "title": f"Inscrire quelqu’un : {session.training.title}"},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def cancel_participant(request, pk, registration_pk):
    session = _organised(request, pk)
    found = get_object_or_404(session.registrations, pk=registration_pk)
    registrations.cancel(found.pk)
    messages.success(request, f"Inscription de {found.name} annulée.")
    return redirect("trainings:participants", pk=session.pk)


@login_required
def cancel_session(request, pk):
    """GET asks the organiser to confirm, POST calls the session off and tells the people
    registered or waiting."""
    session = _organised(request, pk)
    if session.cancelled or session.starts_at <= timezone.now():
        messages.error(request, "Seule une séance à venir et non annulée peut être annulée.")
        return redirect("trainings:participants", pk=session.pk)
    if request.method == "POST":
        told = registrations.cancel_session(session.pk)
        messages.success(
            request,
            f"La séance est annulée ; {told} personne{pluralize(told)} inscrite{pluralize(told)}"
            f" ou en attente prévenue{pluralize(told)}.",
        )
        return redirect("trainings:participants", pk=session.pk)
    return render(
        request,
        "trainings/registrations/cancel_session.html",
        {**_session_context(session, timezone.now()), "title": "Annuler la séance"},
    )


@login_required
@require_POST
def confirm_offer(request, pk, registration_pk):
    """The organiser takes an offered seat for someone who answered by phone."""
    session = _organised(request, pk)
    found = get_object_or_404(session.registrations, pk=registration_pk)
    try:
        registrations.accept_offer(found.pk)
    except registrations.RegistrationRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{found.name} a pris la place proposée.")
    return redirect("trainings:participants", pk=session.pk)


RECENT_DAYS = 90  # sessions held this recently are listed for attendance
CONFIRMED = Q(registrations__status=Registration.Status.CONFIRMED)


@login_required
def held_sessions(request):
    """The sessions the user organised that took place lately: attendance to note or noted."""
    since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
    sessions = (
        organised_sessions(request.user)
        .filter(starts_at__lte=timezone.now(), ends_at__gte=since, cancelled=False)
        .select_related(*SESSION_RELATED)
        .annotate(
            confirmed=Count("registrations", filter=CONFIRMED),
            marked=Count("registrations", filter=CONFIRMED & ~Q(registrations__attendance="")),
        )
        .order_by("-starts_at", "pk")
    )
    return render(
        request,
        "trainings/registrations/held_sessions.html",
        {"title": "Présences des séances passées", "sessions": sessions, "days": RECENT_DAYS},
    )
