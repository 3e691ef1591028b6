"""Indicators computed by the hub: their declarations, and their values at every level.

An app declares its computed indicators on its AppConfig, `hub_indicators = ["app.module.NAME"]`,
each a dotted path to an `IndicatorDefinition` (or a list of them). Its `compute(context)` yields base `Row`s (one
per commune, or per school with its commune and circonscription); `recompute` aggregates them
up to the EPCI (current COG membership), the département, the circonscription and France by
the declared rule, always from the base rows (sum of numerators over sum of denominators,
never a mean of ratios), applies the small-count rule and writes `Value`s.
"""

from __future__ import annotations

import functools
import gc
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from cartography.models import Commune, CommuneChange
from hub.imports.writer import copy_insert
from hub.registry import collect

from .models import Aggregation, Indicator, Level, Obtained, Value, ValueStatus

RECOMPUTE_LOCK = 0x1D1CA7  # PostgreSQL advisory lock key of the recomputation
VALUE_FIELDS = (
    "value",
    "numerator",
    "denominator",
    "units",
    "status",
    "data_vintage",
    "geography_vintage",
    "input_state",
    "missing_inputs",
    "method_version",
)
VINTAGE_FIELDS = ("method_version", "data_vintage", "geography_vintage")
ALL_LEVELS = (Level.COMMUNE, Level.EPCI, Level.DEPARTEMENT, Level.FRANCE)
FRANCE_CODE = "FR"


@dataclass(frozen=True)
class Row:
    """One base unit's contribution: for a sum, `numerator` is the amount; for a ratio, the
    value is `scale × Σ numerator / Σ denominator`; for a population-weighted mean, the rows
    give value × population as numerator and population as denominator. `units` counts what
    the row describes (schools, places…) for the small-count rule; `missing` names inputs
    the hub lacks for this unit (its value is then unknown, never 0)."""

    commune: str
    period: str
    numerator: float | None = None
    denominator: float | None = None
    units: int = 1
    missing: tuple[str, ...] = ()
    data_vintage: str = ""
    groups: tuple[tuple[str, str], ...] = ()  # extra levels, e.g. (("circonscription", "…"),)


@dataclass
class Context:
    """What a computation is asked for: `communes` (INSEE codes) or None for all of France."""

    communes: set[str] | None = None
    epcis: set[str] = field(default_factory=set)  # complete in `communes` (SIREN)
    departements: set[str] = field(default_factory=set)  # complete in `communes`
    # Inputs several indicators read (census answers, fragility scores): loaded once a run.
    loaded: dict = field(default_factory=dict, repr=False, compare=False)

    def shared(self, key: str, load: Callable[[], list]) -> list:
        """`load()`'s rows, read once for every indicator of this recomputation."""
        if key not in self.loaded:
            self.loaded[key] = load()
        return self.loaded[key]

    def complete(self, level: str, code: str) -> bool:
        """Whether a value of `level` can be computed from the communes of this context."""
        if self.communes is None or level == Level.COMMUNE:
            return True
        if level == Level.EPCI:
            return code in self.epcis
        if level == Level.FRANCE:
            return False
        return code in self.departements or level == Level.CIRCONSCRIPTION

    def filter(self, queryset, field_name: str = "commune__code"):
        if self.communes is None:
            return queryset
        return queryset.filter(**{f"{field_name}__in": self.communes})


@dataclass(frozen=True)
class IndicatorDefinition:
    code: str
    name: str
    definition: str
    method: str
    unit: str
    aggregation: str
    sources: str
    compute: Callable[[Context], Iterable[Row]] | str
    scale: float = 1
    precision: int = 1
    polarity: bool | None = None
    levels: tuple[str, ...] = ALL_LEVELS
    source_vintage: str = ""
    small_count_threshold: int = 0
    is_public: bool = True
    themes: tuple[tuple[str, str], ...] = ()  # (code, name)
    audiences: tuple[tuple[str, str], ...] = ()
    method_version: int = 1
    depends_on: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict, compare=False)

    def rows(self, context: Context) -> Iterable[Row]:
        function = import_string(self.compute) if isinstance(self.compute, str) else self.compute
        return function(context)


