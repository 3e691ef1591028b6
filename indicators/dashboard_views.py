"""`/tableaux-de-bord/`: a dashboard per role (DSDEN, préfecture, local authorities, public) and
`/diagnostic/`, the gap diagnostic.

A dashboard shows any of its indicators for one département (or, for a local authority, its own
territory) at commune or EPCI level: a choropleth (static/js/dashboard.js over the values API),
a table sortable through query parameters (no JavaScript needed), a bar chart of the table's
first rows and a time series of the département when several periods exist (DSFR chart
components, each followed by its data table). Values come from `Value.objects.visible_to`; a
withheld value is rendered as "secret statistique", never as a figure.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.rules import territory
from cartography.models import Commune, Departement
from hub.collation import french_key

from . import diagnostic
from .api import period_key, territory_names
from .models import DiagnosticWeights, Indicator, Level, Value, ValueStatus

SCHOOLS = (
    "terminaux-eleves-pour-100-eleves",
    "ecoles-sans-fibre",
    "taux-reponse-recensement",
    *(f"part-ecoles-maturite-niveau-{n}" for n in range(5)),
    "equipements-installes",
    "prets-familles-en-cours",
    "prets-familles-en-retard",
)
TERRITORY = (
    "part-locaux-raccordables-fibre",
    "fragilite-numerique-global-ref-departement",
    "population-a-plus-de-10-km-aide-demarches",
    "distance-moyenne-aide-demarches",
    "lieux-pour-10000-habitants",
    "lieux-ouverts-samedi-ou-soir",
)


@dataclass(frozen=True)
class Dashboard:
    key: str
    title: str
    intro: str
    indicators: tuple[str, ...]
    roles: tuple[str, ...]  # whose territory bounds it (empty: any loaded département)
    levels: tuple[str, ...] = (Level.COMMUNE, Level.EPCI)
    links: tuple[tuple[str, str], ...] = ()  # (label, URL name)


DASHBOARDS = {
    d.key: d
    for d in [
        Dashboard(
            "dsden",
            "Tableau de bord DSDEN",
            "Les écoles de vos départements : équipement, avancement du recensement, niveaux "
            "de maturité numérique et déploiements.",
            SCHOOLS,
            (roles.DSDEN_STAFF, roles.HUB_ADMINS),
            links=(
                ("Écoles et liste des manques", "equipment-schools"),
                ("Déploiements", "equipment-deployments"),
                ("Prêts aux familles", "equipment-loans"),
            ),
        ),
        Dashboard(
            "prefecture",
            "Tableau de bord préfecture",
            "Couverture en fibre, fragilité numérique et accès à l’aide dans vos départements, "
            "et le diagnostic des écarts.",
            (
                *TERRITORY,
                *(
                    c
                    for c in (
                        "fragilite-numerique-acces-information-ref-departement",
                        "fragilite-numerique-acces-interfaces-numeriques-ref-departement",
                        "fragilite-numerique-competences-administratives-ref-departement",
                        "fragilite-numerique-competences-numeriques-scolaires-ref-departement",
                    )
                ),
            ),  # fmt: skip
            (roles.PREFECTURE_STAFF, roles.HUB_ADMINS),
            links=(("Diagnostic des écarts", "diagnostic"), ("Couverture fibre", "coverage-map")),
        ),
        Dashboard(
            "collectivite",
            "Tableau de bord de la collectivité",
            "Les chiffres de votre territoire : écoles, couverture, fragilité et accès à l’aide.",
            (*TERRITORY, *SCHOOLS),
            (roles.LOCAL_AUTHORITY, roles.HUB_ADMINS),
            links=(
                ("Diagnostic des écarts", "diagnostic"),
                ("Déploiements", "equipment-deployments"),
            ),
        ),
        Dashboard(
            "public",
            "Tableau de bord public",
            "Quelques indicateurs publics, agrégés par EPCI ou par commune.",
            (
                "lieux-pour-10000-habitants",
                "part-locaux-raccordables-fibre",
                "fragilite-numerique-global-ref-departement",
                "population-a-plus-de-10-km-aide-demarches",
            ),
            (),
            levels=(Level.EPCI, Level.COMMUNE),
            links=(("Diagnostic des écarts", "diagnostic"),),
        ),
    ]
}
LEVEL_LABELS = {Level.COMMUNE: "commune", Level.EPCI: "EPCI"}
# A sequential blue scale (DSFR "bleu France" tints), the darkest for the highest class.
CLASS_COLOURS = ["#e3e3fd", "#cacafb", "#8585f6", "#313178", "#000091"]
NO_FIGURE_COLOUR = "#bbbbbb"
SORTS = {"nom": "name", "code": "code", "valeur": "value"}
STAFF_ROLES = (roles.HUB_ADMINS, roles.DSDEN_STAFF, roles.PREFECTURE_STAFF, roles.LOCAL_AUTHORITY)


def dashboards_for(user) -> list[Dashboard]:
    return [d for d in DASHBOARDS.values() if user.has_perm("indicators.open_dashboard", d.key)]


def dashboard_index(request):
    """The reader's own dashboard: the first one their role opens (the public one otherwise)."""
    first = dashboards_for(request.user)[0]
    return redirect("dashboard", key=first.key)


