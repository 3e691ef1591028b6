"""Indicators of workshops' attendance, declared in the registry (`hub_indicators`): fill rate,
no-show rate and participants by audience, per commune of the session (a place of help or a
school; online sessions have none) and aggregated up by the registry. Only sessions that have
ended and were not cancelled count; the period is the year of the session. Values describing
fewer than MIN_PEOPLE people are withheld (they could point at someone)."""

from django.db.models import Count, Q, Sum
from django.utils import timezone

from indicators.builtins.common import PUBLIC, STAFF, THEME_MEDIATION
from indicators.models import Aggregation
from indicators.registry import IndicatorDefinition, Row

from .models import Audience, Registration, Session, WalkInCount

MIN_PEOPLE = 5
SOURCE = "Inscriptions et présences aux ateliers saisies dans le hub"
CONFIRMED = Q(registrations__status=Registration.Status.CONFIRMED)
PRESENT = CONFIRMED & Q(registrations__attendance=Registration.Attendance.PRESENT)


def _held_sessions(context):
    """Sessions held (ended, not cancelled) with the INSEE code of their venue's commune."""
    sessions = Session.objects.filter(ends_at__lte=timezone.now(), cancelled=False).filter(
        Q(place__commune__isnull=False) | Q(school__commune__isnull=False)
    )
    if context.communes is not None:
        sessions = sessions.filter(
            Q(place__commune__code__in=context.communes)
            | Q(school__commune__code__in=context.communes)
        )
    return sessions.select_related("place__commune", "school__commune")


def _row(session, numerator, denominator=None, units=0) -> Row:
    return Row(
        session.commune.code,
        str(timezone.localtime(session.starts_at).year),
        numerator,
        denominator,
        units=units,
        data_vintage=SOURCE,
    )


def fill_rate(context):
    sessions = _held_sessions(context).annotate(confirmed=Count("registrations", filter=CONFIRMED))
    for session in sessions:
        yield _row(session, session.confirmed, session.capacity, units=session.confirmed)


def no_show_rate(context):
    marked = CONFIRMED & ~Q(registrations__attendance="")
    sessions = _held_sessions(context).annotate(
        marked=Count("registrations", filter=marked),
        absent=Count(
            "registrations",
            filter=CONFIRMED & Q(registrations__attendance=Registration.Attendance.ABSENT),
        ),
    )
    for session in sessions:
        if session.marked:  # attendance not kept for this session: no figure from it
            yield _row(session, session.absent, session.marked, units=session.marked)


def participants(audience: str | None):
    """Present registrants and walk-ins (of one audience; None: all)."""

    def compute(context):
        present = PRESENT if audience is None else PRESENT & Q(registrations__audience=audience)
        walk_ins = WalkInCount.objects.all()
        if audience is not None:
            walk_ins = walk_ins.filter(audience=audience)
        extra = dict(
            walk_ins.values("session").annotate(n=Sum("count")).values_list("session", "n")
        )
        for session in _held_sessions(context).annotate(
            present=Count("registrations", filter=present)
        ):
            people = session.present + extra.get(session.pk, 0)
            yield _row(session, people, units=people)

    return compute


def _definition(**fields) -> IndicatorDefinition:
    return IndicatorDefinition(
        sources=SOURCE + " (organisateurs des ateliers).",
        small_count_threshold=MIN_PEOPLE,
        themes=(THEME_MEDIATION,),
        audiences=(PUBLIC, STAFF),
        **fields,
    )


WITHHELD = f" Masqué lorsqu’il décrit moins de {MIN_PEOPLE} personnes."

FILL_RATE = _definition(
    code="ateliers-taux-remplissage",
    name="Taux de remplissage des ateliers",
    definition="Part des places des ateliers tenues qui étaient occupées par un inscrit confirmé.",
    method=(
        "Pour les sessions terminées et non annulées, tenues dans un lieu d’aide ou une école de "
        "la commune : inscrits confirmés × 100, divisés par les places offertes (les sessions en "
        "ligne ne sont rattachées à aucune commune)." + WITHHELD
    ),
    unit="%",
    aggregation=Aggregation.RATIO_OF_SUMS,
    scale=100,
    polarity=True,
    compute=fill_rate,
)

NO_SHOW_RATE = _definition(
    code="ateliers-taux-absence",
    name="Taux d’absence sans prévenir aux ateliers",
    definition="Part des inscrits confirmés notés absents (ni présents, ni excusés).",
    method=(
        "Pour les sessions terminées dont les présences ont été notées : inscrits notés absents "
        "× 100, divisés par les inscrits dont la présence est notée." + WITHHELD
    ),
    unit="%",
    aggregation=Aggregation.RATIO_OF_SUMS,
    scale=100,
    polarity=False,
    compute=no_show_rate,
)

PARTICIPANTS = [
    _definition(
        code="ateliers-participants",
        name="Participants aux ateliers",
        definition="Personnes venues aux ateliers : inscrits notés présents et venus sans "
        "inscription.",
        method="Somme, sur les sessions terminées de la commune, des inscrits notés présents et "
        "des personnes venues sans inscription comptées par l’organisateur." + WITHHELD,
        unit="personnes",
        precision=0,
        aggregation=Aggregation.SUM,
        polarity=True,
        compute=participants(None),
    ),
    *(
        _definition(
            code=f"ateliers-participants-{value.replace('_', '-')}",
            name=f"Participants aux ateliers : {label}",
            definition=f"Personnes venues aux ateliers se déclarant du public « {label} ».",
            method="Somme, sur les sessions terminées de la commune, des inscrits notés présents "
            "ayant indiqué ce public et des personnes de ce public venues sans inscription "
            "(le public est facultatif à l’inscription)." + WITHHELD,
            unit="personnes",
            precision=0,
            aggregation=Aggregation.SUM,
            polarity=True,
            compute=participants(value),
        )
        for value, label in Audience.choices
    ),
]
