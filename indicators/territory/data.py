"""What a territory page shows: the territory and its references (EPCI, département, France),
and its blocks of indicator figures, gathered in a bounded number of queries.

A figure is the `Value` row the reader may see (`Value.objects.visible_to`): a withheld value
is shown as "secret statistique (moins de N …)" and a missing one names what is missing, never
a number or 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.http import Http404

from cartography.models import EPCI, Commune, Departement
from hub.collation import french_key

from ..api import period_key
from ..models import Indicator, Level, Value, ValueStatus
from ..registry import FRANCE_CODE

LEVEL_NAMES = {
    Level.COMMUNE: "commune",
    Level.EPCI: "EPCI",
    Level.DEPARTEMENT: "département",
    Level.FRANCE: "France",
}
FRAGILITY_AXES = (
    ("global", "score global"),
    ("acces-information", "accès à l’information"),
    ("acces-interfaces-numeriques", "accès aux interfaces numériques"),
    ("competences-administratives", "compétences administratives"),
    ("competences-numeriques-scolaires", "compétences numériques / scolaires"),
)


@dataclass(frozen=True)
class BlockSpec:
    key: str
    title: str
    codes: tuple[str, ...] = ()
    staff: bool = False  # shown only to those who read the schools' figures


BLOCKS = (
    BlockSpec("population", "Population"),
    BlockSpec(
        "fragilite",
        "Fragilité numérique",
        tuple(f"fragilite-numerique-{axis}-ref-departement" for axis, _ in FRAGILITY_AXES),
    ),
    BlockSpec("fibre", "Couverture en fibre", ("part-locaux-raccordables-fibre",)),
    BlockSpec(
        "lieux",
        "Lieux d’aide au numérique",
        (
            "lieux-pour-10000-habitants",
            "lieux-ouverts-samedi-ou-soir",
            "population-a-plus-de-10-km-aide-demarches",
            "distance-moyenne-aide-demarches",
        ),
    ),
    BlockSpec(
        "ecoles",
        "Écoles",
        (
            "terminaux-eleves-pour-100-eleves",
            "ecoles-sans-fibre",
            *(f"part-ecoles-maturite-niveau-{n}" for n in range(5)),
        ),
    ),
    BlockSpec(
        "equipement",
        "Équipements et prêts aux familles",
        (
            "taux-reponse-recensement",
            "equipements-installes",
            "prets-familles-en-cours",
            "prets-familles-en-retard",
        ),
        staff=True,
    ),
)
BLOCK_KEYS = {block.key: block for block in BLOCKS}
TREND_PERIODS = 8  # quarters of fibre shown as a trend


@dataclass(frozen=True)
class Place:
    """A territory the page compares with: (level, code, name)."""

    level: str
    code: str
    name: str

    @property
    def label(self) -> str:
        if self.level == Level.FRANCE:
            return "France"
        return f"{LEVEL_NAMES[self.level]} {self.name}".replace("commune ", "")


@dataclass
class Territory:
    level: str
    code: str
    name: str
    object: Commune | EPCI | Departement
    references: list[Place]  # EPCI, département, France (those above it)
    commune_codes: list[str] = field(default_factory=list)

    @property
    def place(self) -> Place:
        return Place(self.level, self.code, self.name)

    @property
    def kind(self) -> str:
        return LEVEL_NAMES[self.level]

    def q(self, commune_field: str) -> Q:
        """The rows whose commune (`commune_field` a Commune relation) lies in the territory."""
        if self.level == Level.COMMUNE:
            return Q(**{f"{commune_field}__code": self.code})
        if self.level == Level.EPCI:
            return Q(**{f"{commune_field}__epci__siren": self.code})
        return Q(**{f"{commune_field}__departement__code": self.code})


FRANCE = Place(Level.FRANCE, FRANCE_CODE, "France")


def find_territory(level: str, code: str) -> Territory:
    """The territory of the URL, or a 404 in French."""
    if level == Level.COMMUNE:
        commune = Commune.objects.select_related("epci", "departement").filter(code=code).first()
        if commune is None:
            raise Http404(f"Aucune commune de code INSEE {code} dans le hub.")
        references = []
        if commune.epci:
            references.append(Place(Level.EPCI, commune.epci.siren, commune.epci.name))
        dep = commune.departement
        references += [Place(Level.DEPARTEMENT, dep.code, dep.name), FRANCE]
        return Territory(level, code, commune.name, commune, references, [code])
    if level == Level.EPCI:
        epci = EPCI.objects.filter(siren=code).first()
        if epci is None:
            raise Http404(f"Aucun EPCI de SIREN {code} dans le hub.")
        dep = Departement.objects.filter(code=epci.seat_departement_code).first()
        references = [Place(Level.DEPARTEMENT, dep.code, dep.name)] if dep else []
        members = list(Commune.objects.filter(epci=epci).values_list("code", flat=True))
        return Territory(level, code, epci.name, epci, [*references, FRANCE], members)
    if level == Level.DEPARTEMENT:
        dep = Departement.objects.filter(code=code).first()
        if dep is None:
            raise Http404(f"Aucun département de code {code} dans le hub.")
        members = list(Commune.objects.filter(departement=dep).values_list("code", flat=True))
        return Territory(level, code, dep.name, dep, [FRANCE], members)
    raise Http404("Échelon inconnu : commune, epci ou departement.")


# --- Figures -----------------------------------------------------------------------------------


def number(value: float, precision: int) -> str:
    text = f"{value:,.{precision}f}".replace(",", "\u202f").replace(".", ",")
    return text


def unit_noun(indicator: Indicator) -> str:
    """What the small-count rule counts for this indicator, in words."""
    return (
        "écoles"
        if indicator.code in BLOCK_KEYS["ecoles"].codes + BLOCK_KEYS["equipement"].codes
        else "unités"
    )


def value_text(indicator: Indicator, value: Value | None) -> str:
    """A value as the page says it: the figure and its unit, or why there is none."""
    if value is None:
        return "non calculée"
    if value.status == ValueStatus.WITHHELD:
        return (
            f"secret statistique (moins de {indicator.small_count_threshold} "
            f"{unit_noun(indicator)})"
        )
    if value.status == ValueStatus.MISSING or value.value is None:
        inputs = " ; ".join(value.missing_inputs[:3]) or "données d’entrée absentes"
        return f"donnée manquante ({inputs})"
    text = f"{number(value.value, indicator.precision)} {indicator.unit}".strip()
    if value.status == ValueStatus.ESTIMATED:
        text += " (estimée : données partielles)"
    return text


@dataclass
class Comparison:
    place: Place
    value: Value | None
    text: str


@dataclass
class Line:
    """One indicator of a block for the territory: its newest period, the previous one and the
    same period in the references."""

    indicator: Indicator
    period: str | None
    value: Value | None
    text: str
    previous_period: str | None = None
    previous: Value | None = None
    previous_text: str = ""
    change: str = ""
    comparisons: list[Comparison] = field(default_factory=list)
    trend: list[tuple[str, str]] = field(default_factory=list)  # (period, text), oldest first


def change_text(indicator: Indicator, current: Value | None, previous: Value | None) -> str:
    shown = (ValueStatus.COMPUTED, ValueStatus.IMPORTED, ValueStatus.ESTIMATED)
    if not current or not previous or current.status not in shown or previous.status not in shown:
        return "évolution non disponible"
    if current.value is None or previous.value is None:
        return "évolution non disponible"
    delta = current.value - previous.value
    unit = ("point" if abs(delta) < 2 else "points") if indicator.unit == "%" else indicator.unit
    sign = "+" if delta >= 0 else "−"
    return f"{sign}{number(abs(delta), indicator.precision)} {unit}".strip()


@dataclass
class Block:
    spec: BlockSpec
    lines: list[Line] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def sources(self) -> list[str]:
        return list(dict.fromkeys(line.indicator.sources for line in self.lines))

    @property
    def vintages(self) -> list[str]:
        found = [line.value.data_vintage for line in self.lines if line.value]
        found += [line.indicator.source_vintage for line in self.lines]
        return list(dict.fromkeys(v for v in found if v))

    @property
    def computed_at(self):
        moments = [line.value.computed_at for line in self.lines if line.value]
        moments = [m for m in moments if m]
        return max(moments) if moments else None


def indicator_lines(user, territory: Territory, specs) -> dict[str, list[Line]]:
    """The lines of the given blocks, from two queries (indicators, values)."""
    codes = [code for spec in specs for code in spec.codes]
    indicators = {i.code: i for i in Indicator.objects.visible_to(user).filter(code__in=codes)}
    places = [territory.place, *territory.references]
    where = Q()
    for place in places:
        where |= Q(level=place.level, territory_code=place.code)
    values: dict[tuple[str, str, str], dict[str, Value]] = {}
    for value in Value.objects.visible_to(user).filter(where, indicator__code__in=indicators):
        key = (value.indicator_id, value.level, value.territory_code)
        values.setdefault(key, {})[value.period] = value
    lines: dict[str, list[Line]] = {}
    for spec in specs:
        lines[spec.key] = []
        for code in spec.codes:
            indicator = indicators.get(code)
            if indicator is None:
                continue  # staff-only indicator, public reader
            if indicator.levels and territory.level not in indicator.levels:
                continue
            own = values.get((indicator.pk, territory.level, territory.code), {})
            periods = sorted(own, key=period_key, reverse=True)
            period = periods[0] if periods else None
            current = own.get(period)
            line = Line(indicator, period, current, value_text(indicator, current))
            if len(periods) > 1:
                line.previous_period = periods[1]
                line.previous = own[periods[1]]
                line.previous_text = value_text(indicator, line.previous)
                line.change = change_text(indicator, current, line.previous)
                line.trend = [
                    (p, value_text(indicator, own[p])) for p in reversed(periods[:TREND_PERIODS])
                ]
            for place in territory.references:
                if indicator.levels and place.level not in indicator.levels:
                    line.comparisons.append(Comparison(place, None, "sans objet à cet échelon"))
                    continue
                theirs = values.get((indicator.pk, place.level, place.code), {}).get(period)
                line.comparisons.append(Comparison(place, theirs, value_text(indicator, theirs)))
            lines[spec.key].append(line)
    return lines


def population(territory: Territory) -> dict:
    """Population of the territory and of its references (sum of their communes' municipal
    populations; communes without one are counted and said)."""
    rows = []
    for place in [territory.place, *territory.references]:
        communes = Commune.objects.all()
        if place.level == Level.COMMUNE:
            communes = communes.filter(code=place.code)
        elif place.level == Level.EPCI:
            communes = communes.filter(epci__siren=place.code)
        elif place.level == Level.DEPARTEMENT:
            communes = communes.filter(departement__code=place.code)
        figures = communes.aggregate(
            total=Sum("population"),
            communes=Count("pk"),
            unknown=Count("pk", filter=Q(population__isnull=True)),
        )
        rows.append({"place": place, **figures})
    return {"rows": rows, "own": rows[0]}


# --- Places, schools, deployments and loans -----------------------------------------------------

NEAREST = 5
NEAREST_KM = 30
LISTED = 15


def directory_links(territory: Territory) -> dict[str, str]:
    """The directory (/lieux/) pre-filtered on the territory (its `insee` and `epci` fields:
    an INSEE code given as `lieu` would be read as a postal code, 28100 being Dreux's)."""
    from django.urls import reverse
    from django.utils.http import urlencode

    base = reverse("directory")
    if territory.level == Level.COMMUNE:
        query = {"insee": territory.code}
    elif territory.level == Level.EPCI:
        query = {"epci": territory.code}
    else:
        return {"all": base, "saturday": f"{base}?ouvert_samedi=on"}
    return {
        "all": f"{base}?{urlencode(query)}",
        "saturday": f"{base}?{urlencode({**query, 'ouvert_samedi': 'on'})}",
    }


def places(territory: Territory) -> dict:
    """The places of help in the territory (the first of them listed), how many open on
    Saturday, and for a commune the nearest ones around it."""
    from actors import opening
    from actors.models import Place as HelpPlace

    inside = HelpPlace.objects.filter(territory.q("commune")).select_related("commune")
    hours = list(inside.values_list("pk", "opening_hours"))
    saturday = opening.next_weekday(5, opening.local_now().date())
    texts = {text for _, text in hours}
    open_texts = {text for text in texts if text and opening.open_on(text, saturday)}
    nearest = []
    if territory.level == Level.COMMUNE and territory.object.geometry is not None:
        point = territory.object.geometry.point_on_surface
        nearest = list(
            HelpPlace.objects.select_related("commune").around(point, NEAREST_KM)[:NEAREST]
        )
    return {
        "count": len(hours),
        "saturday": sum(1 for _, text in hours if text in open_texts),
        "listed": list(inside.order_by("name", "pk")[:LISTED]),
        "nearest": nearest,
        "nearest_km": NEAREST_KM,
        "links": directory_links(territory),
    }


SCHOOLS_LISTED = 200  # beyond, the schools' own list (/ecoles/) is the place to browse them


def school_rows(user, territory: Territory) -> dict:
    """Per school, for those who read the schools' figures (`School.objects.visible_to`): the
    newest census answer's maturity level, terminals per 100 pupils and connection (the first
    SCHOOLS_LISTED schools; `more` says whether there are others)."""
    from django.db.models import Prefetch

    from equipment.models import CensusAnswer, School

    answers = (
        CensusAnswer.objects.select_related("campaign")
        .only(
            "school_id",
            "campaign__school_year",
            "pupils",
            "desktops_pupils",
            "laptops_pupils",
            "tablets_pupils",
            "connection",
            "level",
        )  # fmt: skip
        .order_by("-campaign__school_year")
    )
    schools = (
        School.objects.visible_to(user)
        .filter(territory.q("commune"))
        .select_related("commune")
        .prefetch_related(Prefetch("census_answers", queryset=answers))
        .order_by("commune__name", "name")[: SCHOOLS_LISTED + 1]
    )
    rows = []
    for school in schools:
        answer = next(iter(school.census_answers.all()), None)
        terminals = answer.terminals_per_100_pupils if answer else None
        rows.append(
            {
                "school": school,
                "answer": answer,
                "terminals": None if terminals is None else number(terminals, 1),
            }
        )
    return {"rows": rows[:SCHOOLS_LISTED], "more": len(rows) > SCHOOLS_LISTED}


def commune_school_lines(user, territory: Territory, codes: tuple[str, ...]) -> list:
    """For an EPCI or a département: the school indicators of each member commune (aggregates,
    withheld under the small-count rule like everywhere)."""
    indicators = {i.code: i for i in Indicator.objects.visible_to(user).filter(code__in=codes)}
    wanted = [indicators[c] for c in codes if c in indicators]
    values = (
        Value.objects.visible_to(user)
        .filter(
            indicator__in=wanted,
            level=Level.COMMUNE,
            territory_code__in=territory.commune_codes,
        )
        .select_related("indicator")
    )
    newest: dict[tuple[str, int], Value] = {}
    for value in values:
        key = (value.territory_code, value.indicator_id)
        if key not in newest or period_key(value.period) > period_key(newest[key].period):
            newest[key] = value
    names = dict(
        Commune.objects.filter(code__in={code for code, _ in newest}).values_list("code", "name")
    )
    return [
        {
            "code": code,
            "name": names.get(code, code),
            "cells": [value_text(i, newest.get((code, i.pk))) for i in wanted],
        }
        for code in sorted(names, key=lambda c: french_key(names[c]))
    ], wanted


def logistics(user, territory: Territory) -> dict:
    """Deployments by state and loans in progress or overdue, within what `user` may read."""
    from equipment.models import Deployment, Loan

    deployments = (
        Deployment.objects.visible_to(user)
        .filter(territory.q("school__commune"))
        .values("status")
        .annotate(n=Count("pk"), quantity=Sum("quantity"))
    )
    labels = dict(Deployment.Status.choices)
    loans = Loan.objects.visible_to(user).current().filter(territory.q("pool__school__commune"))
    from django.utils import timezone

    today = timezone.localdate()
    figures = loans.aggregate(
        devices=Sum("quantity"), overdue=Sum("quantity", filter=Q(due_on__lt=today))
    )
    return {
        "deployments": [
            {
                "status": labels.get(d["status"], d["status"]),
                "count": d["n"],
                "quantity": d["quantity"],
            }
            for d in deployments.order_by("status")
        ],
        "loans": {k: v or 0 for k, v in figures.items()},
    }


def national_reference() -> list[tuple[str, str]]:
    """Computers per 100 pupils in France by kind of school (ETIC 2018-2019)."""
    from equipment.models import NATIONAL_REFERENCE, School

    kinds = dict(School.Kind.choices)
    return [
        (kinds.get(kind, kind), number(figure, 1))
        for kind, figure in NATIONAL_REFERENCE.items()
        if kind in ("maternelle", "elementaire")
    ]


def reads_schools(user) -> bool:
    return user.is_authenticated and user.has_perm("equipment.access_schools")


def build(user, territory: Territory, keys: tuple[str, ...] | None = None) -> list[Block]:
    """The blocks of the page the reader may see (all, or those named by `keys`)."""
    staff = reads_schools(user)
    specs = [
        spec for spec in BLOCKS if (keys is None or spec.key in keys) and (staff or not spec.staff)
    ]
    lines = indicator_lines(user, territory, specs)
    blocks = []
    for spec in specs:
        block = Block(spec, lines[spec.key])
        if spec.key == "population":
            block.extra = population(territory)
        elif spec.key == "lieux":
            block.extra = places(territory)
        elif spec.key == "ecoles":
            if territory.level != Level.COMMUNE:
                rows, columns = commune_school_lines(user, territory, spec.codes[:2])
                block.extra["communes"] = rows
                block.extra["columns"] = columns
            if staff:
                block.extra["schools"] = school_rows(user, territory)
            block.extra["national"] = national_reference()
        elif spec.key == "equipement":
            block.extra = logistics(user, territory)
        blocks.append(block)
    return blocks