@dataclass
class Scope:
    """Where a dashboard looks: a département, and for a local authority its communes."""

    departements: list[Departement]
    departement: Departement | None
    communes: set[str] | None = None  # None: the whole département

    def codes(self, level: str) -> list[str]:
        communes = Commune.objects.filter(departement=self.departement)
        if self.communes is not None:
            communes = communes.filter(code__in=self.communes)
        if level == Level.EPCI:
            return sorted(set(communes.exclude(epci=None).values_list("epci__siren", flat=True)))
        if level == Level.DEPARTEMENT:
            return [self.departement.code]
        return list(communes.values_list("code", flat=True))


def scope_for(user, bounded_by: tuple[str, ...], asked: str, own_communes=False) -> Scope:
    """The départements the reader may pick (the territory of their `bounded_by` roles; every
    loaded one when empty or national) and the chosen one; with `own_communes`, a reader
    scoped to communes or EPCI keeps to their communes."""
    loaded = Departement.objects.order_by("code")
    communes = None
    area = territory(user, *bounded_by) if bounded_by else None
    if area is not None and not area.national:
        communes_in = Commune.objects.filter(area.q("departement__code", "epci__siren", "code"))
        loaded = loaded.filter(
            Q(code__in=area.departements) | Q(code__in=communes_in.values("departement__code"))
        )
        if own_communes and not area.departements:
            communes = set(communes_in.values_list("code", flat=True))
    departements = list(loaded)
    chosen = next((d for d in departements if d.code == asked), None)
    if chosen is None:
        default = settings.HUB_DEFAULT_DEPARTEMENT
        chosen = next((d for d in departements if d.code == default), None) or (
            departements[0] if departements else None
        )
    return Scope(departements, chosen, communes)


def figure_text(value: Value | None, indicator: Indicator) -> str:
    """A value as read on the page: withheld and missing values never show a figure."""
    if value is None:
        return "–"
    if value.status == ValueStatus.WITHHELD:
        return "secret statistique"
    if value.value is None:
        return "donnée manquante"
    return diagnostic.french_number(value.value, indicator.precision)


def shown(value: Value | None) -> float | None:
    """The figure that may be drawn (None for withheld and missing values)."""
    if value is None or value.status == ValueStatus.WITHHELD:
        return None
    return value.value


def class_breaks(figures: list[float], precision: int) -> list[dict]:
    """Up to five classes of equal counts (quantiles), each with its colour and label."""
    figures = sorted(set(figures))
    if not figures:
        return []
    count = min(len(CLASS_COLOURS), len(figures))
    bounds = [figures[round(i * (len(figures) - 1) / count)] for i in range(count)]
    bounds = sorted(set(bounds))
    colours = CLASS_COLOURS[-len(bounds) :] if len(bounds) < len(CLASS_COLOURS) else CLASS_COLOURS
    classes = []
    for i, low in enumerate(bounds):
        high = bounds[i + 1] if i + 1 < len(bounds) else None
        low_text = diagnostic.french_number(low, precision)
        label = f"{low_text} et plus"
        if high is not None:
            label = f"de {low_text} à moins de {diagnostic.french_number(high, precision)}"
        classes.append({"min": low, "colour": colours[i], "label": label})
    return classes


