"""Public pages of the directory: search (list and map together) and a place's page."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from cartography.models import Departement
from hub.throttling import throttled

from . import opening
from .directory import DirectoryForm, distance_km, search
from .models import Offer, Place, Stop

PAGE_SIZE = 20


def directory(request):
    departement = Departement.objects.filter(code=settings.HUB_DEFAULT_DEPARTEMENT).first()
    form = DirectoryForm(request.GET or None, departement=departement)
    page = None
    located = False
    commune = None
    if not request.GET or form.is_valid():
        data = form.cleaned_data if request.GET else {}
        result = search(data)
        located = result.point is not None
        commune = result.commune
        places = result.places.prefetch_related(
            Prefetch("offers", queryset=Offer.objects.order_by("position"))
        )
        page = Paginator(places, PAGE_SIZE).get_page(request.GET.get("page"))
        for place in page:
            place.distance_text = distance_km(place)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "actors/directory.html",
        {
            "title": "Trouver de l’aide avec le numérique",
            "form": form,
            "page": page,
            "located": located,
            "commune": commune,  # the searched commune: a link to its territory page
            "query": query.urlencode(),
            "has_filters": bool(request.GET),
            "communes_url": f"/api/communes/?departement={departement.code}"
            if departement
            else None,
        },
    )


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
            "report_email": settings.HUB_CONTACT_EMAIL,
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