def definitions() -> dict[str, IndicatorDefinition]:
    """The declared computed indicators by code, each after those it depends on."""
    declared = {}
    for entry in collect("hub_indicators"):
        found = import_string(entry) if isinstance(entry, str) else entry
        for definition in found if isinstance(found, list | tuple) else [found]:
            declared[definition.code] = definition
    ordered: dict[str, IndicatorDefinition] = {}

    def visit(code, path=()):
        if code in ordered:
            return
        if code in path:
            raise ValueError(f"dépendance circulaire entre indicateurs : {' → '.join(path)}")
        for dependency in declared[code].depends_on:
            visit(dependency, (*path, code))
        ordered[code] = declared[code]

    for code in declared:
        visit(code)
    return ordered


def sync_indicators(**_) -> dict[str, Indicator]:
    """Make the `Indicator` rows say what the code declares (a post_migrate receiver too):
    definition, method, levels, rule and whether it is public come from the code; themes and
    audiences only at creation, then they are edited in the admin."""
    from .models import Audience, Theme

    indicators = {}
    for definition in definitions().values():
        indicator, created = Indicator.objects.update_or_create(
            code=definition.code,
            defaults={
                "name": definition.name,
                "definition": definition.definition,
                "method": definition.method,
                "unit": definition.unit,
                "precision": definition.precision,
                "polarity": definition.polarity,
                "levels": list(definition.levels),
                "aggregation": definition.aggregation,
                "sources": definition.sources,
                "source_vintage": definition.source_vintage,
                "small_count_threshold": definition.small_count_threshold,
                "obtained": Obtained.COMPUTED,
                "is_public": definition.is_public,
                "method_version": definition.method_version,
            },
        )
        if created:  # then themes and audiences are the administrators' to change
            indicator.themes.set(
                [
                    Theme.objects.get_or_create(code=c, defaults={"name": n})[0]
                    for c, n in definition.themes
                ]
            )
            indicator.audiences.set(
                [
                    Audience.objects.get_or_create(code=c, defaults={"name": n})[0]
                    for c, n in definition.audiences
                ]
            )
        indicators[definition.code] = indicator
    return indicators


def geography_vintage() -> str:
    """The COG year of the territory: the year of the newest commune change the hub knows."""
    newest = CommuneChange.objects.aggregate(newest=Max("effective_date"))["newest"]
    return str(newest.year) if newest else ""


# --- Aggregation -------------------------------------------------------------------------------


@dataclass
class Aggregate:
    numerator: float = 0
    denominator: float = 0
    units: int = 0
    missing: list[str] = field(default_factory=list)
    members: int = 0
    vintages: set[str] = field(default_factory=set)
    fingerprint: hashlib._Hash = field(default_factory=hashlib.sha256)

    def add(self, row: Row, label: str, line: bytes | None = None):
        self.members += 1
        self.fingerprint.update(line or fingerprint_line(row))
        self.vintages.add(row.data_vintage)
        if row.missing or row.numerator is None:
            prefix = f"{label} : " if label else ""
            self.missing.extend(f"{prefix}{name}" for name in (row.missing or ("donnée",)))
            return
        self.numerator += row.numerator
        self.denominator += row.denominator or 0
        self.units += row.units


def fingerprint_line(row: Row) -> bytes:
    return (
        f"{row.commune}|{row.period}|{row.numerator!r}|{row.denominator!r}|{row.units}|"
        f"{row.missing}|{row.data_vintage}|{row.groups}\n".encode()
    )