def colour_of(figure: float | None, classes: list[dict]) -> str:
    if figure is None or not classes:
        return NO_FIGURE_COLOUR
    found = classes[0]["colour"]
    for c in classes:
        if figure >= c["min"]:
            found = c["colour"]
    return found


def sorted_rows(rows: list[dict], sort: str) -> list[dict]:
    """Rows sorted by `sort` ("nom", "code", "valeur", "-valeur"…); territories without a
    figure always last."""
    descending = sort.startswith("-")
    key = SORTS.get(sort.lstrip("-"), "name")
    if key == "value":
        with_figure = [r for r in rows if r["figure"] is not None]
        without = sorted(
            (r for r in rows if r["figure"] is None), key=lambda r: french_key(r["name"])
        )
        return sorted(with_figure, key=lambda r: r["figure"], reverse=descending) + without
    order = (lambda r: french_key(r[key])) if key == "name" else (lambda r: r[key])
    return sorted(rows, key=order, reverse=descending)


def sort_links(query: dict, sort: str) -> dict:
    """For each sortable column: the URL that sorts by it (reversing when already sorted) and
    its aria-sort state."""
    links = {}
    for column in SORTS:
        current = sort.lstrip("-") == column
        descending = sort.startswith("-")
        target = f"-{column}" if current and not descending else column
        links[column] = {
            "url": "?" + urlencode({**query, "tri": target}),
            "aria": ("descending" if descending else "ascending") if current else "none",
        }
    return links


def dashboard(request, key):
    board = DASHBOARDS.get(key)
    if board is None or not request.user.has_perm("indicators.open_dashboard", key):
        raise Http404("Tableau de bord inconnu.")
    readable = Indicator.objects.visible_to(request.user)
    indicators = list(readable.filter(code__in=board.indicators))
    indicators.sort(key=lambda i: board.indicators.index(i.code))
    # Staff dashboards offer every other indicator they may read too (partners' imported
    # figures included) that exists per commune or EPCI; the public one stays reduced.
    others = []
    if board.roles:
        others = [
            i
            for i in readable.exclude(code__in=board.indicators).order_by("name")
            if not i.levels or set(i.levels) & set(board.levels)
        ]
    scope = scope_for(
        request.user, board.roles, request.GET.get("departement", ""), key == "collectivite"
    )
    context = {
        "title": board.title,
        "board": board,
        "boards": dashboards_for(request.user),
        "indicators": indicators,
        "other_indicators": others,
        "scope": scope,
        "links": [(label, reverse(name)) for label, name in board.links],
    }
    if key == "collectivite":
        context["own_pages"] = own_territory_pages(request.user)
    if scope.departement is not None:
        context["key_figures"] = key_figures(request.user, indicators, scope)
    indicator = next(
        (i for i in [*indicators, *others] if i.code == request.GET.get("indicateur")),
        indicators[0] if indicators else None,
    )
    if indicator is None or scope.departement is None:
        return render(request, "indicators/dashboard.html", context)
    levels = [lv for lv in board.levels if not indicator.levels or lv in indicator.levels]
    level = request.GET.get("echelon")
    level = level if level in levels else (levels[0] if levels else Level.COMMUNE)
    values = Value.objects.visible_to(request.user).filter(indicator=indicator, level=level)
    codes = scope.codes(level)
    values = values.filter(territory_code__in=codes)
    periods = sorted(set(values.values_list("period", flat=True)), key=period_key, reverse=True)
    period = request.GET.get("periode")
    period = period if period in periods else (periods[0] if periods else "")
    found = {v.territory_code: v for v in values.filter(period=period)}
    names = territory_names(level, codes)
    rows = []
    for code in codes:
        value = found.get(code)
        if value is None:
            continue  # no value at all (no school in the commune…): counted, not listed
        rows.append(
            {
                "code": code,
                "name": names.get(code, code),
                "figure": shown(value),
                "text": figure_text(value, indicator),
                "withheld": bool(value and value.status == ValueStatus.WITHHELD),
                "url": f"/territoires/{level}/{code}/",
            }
        )
    sort = request.GET.get("tri", "-valeur")
    rows = sorted_rows(rows, sort)
    classes = class_breaks(
        [r["figure"] for r in rows if r["figure"] is not None], indicator.precision + 1
    )
    for row in rows:
        row["colour"] = colour_of(row["figure"], classes)
    query = {
        "departement": scope.departement.code,
        "indicateur": indicator.code,
        "echelon": level,
        "periode": period,
    }
    api = reverse("indicator-values", kwargs={"code": indicator.code})
    context.update(
        {
            "indicator": indicator,
            "level": level,
            "level_label": LEVEL_LABELS.get(level, level),
            "levels": [(lv, LEVEL_LABELS.get(lv, lv)) for lv in levels],
            "periods": periods,
            "period": period,
            "rows": rows,
            "sort": sort,
            "sort_links": sort_links(query, sort),
            "classes": classes,
            "no_figure_colour": NO_FIGURE_COLOUR,
            "withheld_count": sum(1 for r in rows if r["withheld"]),
            "unlisted_count": len(codes) - len(rows),
            "bar": bar_chart(rows[:12], indicator),
            "series": time_series(request.user, indicator, scope),
            "csv_url": api + "?" + urlencode({**query_api(query), "format": "csv"}),
            "map_config": {
                "valuesUrl": api + "?" + urlencode({**query_api(query), "format": "geojson"}),
                "codes": [r["code"] for r in rows],
                "classes": classes,
                "noFigureColour": NO_FIGURE_COLOUR,
                "territoryUrl": f"/territoires/{level}/",
                "unit": indicator.unit,
                "precision": indicator.precision,
            },
        }
    )
    return render(request, "indicators/dashboard.html", context)


