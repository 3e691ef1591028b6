"""The public agenda of workshops (search, a session's page, iCalendar feeds, printable list) and
the pages where organisers keep their trainings and sessions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.rules import require
from cartography.search import commune_label

from . import ical
from .agenda import AgendaForm, search
from .forms import SessionForm, TrainingForm
from .models import Session, Training

PAGE_SIZE = 20
PRINTED = 200  # sessions on a printed list (a few weeks of a département)


def registration_url(session) -> str:
    """Where a person registers (the registrations part's page), "" while it does not exist."""
    try:
        return reverse("trainings:register", args=[session.pk])
    except NoReverseMatch:
        return ""


def agenda(request):
    form = AgendaForm(request.GET or None)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"title": "Ateliers et formations", "form": form, "query": query.urlencode()}
    if request.GET and not form.is_valid():
        return render(request, "trainings/agenda/agenda.html", context, status=200)
    data = form.cleaned_data if request.GET else {}
    lookup = data.get("lookup")
    sessions = search(data, request.user)
    printing = request.GET.get("format") == "impression"
    context.update(
        lookup=lookup,
        suggestions=[commune_label(c) for c in (lookup.suggestions if lookup else [])],
        located=data.get("point") is not None,
        ics_url=f"{reverse('trainings:agenda-ics')}?{context['query']}",
        print_url=f"?{_with(query, format='impression')}",
    )
    if printing:
        context.update(sessions=list(sessions[:PRINTED]), printed_at=timezone.now())
        return render(request, "trainings/agenda/print.html", context)
    context["page"] = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "trainings/agenda/agenda.html", context)


def _with(query, **changes) -> str:
    query = query.copy()
    for name, value in changes.items():
        query[name] = value
    return query.urlencode()


def _session(request, pk):
    """A session `request.user` may see (404 otherwise), with its seats."""
    return get_object_or_404(
        Session.objects.visible_to(request.user)
        .with_seats()
        .select_related(
            "training__structure", "place__commune__departement", "school__commune__departement"
        )
        .prefetch_related("training__themes"),
        pk=pk,
    )


def session_detail(request, pk):
    session = _session(request, pk)
    venue = session.venue
    return render(
        request,
        "trainings/agenda/session.html",
        {
            "title": session.training.title,
            "session": session,
            "training": session.training,
            "venue": venue,
            "departement": venue.commune.departement if venue and venue.commune else None,
            "registration_url": registration_url(session),
            "registration_open": session.registration_open(),
            "can_edit": request.user.has_perm("trainings.edit_session", session),
            "sees_participants": request.user.has_perm("trainings.manage_registrations", session),
            "past": session.ends_at <= timezone.now(),
            "resources": session.training.resources.published().order_by("title"),
        },
    )


def session_ics(request, pk):
    session = _session(request, pk)
    return _calendar([session], request, f"atelier-{session.pk}.ics")


def agenda_ics(request):
    form = AgendaForm(request.GET or None)
    if request.GET and not form.is_valid():
        errors = "; ".join(f"{form[name].label if name in form.fields else name} : {' '.join(e)}"
                           for name, e in form.errors.items())  # fmt: skip
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    sessions = search(form.cleaned_data if request.GET else {}, request.user)[: ical.MAX_EVENTS]
    return _calendar(sessions, request, "ateliers.ics")


def _calendar(sessions, request, filename) -> HttpResponse:
    body = ical.calendar(sessions, request.build_absolute_uri, request.get_host().split(":")[0])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# --- Organisers' pages -------------------------------------------------------------------------


@login_required
def manage(request):
    require(request.user, "trainings.organise")
    now = timezone.now()
    upcoming = Session.objects.editable_by(request.user).upcoming(now).with_seats()
    trainings = (
        Training.objects.editable_by(request.user)
        .select_related("structure")
        .prefetch_related(Prefetch("sessions", queryset=upcoming, to_attr="upcoming"))
    )
    school_sessions = (
        upcoming.exclude(training__in=trainings)
        .select_related("training", "school")
        .order_by("starts_at")
    )
    return render(
        request,
        "trainings/agenda/manage.html",
        {
            "title": "Mes ateliers et formations",
            "trainings": trainings,
            "school_sessions": school_sessions,
        },
    )


@login_required
def training_edit(request, pk=None):
    if pk is None:
        require(request.user, "trainings.organise")
        training = Training(created_by=request.user)
    else:
        training = get_object_or_404(Training.objects.editable_by(request.user), pk=pk)
    form = TrainingForm(request.POST or None, instance=training, user=request.user)
    if request.method == "POST" and form.is_valid():
        training = form.save()
        messages.success(request, f"La formation « {training.title} » est enregistrée.")
        return redirect("trainings:manage")
    return render(
        request,
        "trainings/agenda/training_form.html",
        {
            "title": "Nouvelle formation" if pk is None else f"Modifier « {training.title} »",
            "form": form,
            "training": training,
        },
    )


@login_required
def session_edit(request, pk=None):
    if pk is None:
        require(request.user, "trainings.organise")
        session = Session(created_by=request.user)
        initial = {"training": request.GET.get("formation")} if request.GET.get("formation") else {}
    else:
        session = get_object_or_404(
            Session.objects.editable_by(request.user).select_related("training", "school"), pk=pk
        )
        initial = {}
    form = SessionForm(request.POST or None, instance=session, user=request.user, initial=initial)
    if pk is not None and not form.fields["training"].queryset.filter(pk=session.training_id):
        # DSDEN staff keep a structure's session in their school, not its training.
        form.fields["training"].queryset = Training.objects.filter(pk=session.training_id)
    if request.method == "POST" and form.is_valid():
        session = form.save()
        if pk is None and not session.facilitators.exists():
            session.facilitators.add(request.user)  # someone leads it: by default, its author
        messages.success(request, "La session est enregistrée.")
        return redirect("trainings:session", pk=session.pk)
    return render(
        request,
        "trainings/agenda/session_form.html",
        {
            "title": "Nouvelle session" if pk is None else "Modifier la session",
            "form": form,
            "session": session,
        },
    )