def value_fields(definition: IndicatorDefinition, aggregate: Aggregate, single: bool) -> dict:
    """The fields of one `Value` from its aggregate: withheld and missing values carry no
    figure; a value some of whose members lack inputs is `estimated` and lists them."""
    fields = {
        "numerator": None,
        "denominator": None,
        "value": None,
        "units": aggregate.units,
        "missing_inputs": aggregate.missing[:50],
        "data_vintage": " ; ".join(sorted(v for v in aggregate.vintages if v))[:250],
        "input_state": aggregate.fingerprint.hexdigest(),
    }
    if aggregate.missing and (single or aggregate.units == 0):  # nothing known to add up
        return {**fields, "status": ValueStatus.MISSING}
    if aggregate.units < definition.small_count_threshold:
        return {**fields, "status": ValueStatus.WITHHELD, "missing_inputs": []}
    if definition.aggregation == Aggregation.SUM:
        value = aggregate.numerator * definition.scale
    elif not aggregate.denominator:
        return {
            **fields,
            "status": ValueStatus.MISSING,
            "missing_inputs": [*aggregate.missing, "dénominateur nul"][:50],
        }
    else:
        value = definition.scale * aggregate.numerator / aggregate.denominator
    status = ValueStatus.ESTIMATED if aggregate.missing else ValueStatus.COMPUTED
    return {
        **fields,
        "status": status,
        "value": value,
        "numerator": aggregate.numerator,
        "denominator": aggregate.denominator if definition.aggregation != Aggregation.SUM else None,
    }


def _territories(context: Context) -> dict[str, tuple[str, str]]:
    """INSEE code → (EPCI SIREN, département code) of the context's communes, current COG
    membership (read once per recomputation)."""
    communes = context.filter(Commune.objects.all(), "code")
    rows = communes.values_list("code", "epci__siren", "departement__code")
    return {code: (siren or "", dep) for code, siren, dep in rows}


def scope(communes: Iterable[str] | None) -> Context:
    """The communes to compute so every EPCI and département touched is complete: those of
    the communes' départements and EPCI (None: all of France)."""
    if communes is None:
        return Context(None)
    touched = Commune.objects.filter(code__in=list(communes))
    full = Commune.objects.filter(
        departement__in=touched.values("departement")
    ) | Commune.objects.filter(epci__in=touched.exclude(epci=None).values("epci"))
    return Context(
        set(full.values_list("code", flat=True)),
        epcis=set(touched.exclude(epci=None).values_list("epci__siren", flat=True)),
        departements=set(touched.values_list("departement__code", flat=True)),
    )


def aggregate(definition: IndicatorDefinition, rows: Iterable[Row], context: Context, places=None):
    """{(level, territory code, period): value fields} at each declared level whose
    territory the context holds whole."""
    whole_country = context.communes is None
    rows = list(rows)
    places = _territories(context) if places is None else places
    groups: dict[tuple[str, str, str], Aggregate] = defaultdict(Aggregate)
    for row in rows:
        epci, dep = places.get(row.commune, ("", ""))
        keys = [(Level.COMMUNE, row.commune), (Level.EPCI, epci), (Level.DEPARTEMENT, dep)]
        keys += list(row.groups)
        if whole_country:
            keys.append((Level.FRANCE, FRANCE_CODE))
        line = fingerprint_line(row)  # once per row, not once per level
        for level, code in keys:
            if code and level in definition.levels and context.complete(level, code):
                label = "" if level == Level.COMMUNE else f"commune {row.commune}"
                groups[(level, code, row.period)].add(row, label, line)
    return {
        key: value_fields(definition, agg, single=key[0] == Level.COMMUNE and agg.members == 1)
        for key, agg in groups.items()
    }


