"""Fibre coverage figures per commune, EPCI and département, for a quarter.

Every figure is derived from the commune snapshots (CoverageSnapshot, level commune) read with
the current COG membership, so a commune, its EPCI and its département always add up. For a
quarter, the premises ready for fibre are those of the newest edition giving that quarter; the
premises (dwellings + business premises) are those of the edition nearest to the quarter,
preferring a later one — ARCEP publishes the premises only for an edition's own quarter.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.db import connection

from hub.collation import french_key

from .models import CoverageLevel

QUARTER = re.compile(r"T\s*([1-4])\s*[-/ ]?\s*(\d{4})|(\d{4})\s*[-/ ]?\s*T\s*([1-4])", re.I)


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """'T1 2018', '2018 T1', 'OI 2018 T1', 't1-2018' → Quarter(2018, 1)."""
        match = QUARTER.search(str(text).strip())
        if not match:
            raise ValueError(f"trimestre illisible : « {text} » (attendu par ex. « T1 2018 »)")
        number, year = (match[1], match[2]) if match[1] else (match[4], match[3])
        return cls(int(year), int(number))

    @classmethod
    def from_date(cls, date: datetime.date) -> Quarter:
        return cls(date.year, (date.month - 1) // 3 + 1)

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.number - 2, 1)

    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    def __str__(self):
        return f"T{self.number} {self.year}"


def available_quarters(codes: list[str] | None = None) -> list[Quarter]:
    """Quarters with fibre figures, newest first (for `codes` communes only when given)."""
    from .models import CoverageSnapshot

    snapshots = CoverageSnapshot.objects.filter(
        level=CoverageLevel.COMMUNE, ftth_ready__isnull=False
    )
    if codes is not None:
        snapshots = snapshots.filter(code__in=codes)
    dates = snapshots.order_by("-period").values_list("period", flat=True).distinct()
    return [Quarter.from_date(d) for d in dates]


@dataclass
class CoverageFigures:
    """Premises and premises ready for fibre of one territory for one quarter."""

    code: str
    name: str
    premises: int | None = None
    ftth_ready: int | None = None
    category: int | None = None
    epci_siren: str = ""
    epci_name: str = ""
    departement: str = ""
    previous_premises: int | None = None
    previous_ready: int | None = None
    communes: int = 1
    members: list[CoverageFigures] = field(default_factory=list, repr=False)

    @property
    def rate(self) -> float | None:
        """Share of premises ready for fibre, 0–1; None when premises are unknown or zero."""
        if not self.premises or self.ftth_ready is None:
            return None
        return self.ftth_ready / self.premises

    @property
    def previous_rate(self) -> float | None:
        if not self.previous_premises or self.previous_ready is None:
            return None
        return self.previous_ready / self.previous_premises

    @property
    def rate_change(self) -> float | None:
        """Change of the rate since the previous quarter, in points of 0–1 (may be negative)."""
        if self.rate is None or self.previous_rate is None:
            return None
        return self.rate - self.previous_rate

    @property
    def without_fibre(self) -> int | None:
        """Premises not ready for fibre. A commune counting more premises ready than ARCEP's
        estimate of its premises (a rate above 100 %) has none; a total adds its members'
        figures, so it equals the sum of the rows it stands under (the difference of its own
        sums would subtract those excesses)."""
        if self.members:
            values = [m.without_fibre for m in self.members if m.without_fibre is not None]
            return sum(values) if values else None
        if self.premises is None or self.ftth_ready is None:
            return None
        return max(self.premises - self.ftth_ready, 0)

    @property
    def above_full(self) -> bool:
        """A rate above 100 %: see `ABOVE_FULL_NOTE`."""
        return self.rate is not None and self.rate > 1


COMMUNE_FIGURES_SQL = """
WITH ready AS (
    SELECT DISTINCT ON (s.code) s.code, s.ftth_ready, s.category
    FROM cartography_coveragesnapshot s
    WHERE s.level = 'commune' AND s.period = %(period)s AND s.ftth_ready IS NOT NULL
      AND s.code = ANY(%(codes)s)
    ORDER BY s.code, s.edition DESC
)
SELECT c.code, c.name, d.code, coalesce(e.siren, ''), coalesce(e.name, ''),
       r.ftth_ready, r.category, p.dwellings + p.businesses
