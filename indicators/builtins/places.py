"""Indicators about the places of help: how many, how near, when they open."""

import datetime

from django.db import connection
from django.db.models import Count, Max
from django.utils import timezone

from actors import opening
from actors.models import Place

from ..models import Aggregation
from ..registry import IndicatorDefinition, Row
from .common import POPULATION_MISSING, PUBLIC, STAFF, THEME_MEDIATION, communes

SOURCES = "Annuaire des lieux de médiation numérique du hub (standard national v1.0.2) ; INSEE, population municipale."
ONLINE_PROCEDURES = "Aide aux démarches administratives"


def period() -> str:
    return str(timezone.localdate().year)


def vintage() -> str:
    """The directory's newest update: unchanged from one day to the next until a place is."""
    newest = Place.objects.aggregate(newest=Max("updated_on"))["newest"]
    return f"annuaire mis à jour le {newest:%d/%m/%Y}" if newest else "annuaire vide"


def places_per_10k(context):
    counts = dict(
        context.filter(Place.objects.exclude(commune=None))
        .values_list("commune__code")
        .annotate(n=Count("pk"))
    )
    when, edition = period(), vintage()
    for code, population in communes(context):
        if population is None:
            yield Row(code, when, missing=(POPULATION_MISSING,), data_vintage=edition)
        else:
            yield Row(code, when, counts.get(code, 0), population, data_vintage=edition)


def opens_saturday_or_evening(hours: str) -> bool:
    """Open at some time of a Saturday, or after 18:00 on some day of a coming week."""
    parsed = opening.parse(hours)
    if parsed is None:
        return False
    monday = opening.next_weekday(0, timezone.localdate())
    start = datetime.datetime.combine(monday, datetime.time())
    for begin, end, state, _ in parsed.intervals(start, start + datetime.timedelta(days=7)):
        if state != opening.State.OPEN:
            continue
        if begin.weekday() == 5 or end.weekday() == 5:
            return True
        if end.time() > datetime.time(18) or end.date() > begin.date():
            return True
    return False


def open_saturday_or_evening(context):
    counts: dict[str, int] = {}
    places = context.filter(Place.objects.exclude(commune=None)).values_list(
        "commune__code", "opening_hours"
    )
    for code, hours in places:
        counts[code] = counts.get(code, 0) + opens_saturday_or_evening(hours)
    when, edition = period(), vintage()
    for code, _ in communes(context):
        yield Row(code, when, counts.get(code, 0), data_vintage=edition)


# The nearest place offering help with online procedures, from a point inside each commune.
DISTANCE_SQL = """
SELECT c.code, c.population,
       (SELECT ST_Distance(p.location, ST_PointOnSurface(c.geometry)::geography)
        FROM actors_place p
        WHERE EXISTS (SELECT 1 FROM actors_offer o WHERE o.place_id = p.id AND o.service = %s)
        ORDER BY p.location <-> ST_PointOnSurface(c.geometry)::geography
        LIMIT 1) AS metres
FROM cartography_commune c
WHERE c.geometry IS NOT NULL AND (%s OR c.code = ANY(%s))
"""


def _distances(context):
    codes = sorted(context.communes or ())

    def nearest():  # read once for both indicators using it
        with connection.cursor() as cursor:
            cursor.execute(DISTANCE_SQL, [ONLINE_PROCEDURES, context.communes is None, codes])
            return cursor.fetchall()

    known = {code: (pop, metres) for code, pop, metres in context.shared("distances", nearest)}
    for code, population in communes(context):
        missing = []
        if population is None:
            missing.append(POPULATION_MISSING)
        if code not in known:
            missing.append("contour de la commune")
        elif known[code][1] is None:
            missing.append("aucun lieu d’aide aux démarches en ligne connu")
        yield code, population, (known.get(code) or (None, None))[1], tuple(missing)


def share_far_from_help(context):
    when, edition = period(), vintage()
    for code, population, metres, missing in _distances(context):
        if missing:
            yield Row(code, when, missing=missing, data_vintage=edition)
        else:
            far = population if metres > 10_000 else 0
            yield Row(code, when, far, population, data_vintage=edition)