def own_territory_pages(user) -> list[tuple[str, str]]:
    """A local authority's territories (département, EPCI, commune), each with its page."""
    area = territory(user, roles.LOCAL_AUTHORITY)
    pages = []
    for level, codes in [
        (Level.DEPARTEMENT, area.departements),
        (Level.EPCI, area.epcis),
        (Level.COMMUNE, area.communes),
    ]:
        names = territory_names(level, sorted(codes)) if codes else {}
        pages += [(names.get(c, c), f"/territoires/{level}/{c}/") for c in sorted(codes)]
    return pages


def key_figures(user, indicators: list[Indicator], scope: Scope) -> list[dict]:
    """Each indicator of the dashboard for the whole département, newest period."""
    newest = {}
    for value in Value.objects.visible_to(user).filter(
        indicator__in=indicators, level=Level.DEPARTEMENT, territory_code=scope.departement.code
    ):
        known = newest.get(value.indicator_id)
        if known is None or period_key(value.period) > period_key(known.period):
            newest[value.indicator_id] = value
    return [
        {
            "indicator": i,
            "period": newest[i.pk].period if i.pk in newest else "–",
            "text": figure_text(newest.get(i.pk), i),
            "url": "?" + urlencode({"departement": scope.departement.code, "indicateur": i.code}),
        }
        for i in indicators
    ]


def query_api(query: dict) -> dict:
    """The dashboard's choice in the values API's parameters."""
    return {
        "level": query["echelon"],
        "departement": query["departement"],
        "period": query["periode"],
    }


def bar_chart(rows: list[dict], indicator: Indicator) -> dict | None:
    """The table's first rows with a figure, for `<bar-chart>` (its table is the page's)."""
    drawn = [r for r in rows if r["figure"] is not None]
    if len(drawn) < 2:
        return None
    return {
        "x": json.dumps([[r["name"] for r in drawn]], ensure_ascii=False),
        "y": json.dumps([[round(r["figure"], indicator.precision) for r in drawn]]),
        "name": json.dumps([indicator.name], ensure_ascii=False),
        "rows": drawn,
    }