FROM cartography_commune c
JOIN cartography_departement d ON d.id = c.departement_id
LEFT JOIN cartography_epci e ON e.id = c.epci_id
LEFT JOIN ready r ON r.code = c.code
LEFT JOIN LATERAL (
    SELECT s.dwellings, s.businesses
    FROM cartography_coveragesnapshot s
    WHERE s.level = 'commune' AND s.code = c.code AND s.dwellings IS NOT NULL
      AND s.businesses IS NOT NULL
    ORDER BY (s.period < %(period)s), abs(s.period - %(period)s::date), s.edition DESC
    LIMIT 1
) p ON true
WHERE c.code = ANY(%(codes)s)
ORDER BY c.name, c.code
"""


def commune_figures(codes: list[str], quarter: Quarter) -> list[CoverageFigures]:
    """Figures of the given current communes for `quarter`, with the previous quarter's."""
    rows = {}
    for when in (quarter, quarter.previous()):
        with connection.cursor() as cursor:
            cursor.execute(COMMUNE_FIGURES_SQL, {"period": when.start, "codes": list(codes)})
            for code, name, dep, siren, epci_name, ready, category, premises in cursor.fetchall():
                if when == quarter:
                    rows[code] = CoverageFigures(
                        code, name, premises, ready, category, siren, epci_name, dep
                    )
                elif code in rows:
                    rows[code].previous_premises = premises
                    rows[code].previous_ready = ready
    return list(rows.values())


def total(code: str, name: str, members: list[CoverageFigures]) -> CoverageFigures:
    """Sum of member figures; a sum stays unknown (None) only when every member's is."""

    def add(attr):
        values = [getattr(m, attr) for m in members if getattr(m, attr) is not None]
        return sum(values) if values else None

    return CoverageFigures(
        code,
        name,
        premises=add("premises"),
        ftth_ready=add("ftth_ready"),
        previous_premises=add("previous_premises"),
        previous_ready=add("previous_ready"),
        communes=len(members),
        members=members,
    )


def by_epci(communes: list[CoverageFigures]) -> list[CoverageFigures]:
    """Communes grouped by their current EPCI (communes outside any EPCI grouped apart)."""
    groups: dict[tuple[str, str], list[CoverageFigures]] = {}
    for commune in communes:
        key = (commune.epci_siren, commune.epci_name or "Hors EPCI")
        groups.setdefault(key, []).append(commune)
    return sorted(
        (total(siren, name, members) for (siren, name), members in groups.items()),
        key=lambda t: french_key(t.name),
    )


# ARCEP's explanation of a rate above 100 %, shown wherever such a rate is (map, reports,
# territory pages, indicator definition).
ABOVE_FULL_NOTE = (
    "Un taux peut dépasser 100 % : les locaux raccordables sont comptés par les opérateurs, "
    "immeuble par immeuble (fichiers d’immeubles), alors que le nombre de locaux est une "
    "estimation de l’ARCEP à partir des données de l’INSEE (logements et établissements) ; "
    "là où les fichiers d’immeubles comptent plus de locaux que cette estimation, le taux "
    "dépasse 100 % (note méthodologique de l’observatoire de l’ARCEP)."
)

# Map classes of the fibre rate (ColorBrewer YlGnBu, colour-blind safe); shared by the web maps
# (passed to the page as JSON) and the PDF report.
NO_DATA_COLOUR = "#d9d9d9"
RATE_CLASSES = [
    {"min": 0.0, "max": 0.0, "colour": "#ffffcc", "label": "0 %"},
    {"min": 0.0, "max": 0.25, "colour": "#a1dab4", "label": "moins de 25 %"},
    {"min": 0.25, "max": 0.5, "colour": "#41b6c4", "label": "25 à 50 %"},
    {"min": 0.5, "max": 0.8, "colour": "#2c7fb8", "label": "50 à 80 %"},
    {"min": 0.8, "max": 1.01, "colour": "#253494", "label": "80 % et plus"},
]


def rate_colour(rate: float | None) -> str:
    if rate is None:
        return NO_DATA_COLOUR
    if rate <= 0:
        return RATE_CLASSES[0]["colour"]
    return next(
        (c["colour"] for c in RATE_CLASSES[1:] if rate < c["max"]), RATE_CLASSES[-1]["colour"]
    )


# Buildings by state of fibre deployment (BuildingState values), on the map and its legend.
BUILDING_COLOURS = {
    "deploye": "#18753c",
    "raccordable_demande": "#68a532",
    "en_cours": "#fcc63a",
    "signe": "#fa7a35",
    "cible": "#ce614a",
    "abandonne": "#3a3a3a",
    "inconnu": "#929292",
}
