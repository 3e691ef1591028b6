"""Domain functions on territories; above all, mapping any commune code to a current commune."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.gis.geos import GeometryCollection, GEOSGeometry, MultiPolygon, Polygon

from .models import Commune, CommuneChange, CommunePart

DEPARTEMENT_CODE = re.compile(r"^(0[1-9]|[1-8]\d|9[0-5]|2A|2B|97[1-8])$")


def normalize_departement_code(code: str) -> str:
    """'28', '028' → '28'; '2a' → '2A'; '971' → '971'. Raises ValueError for anything else."""
    code = str(code).strip().upper()
    if len(code) == 3 and code.startswith("0"):
        code = code[1:]
    if len(code) == 1 and code.isdigit():
        code = "0" + code
    if not DEPARTEMENT_CODE.match(code):
        raise ValueError(f"code de département inconnu : « {code} »")
    return code


def departement_of(commune_code: str) -> str:
    return commune_code[:3] if commune_code.startswith("97") else commune_code[:2]


@dataclass(frozen=True)
class Resolution:
    code: str
    current: str | None
    reason: str = ""


class CommuneResolver:
    """Maps any commune code (old, délégué, associé, arrondissement) to the current commune.

    It follows the COG change history to its end (A→B in 2019, B→C in 2025 gives C), and
    answers None with a reason where a code is unknown or was split between several communes.
    Every importer resolves its commune codes through this one class.
    """

    MAX_STEPS = 30

    def __init__(
        self,
        current: Iterable[str],
        changes: Iterable[tuple[str, object, str, str]] = (),
        parents: dict[str, str] | None = None,
    ):
        self.current = set(current)
        self.parents = parents or {}
        by_code: dict[str, dict[object, set[str]]] = defaultdict(lambda: defaultdict(set))
        for code_before, date, type_after, code_after in changes:
            targets = by_code[code_before][date]
            if type_after == "COM":
                targets.add(code_after)
        self.events = {
            code: sorted(dates.items(), key=lambda item: item[0]) for code, dates in by_code.items()
        }
        self._cache: dict[str, Resolution] = {}

    @classmethod
    def from_database(cls, extra_current: Iterable[str] = ()) -> CommuneResolver:
        changes = CommuneChange.objects.values_list(
            "code_before", "effective_date", "type_after", "code_after"
        )
        parents = dict(CommunePart.objects.values_list("code", "parent_code"))
        current = set(Commune.objects.values_list("code", flat=True)) | set(extra_current)
        return cls(current, changes, parents)

    def resolve(self, code: str) -> Resolution:
        code = str(code).strip().upper()
        if len(code) == 4 and code.isdigit():
            code = "0" + code  # spreadsheets drop the leading zero of 01001…09999
        if code not in self._cache:
            self._cache[code] = self._follow(code)
        return self._cache[code]

    def current_code(self, code: str) -> str | None:
        return self.resolve(code).current

    def _follow(self, asked: str) -> Resolution:
        code, since = asked, None
        for _ in range(self.MAX_STEPS):
            if code in self.current:
                return Resolution(asked, code)
            later = [(d, t) for d, t in self.events.get(code, ()) if since is None or d > since]
            if not later:
                parent = self.parents.get(code)
                if parent and parent != code:
                    code, since = parent, None
                    continue
                return Resolution(asked, None, f"code commune inconnu : {asked}")
            date, targets = later[0]
            if not targets:
                since = date
                continue
            if len(targets) > 1:
                return Resolution(
                    asked,
                    None,
                    f"code commune {asked} partagé en {len(targets)} communes le {date}",
                )
            code, since = next(iter(targets)), date
        return Resolution(asked, None, f"historique du code {asked} trop long ou circulaire")


def resolve_commune(code: str) -> Commune | None:
    """The current commune for any commune code, or None (see CommuneResolver for the why)."""
    current = CommuneResolver.from_database().current_code(code)
    return Commune.objects.filter(code=current).first() if current else None


def as_multipolygon(geometry: GEOSGeometry | None) -> MultiPolygon | None:
    """Keep the polygonal part of a geometry, as a MultiPolygon (or None when there is none)."""
    if geometry is None:
        return None
    polygons: list[Polygon] = []
    stack = [geometry]
    while stack:
        geom = stack.pop()
        if isinstance(geom, Polygon):
            if not geom.empty:
                polygons.append(geom)
        elif isinstance(geom, MultiPolygon | GeometryCollection):
            stack.extend(reversed(list(geom)))
    if not polygons:
        return None
    return MultiPolygon(polygons, srid=geometry.srid)


def union(geometries: Iterable[GEOSGeometry], srid: int) -> MultiPolygon | None:
    """Union of polygons as one MultiPolygon; deterministic for the same input order."""
    pieces = [g for g in geometries if g is not None]
    if not pieces:
        return None
    merged = GeometryCollection(*pieces, srid=srid).unary_union
    return as_multipolygon(merged)
