"""Pages of the resources library: the faceted search, a resource and a collection, readers'
ratings and reports, contributors' proposals, the moderators' queue, downloads."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.rules import require
from hub.throttling import throttled

from . import resource_rules  # noqa: F401  (the permissions these pages ask)
from . import resources as library
from .models import Collection, CollectionItem, Resource, ResourceReport, Session
from .resource_forms import RatingForm, ReportForm, ResourceForm


def _query(data: dict, drop: tuple[str, str] | None = None) -> str:
    """The search's query string (without `page`), less one criterion when `drop` is given."""
    pairs = [("q", data["q"])] if data.get("q") else []
    for name in library.FACETS:
        pairs += [(name, value) for value in data.get(name) or [] if (name, value) != drop]
    return urlencode(pairs)


def library_page(request):
    form = library.SearchForm(request.GET)
    form.is_valid()  # every criterion is optional; unknown values are dropped, never an error
    data = form.cleaned_data
    found = library.search(data)
    results = library.with_feedback(found.resources).prefetch_related("themes")
    page = Paginator(results, library.PAGE_SIZE).get_page(request.GET.get("page"))
    suggestions = []
    if page.paginator.count == 0:
        # Each criterion the reader could drop, with what remains without it.
        for name, value, label in found.active:
            rest = {**data, name: [v for v in data[name] if v != value]}
            suggestions.append(
                (f"Retirer « {label} »", _query(rest), library.search(rest).resources.count())
            )
        if data.get("q") and (found.active or not suggestions):
            rest = {**data, "q": ""}
            suggestions.append(
                (
                    f"Retirer les mots « {data['q']} »",
                    _query(rest),
                    library.search(rest).resources.count(),
                )
            )
    searched = bool(data.get("q") or found.active)
    return render(
        request,
        "trainings/resources/library.html",
        {
            "title": "Ressources" if not searched else "Ressources : résultats de recherche",
            "form": form,
            "search": found,
            "page": page,
            "query": _query(data),
            "searched": searched,
            "removals": [
                (label, _query(data, drop=(name, value))) for name, value, label in found.active
            ],
            "suggestions": suggestions,
            "collections": Collection.objects.filter(published=True).order_by("title"),
            # A contributor finds their proposals waiting for a moderator.
            "my_proposals": Resource.objects.filter(
                contributor=request.user.pk, state=Resource.State.PROPOSED
            ).order_by("-created_at")
            if request.user.is_authenticated
            else [],
        },
    )


def _resource(request, slug) -> Resource:
    """The resource at `slug` if the user may open it (404 otherwise, as for a missing one)."""
    return get_object_or_404(
        library.with_feedback(Resource.objects.visible_to(request.user))
        .select_related("contributor")
        .prefetch_related("themes", "trainings"),
        slug=slug,
    )


def _detail(request, resource, rating_form=None, status=200):
    return render(
        request,
        "trainings/resources/detail.html",
        {
            "title": resource.title,
            "resource": resource,
            "rating_form": rating_form or RatingForm(),
            "collections": resource.collections.filter(published=True),
            "trainings": resource.trainings.all(),
            # Where to learn it with someone: the linked trainings' next sessions.
            "sessions": Session.objects.visible_to(request.user)
            .upcoming()
            .filter(training__in=resource.trainings.all())
            .select_related("training", "place__commune", "school__commune")[:5],
            "is_published": resource.state == Resource.State.PUBLISHED,
        },
        status=status,
    )


def resource_page(request, slug):
    return _detail(request, _resource(request, slug))


