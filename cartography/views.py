"""The home page: the département on a map, with a commune search that works without JavaScript."""

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from .models import Commune, Departement
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
    results = []
    if request.GET.get("commune"):
        selected = communes.filter(code=request.GET["commune"]).first()
    elif query:
        results = list(communes.search(query).order_by("name")[: MAX_RESULTS + 1])
        exact = [c for c in results if c.code == query.upper() or _same_name(c.name, query)]
        if len(exact) == 1 or len(results) == 1:
            selected = (exact or results)[0]
            results = []

    context = {
        "title": "Carte du territoire",
        "departements": departements,
        "departement": departement,
        "query": query,
        "results": results[:MAX_RESULTS],
        "more_results": len(results) > MAX_RESULTS,
        "selected": selected,
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


def _same_name(name: str, query: str) -> bool:
    from unicodedata import combining, normalize

    def fold(text):
        return "".join(c for c in normalize("NFD", text.casefold()) if not combining(c))

    return fold(name).replace("-", " ") == fold(query).replace("-", " ")