def mean_distance_to_help(context):
    when, edition = period(), vintage()
    for code, population, metres, missing in _distances(context):
        if missing:
            yield Row(code, when, missing=missing, data_vintage=edition)
        else:
            yield Row(code, when, population * metres / 1000, population, data_vintage=edition)


PLACES_PER_10K = IndicatorDefinition(
    code="lieux-pour-10000-habitants",
    name="Lieux d’aide au numérique pour 10 000 habitants",
    definition="Nombre de lieux de médiation numérique du territoire rapporté à sa population.",
    method=(
        "Nombre de lieux de l’annuaire situés dans les communes du territoire × 10 000, divisé "
        "par la somme de leurs populations municipales. Pour un EPCI, un département ou la "
        "France : somme des lieux divisée par somme des populations (jamais une moyenne des "
        "taux communaux)."
    ),
    unit="lieux pour 10 000 habitants",
    aggregation=Aggregation.RATIO_OF_SUMS,
    scale=10_000,
    precision=1,
    polarity=True,
    sources=SOURCES,
    themes=(THEME_MEDIATION,),
    audiences=(PUBLIC, STAFF),
    compute=places_per_10k,
)

OPEN_SATURDAY_OR_EVENING = IndicatorDefinition(
    code="lieux-ouverts-samedi-ou-soir",
    name="Lieux ouverts le samedi ou après 18 h",
    definition="Nombre de lieux d’aide ouverts le samedi ou après 18 heures un jour de la semaine.",
    method=(
        "Horaires des lieux (syntaxe OpenStreetMap) lus sur une semaine à venir : un lieu compte "
        "s’il est ouvert à un moment du samedi ou au-delà de 18 h un jour quelconque. Les "
        "horaires illisibles ou absents ne comptent pas. Somme sur les communes du territoire."
    ),
    unit="lieux",
    aggregation=Aggregation.SUM,
    precision=0,
    polarity=True,
    sources="Annuaire des lieux de médiation numérique du hub, horaires d’ouverture.",
    themes=(THEME_MEDIATION,),
    audiences=(PUBLIC, STAFF),
    compute=open_saturday_or_evening,
)

SHARE_FAR_FROM_HELP = IndicatorDefinition(
    code="population-a-plus-de-10-km-aide-demarches",
    name="Part de la population à plus de 10 km d’une aide aux démarches en ligne",
    definition=(
        "Part des habitants dont la commune est à plus de 10 km à vol d’oiseau du lieu le plus "
        "proche proposant l’aide aux démarches administratives en ligne."
    ),
    method=(
        "Pour chaque commune, distance géodésique (PostGIS) entre un point intérieur de son "
        "contour (ST_PointOnSurface) et le lieu le plus proche offrant « Aide aux démarches "
        "administratives », tous départements confondus ; la population municipale de la "
        "commune compte si cette distance dépasse 10 km. Agrégé en rapport des sommes de "
        "populations."
    ),
    unit="%",
    aggregation=Aggregation.RATIO_OF_SUMS,
    scale=100,
    polarity=False,
    sources=SOURCES + " IGN Admin Express, contours des communes.",
    themes=(THEME_MEDIATION,),
    audiences=(PUBLIC, STAFF),
    compute=share_far_from_help,
)

MEAN_DISTANCE_TO_HELP = IndicatorDefinition(
    code="distance-moyenne-aide-demarches",
    name="Distance moyenne à une aide aux démarches en ligne",
    definition=(
        "Distance moyenne, pondérée par la population, au lieu le plus proche proposant l’aide "
        "aux démarches administratives en ligne."
    ),
    method=(
        "Distance de chaque commune calculée comme pour la part de population à plus de 10 km, "
        "en kilomètres ; moyenne des communes pondérée par leur population municipale "
        "(somme des distances × population divisée par la somme des populations)."
    ),
    unit="km",
    aggregation=Aggregation.POPULATION_WEIGHTED_MEAN,
    polarity=False,
    sources=SOURCES + " IGN Admin Express, contours des communes.",
    themes=(THEME_MEDIATION,),
    audiences=(PUBLIC, STAFF),
    compute=mean_distance_to_help,
)
