"""Public pages of the directory: search (list and map together) and a place's page."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from cartography.models import EPCI, Departement
from cartography.search import commune_label
from hub.throttling import throttled

from . import opening
from .directory import (
    DISTANCES,
    DirectoryForm,
    distance_km,
    nearest_beyond,
    phone_shown,
    search,
)
from .models import Offer, Place, Stop

PAGE_SIZE = 20
NEXT_DISTANCE = {km: wider for (km, _), (wider, _) in zip(DISTANCES, DISTANCES[1:], strict=False)}


def directory(request):
    departement = Departement.objects.filter(code=settings.HUB_DEFAULT_DEPARTEMENT).first()
    form = DirectoryForm(request.GET or None, departement=departement)
    context = {
        "title": "Trouver de l’aide avec le numérique",
        "form": form,
        "page": None,
        "has_filters": bool(request.GET),
        "communes_url": f"/api/communes/?departement={departement.code}" if departement else None,
    }
    query = request.GET.copy()
    query.pop("page", None)
    context["query"] = query.urlencode()
    valid = not request.GET or form.is_valid()
    data = form.cleaned_data if request.GET else {}
    lookup = data.get("lookup")
    context["lookup"] = lookup
    context["suggestions"] = [
        (label, _with(query, lieu=label, lat=None, lon=None))
        for label in (commune_label(c) for c in (lookup.suggestions if lookup else []))
    ]
    if not valid:
        return render(request, "actors/directory.html", context)
    if lookup and lookup.kind == "insee_code" and not data.get("lieu"):
        # Reached by a link naming the commune by its INSEE code: the field shows its name,
        # so that searching again keeps it (the code itself is not sent again).
        form.data = form.data.copy()
        form.data["lieu"] = lookup.label
    result = search(data)
    places = result.places.prefetch_related(
        Prefetch("offers", queryset=Offer.objects.order_by("position"))
    )
    page = Paginator(places, PAGE_SIZE).get_page(request.GET.get("page"))
    now = opening.local_now()
    for place in page:
        place.distance_text = distance_km(place)
        place.phone_shown = phone_shown(place.phone)
        # None: hours unknown or unreadable, nothing is said rather than a guess.
        place.open_now = (
            opening.is_open(place.opening_hours, now)
            if place.opening_hours_valid and place.opening_hours
            else None
        )
    context.update(
        page=page,
        located=result.point is not None,
        commune=result.commune,  # the searched commune: a link to its territory page
        outside_count=0 if data.get("hors_territoire") else result.outside.count(),
        outside_url=_with(query, hors_territoire="on"),
    )
    if page.paginator.count == 0 and request.GET:
        nearest = nearest_beyond(data) if result.point or result.communes else []
        context["nearest"] = nearest
        context["reasons"] = _reasons(data, query, nearest[0].distance if nearest else None)
    return render(request, "actors/directory.html", context)


def _with(query, **changes) -> str:
    """The directory's URL with some parameters changed (None removes one), results in view."""
    query = query.copy()
    for name, value in changes.items():
        query.pop(name, None)
        if value is not None:
            query[name] = value
    return f"?{query.urlencode()}#resultats"


