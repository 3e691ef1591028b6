"""The home page: find help near me first (the directory's search), then the territory's
figures and its map, with a commune search and a list of communes that work without JavaScript."""

from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from .models import EPCI, Commune, Departement
from .search import commune_label, find, with_postal_codes
from .services import normalize_departement_code

MAX_RESULTS = 20


def _selected_departement(request, departements):
    wanted = request.GET.get("departement") or settings.HUB_DEFAULT_DEPARTEMENT
    try:
        wanted = normalize_departement_code(wanted)
    except ValueError:
        wanted = None
    by_code = {d.code: d for d in departements}
    return by_code.get(wanted) or (departements[0] if departements else None)


def home(request):
    departements = list(Departement.objects.order_by("code"))
    departement = _selected_departement(request, departements)
    query = request.GET.get("q", "").strip()
    communes = Commune.objects.select_related("epci", "departement")
    if departement:
        communes = communes.filter(departement=departement)

    selected = None
    lookup = None
    if request.GET.get("commune"):
        selected = with_postal_codes(communes.filter(code=request.GET["commune"])).first()
    elif query:
        lookup = find(query, communes, departement.code if departement else None)
        selected = lookup.communes[0] if len(lookup.communes) == 1 else None
    results = (lookup.communes if lookup and len(lookup.communes) > 1 else []) or (
        lookup.suggestions if lookup and not lookup.found else []
    )

    listed = list(with_postal_codes(communes.order_by("name")))
    context = {
        "title": "Trouver de l’aide près de chez moi",
        "departements": departements,
        "departement": departement,
        "query": query,
        "lookup": lookup,
        "results": [(c, commune_label(c)) for c in results[:MAX_RESULTS]],
        "selected": selected,
        "communes": [(c, commune_label(c)) for c in listed],
        "figures": {
            "communes": len(listed),
            "population": communes.aggregate(p=Sum("population"))["p"],
            "epci": EPCI.objects.in_departement(departement.code).count() if departement else 0,
        },
        "map_config": {
            "communesUrl": _api_url("commune-list", departement),
            "epciUrl": _api_url("epci-list", departement),
            "selected": selected.code if selected else None,
            "hasTiles": bool(settings.LEAFLET_CONFIG["TILES"]),
        },
    }
    return render(request, "cartography/home.html", context)


def _api_url(name, departement):
    query = {"departement": departement.code} if departement else {}
    return f"{reverse(name)}?{urlencode(query)}"