def time_series(user, indicator: Indicator, scope: Scope) -> dict | None:
    """The département's value per period, oldest first (None below two periods)."""
    if indicator.levels and Level.DEPARTEMENT not in indicator.levels:
        return None
    values = Value.objects.visible_to(user).filter(
        indicator=indicator, level=Level.DEPARTEMENT, territory_code=scope.departement.code
    )
    points = sorted(values, key=lambda v: period_key(v.period))
    if len(points) < 2:
        return None
    drawn = [v for v in points if shown(v) is not None]
    return {
        "x": json.dumps([[v.period for v in drawn]], ensure_ascii=False),
        "y": json.dumps([[round(shown(v), indicator.precision) for v in drawn]]),
        "name": json.dumps([indicator.name], ensure_ascii=False),
        "rows": [(v.period, figure_text(v, indicator)) for v in points],
    }


# --- The gap diagnostic ------------------------------------------------------------------------


def _diagnostic_context(request):
    # Staff rank within their départements; the public, in any loaded one.
    bounded_by = STAFF_ROLES if territory(request.user, *STAFF_ROLES) else ()
    scope = scope_for(request.user, bounded_by, request.GET.get("departement", ""))
    weights = DiagnosticWeights.current()
    what = "ecoles" if request.GET.get("rang") == "ecoles" else "communes"
    schools = request.user.has_perm("indicators.rank_schools")
    if what == "ecoles" and not schools:
        raise Http404("Le classement des écoles est réservé aux agents qui suivent les écoles.")
    rows = []
    if scope.departement is not None:
        rank = diagnostic.rank_schools if what == "ecoles" else diagnostic.rank_communes
        rows = rank(request.user, scope.departement.code, weights)
    return {
        "title": "Diagnostic des écarts",
        "scope": scope,
        "weights": weights,
        "factors": [(f, getattr(weights, f.key)) for f in diagnostic.FACTORS.values()],
        "what": what,
        "ranks_schools": schools,
        "rows": rows,
    }


def diagnostic_page(request):
    """Communes (and, for staff, schools) ranked by combined need, with the reasons;
    `?format=csv|xlsx` the same ranking as a file."""
    context = _diagnostic_context(request)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return diagnostic_file(request, context, fmt)
    departement = context["scope"].departement
    rows = context["rows"]
    scored = [r for r in rows if r.score is not None]
    classes = class_breaks([r.score for r in scored], 2)
    for row in rows:
        row.colour = colour_of(row.score, classes)
    query = {"departement": departement.code if departement else "", "rang": context["what"]}
    context.update(
        {
            "classes": classes,
            "no_figure_colour": NO_FIGURE_COLOUR,
            "csv_url": "?" + urlencode({**query, "format": "csv"}),
            "xlsx_url": "?" + urlencode({**query, "format": "xlsx"}),
            "map_config": {
                "communesUrl": reverse("commune-list")
                + "?"
                + urlencode({"departement": departement.code if departement else ""}),
                "scores": {
                    r.code: {"score": round(r.score, 2), "rank": r.rank, "colour": r.colour}
                    for r in scored
                }
                if context["what"] == "communes"
                else {},
                "noFigureColour": NO_FIGURE_COLOUR,
                "territoryUrl": "/territoires/commune/",
            },
        }
    )
    return render(request, "indicators/diagnostic.html", context)


def diagnostic_file(request, context, fmt) -> HttpResponse:
    weights, departement = context["weights"], context["scope"].departement
    table = diagnostic.export_rows(context["rows"], request.build_absolute_uri("/")[:-1])
    what = "écoles" if context["what"] == "ecoles" else "communes"
    title = (
        f"Diagnostic des écarts, {what} de {departement.name if departement else '—'}, "
        f"pondération v{weights.version}, {timezone.localdate():%d/%m/%Y}"
    )
    stem = (
        f"diagnostic-{context['what']}-{departement.code if departement else ''}-v{weights.version}"
    )
    if fmt == "xlsx":
        body = diagnostic.write_xlsx(table, title)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body, content_type = diagnostic.write_csv(table), "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response