def download(request, slug):
    """The resource's file, always as a download with the type its extension was checked for
    (never shown inline: nothing uploaded runs in the hub's pages)."""
    resource = _resource(request, slug)
    if not resource.file:
        raise Http404("Cette ressource n’a pas de fichier.")
    name = f"{resource.slug}.{resource.file_type}" if resource.file_type else resource.slug
    response = FileResponse(
        resource.file.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=library.content_type(resource),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@throttled("resource_feedback", methods=("POST",))
def rate(request, slug):
    resource = _resource(request, slug)
    if resource.state != Resource.State.PUBLISHED:
        raise Http404("Seules les ressources publiées reçoivent des avis.")
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _detail(request, resource, form, status=400)
    if request.user.is_authenticated:
        first = library.rate(resource, form.cleaned_data["value"], user=request.user)
    else:
        if not request.session.session_key:
            request.session.save()
        first = library.rate(
            resource, form.cleaned_data["value"], session_key=request.session.session_key
        )
    messages.success(
        request,
        "Merci pour votre avis." if first else "Votre avis remplace celui que vous aviez donné.",
    )
    return redirect("resource", slug=resource.slug)


@throttled("resource_feedback", methods=("POST",))
def report(request, slug):
    resource = _resource(request, slug)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        problem = form.save(commit=False)
        problem.resource = resource
        problem.reporter = request.user if request.user.is_authenticated else None
        problem.save()
        messages.success(request, "Merci : votre signalement est transmis aux modérateurs.")
        return redirect("resource", slug=resource.slug)
    return render(
        request,
        "trainings/resources/report.html",
        {"title": f"Signaler un problème : {resource.title}", "resource": resource, "form": form},
        status=400 if form.errors else 200,
    )


def collection_page(request, slug):
    items = CollectionItem.objects.filter(resource__state=Resource.State.PUBLISHED).select_related(
        "resource"
    )
    collection = get_object_or_404(
        Collection.objects.filter(published=True).prefetch_related(
            Prefetch("items", queryset=items)
        ),
        slug=slug,
    )
    return render(
        request,
        "trainings/resources/collection.html",
        {"title": collection.title, "collection": collection},
    )


@login_required
def propose(request):
    require(
        request.user,
        "trainings.propose_resource",
        message="Seuls les médiateurs numériques et les agents de la DSDEN proposent des ressources.",
    )
    form = ResourceForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        resource = form.save(commit=False)
        library.propose(resource, request.user)
        form.save_m2m()
        if resource.state == Resource.State.PUBLISHED:
            messages.success(request, "Ressource publiée.")
        else:
            messages.success(
                request, "Merci : votre proposition sera publiée après relecture par un modérateur."
            )
        return redirect("resource", slug=resource.slug)
    return render(
        request,
        "trainings/resources/form.html",
        {"title": "Proposer une ressource", "form": form, "resource": None},
        status=400 if form.errors else 200,
    )


@login_required
def edit(request, slug):
    resource = _resource(request, slug)
    require(
        request.user,
        "trainings.edit_resource",
        resource,
        "Vous ne pouvez pas modifier cette ressource.",
    )
    form = ResourceForm(
        request.POST or None, request.FILES or None, instance=resource, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Ressource enregistrée.")
        return redirect("resource", slug=resource.slug)
    return render(
        request,
        "trainings/resources/form.html",
        {"title": f"Modifier : {resource.title}", "form": form, "resource": resource},
        status=400 if form.errors else 200,
    )


@login_required
def moderation(request):
    """The moderators' queue: proposals to publish, readers' reports to treat."""
    require(request.user, "trainings.moderate_resource")
    reports = (
        ResourceReport.objects.visible_to(request.user)
        .filter(status=ResourceReport.Status.OPEN)
        .select_related("resource")
    )
    proposals = Resource.objects.filter(state=Resource.State.PROPOSED).select_related("contributor")
    return render(
        request,
        "trainings/resources/moderation.html",
        {
            "title": "Modération des ressources",
            "proposals": Paginator(proposals.order_by("created_at"), 50).get_page(
                request.GET.get("page")
            ),
            "reports": reports[:100],
            "withdrawn": Resource.objects.filter(state=Resource.State.WITHDRAWN).order_by("title"),
        },
    )


@login_required
@require_POST
def moderate(request, slug):
    resource = _resource(request, slug)
    require(request.user, "trainings.moderate_resource", resource)
    publish = request.POST.get("decision") == "publier"
    library.moderate(resource, publish)
    messages.success(
        request, f"« {resource.title} » {'publiée' if publish else 'retirée de la bibliothèque'}."
    )
    return redirect("resource-moderation")


@login_required
@require_POST
def resolve_report(request, pk):
    problem = get_object_or_404(ResourceReport.objects.visible_to(request.user), pk=pk)
    require(request.user, "trainings.resolve_resource_report", problem)
    if library.resolve_report(problem, request.user):
        messages.success(request, "Signalement traité.")
    else:
        messages.info(request, "Ce signalement était déjà traité.")
    return redirect("resource-moderation")