def without_cycle_collector(function):
    """A national run makes millions of small objects and no reference cycles: Python's cyclic
    collector, run again and again as they pile up, cost about a third of the run."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return wrapper


@without_cycle_collector
@transaction.atomic
def recompute(
    codes: Iterable[str] | None = None, communes: Iterable[str] | None = None, progress=None
) -> dict:
    """Recompute the given indicators (all declared: None) for the territories touching the
    given communes (all of France: None). Idempotent: a value whose inputs, method and vintage
    are unchanged is left as it was (its `computed_at` too). Returns counts per outcome."""
    with connection.cursor() as cursor:  # one recomputation at a time (nightly and debounced)
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RECOMPUTE_LOCK])
    indicators = sync_indicators()
    context = scope(communes)
    places = _territories(context)
    cog = geography_vintage()
    now = timezone.now()
    counts = {"created": 0, "updated": 0, "unchanged": 0, "removed": 0, "method_or_vintage": 0}
    wanted = [d for c, d in definitions().items() if codes is None or c in set(codes)]
    for done, definition in enumerate(wanted):
        code = definition.code
        if progress is not None:
            progress.step(done, len(wanted), definition.name)
        indicator = indicators[code]
        computed = aggregate(definition, definition.rows(context), context, places)
        if context.communes is not None and Level.FRANCE in definition.levels:
            computed.update(france_from_departements(definition, indicator, computed))
        # Stored values as plain tuples: comparing them is what a run mostly does.
        existing = {
            (level, territory, period): (pk, dict(zip(VALUE_FIELDS, stored, strict=True)))
            for pk, level, territory, period, *stored in _in_scope(
                indicator, context, computed
            ).values_list("pk", "level", "territory_code", "period", *VALUE_FIELDS)
        }
        new, changed = [], []
        for key, fields in computed.items():
            fields = {
                **fields,
                "geography_vintage": cog,
                "method_version": definition.method_version,
            }
            level, territory, period = key
            pk, current = existing.pop(key, (None, None))
            if current == fields:
                counts["unchanged"] += 1
                continue
            value = Value(
                pk=pk,
                indicator=indicator,
                level=level,
                territory_code=territory,
                period=period,
                computed_at=now,
                **fields,
            )
            if pk is None:
                new.append(value)
                continue
            changed.append(value)
            if any(current[f] != fields[f] for f in VINTAGE_FIELDS):
                counts["method_or_vintage"] += 1
        # A changed value is replaced: far faster than an UPDATE per field for many rows.
        Value.objects.filter(pk__in=[value.pk for value in changed]).delete()
        for value in changed:
            value.pk = None
        copy_insert(Value, [*new, *changed])  # COPY: bulk_create's INSERT was most of a run
        counts["created"] += len(new)
        counts["updated"] += len(changed)
        # Territories of the scope no longer described for a period just computed.
        periods = {key[2] for key in computed}
        stale = [pk for key, (pk, _) in existing.items() if key[2] in periods]
        counts["removed"] += Value.objects.filter(pk__in=stale).delete()[0]
    return counts


def france_from_departements(definition, indicator, computed: dict) -> dict:
    """France in a partial recomputation: the sums of every département's value (those just
    computed, the stored ones of the others), which are the sums of their communes, each in one
    département. Left to the next full recomputation when a département is withheld (its sums
    are not kept)."""
    france = {}
    periods = {period for level, _, period in computed if level == Level.DEPARTEMENT}
    for period in sorted(periods):
        departements = {
            code: fields
            for (level, code, p), fields in computed.items()
            if level == Level.DEPARTEMENT and p == period
        }
        stored = Value.objects.filter(
            indicator=indicator, level=Level.DEPARTEMENT, period=period
        ).exclude(territory_code__in=departements)
        for value in stored:
            departements[value.territory_code] = {f: getattr(value, f) for f in VALUE_FIELDS}
        if any(f["status"] == ValueStatus.WITHHELD for f in departements.values()):
            continue
        total = Aggregate()
        for code, fields in sorted(departements.items()):
            total.members += 1
            total.fingerprint.update(repr((code, fields["input_state"])).encode())
            total.vintages.add(fields["data_vintage"])
            total.missing.extend(f"département {code} : {m}" for m in fields["missing_inputs"])
            if fields["status"] != ValueStatus.MISSING:
                total.numerator += fields["numerator"] or 0
                total.denominator += fields["denominator"] or 0
                total.units += fields["units"] or 0
        france[(Level.FRANCE, FRANCE_CODE, period)] = value_fields(definition, total, False)
    return france


def _in_scope(indicator: Indicator, context: Context, computed: dict):
    values = Value.objects.filter(indicator=indicator)
    if context.communes is None:
        return values
    extra = {code for level, code, _ in computed if level == Level.CIRCONSCRIPTION}
    query = (
        Q(level=Level.COMMUNE, territory_code__in=context.communes)
        | Q(level=Level.EPCI, territory_code__in=context.epcis)
        | Q(level=Level.DEPARTEMENT, territory_code__in=context.departements)
        | Q(level=Level.CIRCONSCRIPTION, territory_code__in=extra)
        | Q(level=Level.FRANCE, period__in={p for level, _, p in computed if level == Level.FRANCE})
    )
    return values.filter(query)