def _reasons(data: dict, query, nearest_metres=None) -> list[tuple[str, str, str]]:
    """Why nothing was found: each criterion that narrows the search, as (what it is, the
    link that widens or removes it, the link's text); the first is the likeliest widening:
    the distance that reaches the nearest place, when one is within the widest distance."""
    reasons = []
    lookup = data.get("lookup")
    where = lookup.label if lookup and lookup.found else "votre position"
    distance = data.get("distance")
    if data.get("point") is not None and distance:
        wider = NEXT_DISTANCE.get(distance)
        if nearest_metres is not None:
            reaching = [km for km, _ in DISTANCES if int(km) * 1000 >= nearest_metres]
            wider = reaching[0] if reaching and int(reaching[0]) > int(distance) else wider
        if wider:
            reasons.append(
                (
                    f"à moins de {distance} km de {where}",
                    _with(query, distance=wider),
                    f"Élargir la recherche à {wider} km",
                )
            )
    elif data.get("communes"):
        reasons.append(
            (
                f"dans la commune {where}" if len(data["communes"]) == 1 else f"à {where}",
                _with(query, distance="10"),
                "Chercher aussi à moins de 10 km",
            )
        )
    if data.get("ouvert_maintenant"):
        reasons.append(
            (
                "ouverts maintenant",
                _with(query, ouvert_maintenant=None),
                "Voir aussi les lieux fermés en ce moment",
            )
        )
    if data.get("ouvert_samedi"):
        reasons.append(
            (
                "ouverts le samedi",
                _with(query, ouvert_samedi=None),
                "Voir aussi les lieux fermés le samedi",
            )
        )
    labels = {name: DirectoryForm.base_fields[name].label for name in DirectoryForm.MORE}
    labels["besoin"] = DirectoryForm.base_fields["besoin"].label
    for name in ("besoin", "q", "public", "accompagnement_specifique", "frais", "modalite",
                 "niveau", "programme", "epci"):  # fmt: skip
        value = data.get(name)
        if value:
            field = DirectoryForm.base_fields[name]
            shown = dict(getattr(field, "choices", ())).get(str(value), value)
            if name == "epci":
                shown = EPCI.objects.filter(siren=value).values_list("name", flat=True).first()
            reasons.append(
                (
                    f"{labels[name]} : {shown}",
                    _with(query, **{name: None}),
                    f"Retirer « {labels[name]} »",
                )
            )
    return reasons


def place_detail(request, pk):
    place = get_object_or_404(
        Place.objects.select_related("commune", "structure").prefetch_related(
            Prefetch("offers", queryset=Offer.objects.order_by("position")),
            Prefetch("stops", queryset=Stop.objects.select_related("commune")),
        ),
        pk=pk,
    )
    offers = list(place.offers.all())
    merged = {
        field: list(dict.fromkeys(v for o in offers for v in getattr(o, field)))
        for field in (
            "publics",
            "specific_support",
            "fees",
            "accompaniment_modes",
            "programmes",
            "labels",
        )
    }
    stops = [(stop, opening.describe(stop.opening_hours)) for stop in place.stops.all()]
    return render(
        request,
        "actors/place_detail.html",
        {
            "title": place.name,
            "place": place,
            "services": [o.service for o in offers if o.service],
            "merged": merged,
            "week": opening.describe(place.opening_hours),
            "stops": stops,
        },
    )


MAX_SHEETS = 50


def _pdf_response(places, request, filename):
    from .sheets import render_pdf

    response = HttpResponse(render_pdf(places, request), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _with_details(queryset):
    return queryset.select_related("commune").prefetch_related(
        Prefetch("offers", queryset=Offer.objects.order_by("position")),
        Prefetch("stops", queryset=Stop.objects.select_related("commune")),
    )


@throttled("pdf")  # a PDF costs seconds of CPU: anonymous requests are capped
def place_sheet(request, pk):
    """The orientation sheet of one place, as a PDF."""
    place = get_object_or_404(_with_details(Place.objects.all()), pk=pk)
    return _pdf_response([place], request, f"fiche-lieu-{pk}.pdf")


@throttled("pdf")
def selection_sheets(request):
    """Sheets of the places a search found (its first 50), as one PDF."""
    departement = Departement.objects.filter(code=settings.HUB_DEFAULT_DEPARTEMENT).first()
    form = DirectoryForm(request.GET or None, departement=departement)
    if request.GET and not form.is_valid():
        return directory(request)
    places = _with_details(search(form.cleaned_data if request.GET else {}).places)[:MAX_SHEETS]
    return _pdf_response(list(places), request, "fiches-lieux.pdf")
