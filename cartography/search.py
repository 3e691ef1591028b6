"""Finding a commune from what a person types: the one lookup of the directory, the home page
and any other search box.

"Chartres", "chartres", "CHARTRES", "Chartre" (a typo: trigram similarity), "28000" (a postal
code, from La Poste's base), "28085" (an INSEE code, old ones too), "Chartres (28000)" (a
suggestion's label) and "1 place des Halles 28000 Chartres" (an address: through the national
address API when one is configured, else down to its commune, saying so). What cannot be
settled comes back with "Vouliez-vous dire … ?" suggestions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.gis.geos import Point
from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import CharField, F, Func, Prefetch

from .models import Commune, PostalCode
from .services import CommuneResolver

CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$", re.IGNORECASE)
POSTAL_IN_TEXT = re.compile(r"\b(\d{5})\b")
# A name is taken for a typo's correction when it is this similar, and clearly the best.
CORRECTION_SIMILARITY = 0.5
CORRECTION_LEAD = 0.15
SUGGESTION_SIMILARITY = 0.3
MAX_SUGGESTIONS = 5
ABBREVIATIONS = {"st": "saint", "ste": "sainte"}

Geocoder = Callable[[str], tuple[float, float] | None]


def fold(text: str) -> str:
    """What is compared: no accents, lower case, hyphens and apostrophes as spaces,
    "St"/"Ste" written out ("St-Prest" is "saint prest")."""
    text = unicodedata.normalize("NFKD", text.casefold().replace("œ", "oe").replace("æ", "ae"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    words = re.sub(r"[-'’_,.()/]", " ", text).split()
    return " ".join(ABBREVIATIONS.get(w, w) for w in words)


def folded_name() -> Func:
    """`fold` in SQL, on the commune's name: `hub_fold` (migration 0008), which a trigram
    index holds, so that containing and similar names are found fast among 35 000."""
    return Func(F("name"), function="hub_fold", output_field=CharField())


@dataclass
class Lookup:
    """What a typed text designates. `communes`: one commune, or several for a postal code
    shared by several; `point`: a geocoded address; `suggestions`: other communes the person
    may have meant; `message`: what they should know (an address searched only down to its
    commune, a typo corrected)."""

    text: str
    communes: list[Commune] = field(default_factory=list)
    kind: str = ""  # "commune", "postal_code", "insee_code", "address" or "" (nothing found)
    point: Point | None = None
    corrected: bool = False
    suggestions: list[Commune] = field(default_factory=list)
    message: str = ""

    @property
    def found(self) -> bool:
        return bool(self.communes) or self.point is not None

    @property
    def commune(self) -> Commune | None:
        return self.communes[0] if len(self.communes) == 1 else None

    @property
    def label(self) -> str:
        """How the search is named back to the person: "Chartres (28000)", "28100 (Dreux)"."""
        if self.kind == "postal_code":
            names = ", ".join(c.name for c in self.communes)
            return f"{self.text.strip()} ({names})"
        if self.kind == "address":
            return self.text.strip()
        return ", ".join(commune_label(c) for c in self.communes)


def commune_label(commune: Commune) -> str:
    """ "Chartres (28000)": the name and the postal codes people know, never the INSEE code
    (read as a postal code, "Cintray (28100)" would send them to Dreux)."""
    codes = sorted({p.code for p in commune.postal_codes.all()})
    if not codes:
        return commune.name
    return f"{commune.name} ({', '.join(codes[:3])}{'…' if len(codes) > 3 else ''})"


def with_postal_codes(queryset):
    return queryset.select_related("departement").prefetch_related(
        Prefetch("postal_codes", queryset=PostalCode.objects.order_by("code"))
    )


def find(
    text: str,
    communes=None,
    departement: str | None = None,
    geocode: Geocoder | None = None,
) -> Lookup:
    """The commune(s) or address `text` designates among `communes` (all by default);
    homonyms in `departement` come first. `geocode(text)` gives (longitude, latitude) of an
    address or None; without it an address is searched down to its commune."""
    communes = with_postal_codes(communes if communes is not None else Commune.objects.all())
    text = " ".join((text or "").split())
    lookup = Lookup(text)
    if not text:
        return lookup
    if CODE.match(text):
        return _by_code(lookup, communes, text.upper())

    postal = POSTAL_IN_TEXT.search(text)
    words = fold(POSTAL_IN_TEXT.sub(" ", text))
    if postal:
        # "Chartres 28000", "Chartres (28000)": a name given with its postal code.
        by_code = list(communes.filter(postal_codes__code=postal.group(1)).distinct())
        named = [c for c in by_code if fold(c.name) == words]
        if named:
            lookup.communes, lookup.kind = named[:1], "commune"
            return lookup
    else:
        exact = _ranked(communes.annotate(f=folded_name()).filter(f=words), departement)
        if exact:
            return _settle(lookup, exact, departement, "commune")

    if postal or len(words.split()) > 3 or any(ch.isdigit() for ch in text):
        return _address(lookup, communes, words, postal, departement, geocode)

    containing = _ranked(communes.annotate(f=folded_name()).filter(f__contains=words), departement)
    starting = [c for c in containing if fold(c.name).startswith(words)]
    others = [c for c in containing if c not in starting]
    if len(containing) == 1 or len(starting) == 1:
        # A name begun ("Chartre", "Dreu"): taken, and said, the others suggested.
        lookup.communes, lookup.kind, lookup.corrected = (starting or containing), "commune", True
        lookup.suggestions = others[:MAX_SUGGESTIONS]
        return lookup
    if containing:
        lookup.suggestions = (starting + others)[:MAX_SUGGESTIONS]
        return lookup
    return _similar(lookup, communes, words, departement)


def _ranked(queryset, departement: str | None, limit: int = 50) -> list[Commune]:
    """Communes of `departement` first, then the most populated."""
    found = list(queryset.order_by(F("population").desc(nulls_last=True), "code")[:limit])
    return sorted(found, key=lambda c: c.departement.code != departement)


def _settle(lookup: Lookup, found: list[Commune], departement, kind: str) -> Lookup:
    """One commune, or homonyms: the one of `departement` if it has one, else suggestions."""
    mine = [c for c in found if c.departement.code == departement]
    if len(found) == 1 or len(mine) == 1:
        lookup.communes, lookup.kind = (mine or found)[:1], kind
        lookup.suggestions = [c for c in found if c not in lookup.communes][:MAX_SUGGESTIONS]
    else:
        lookup.suggestions = found[:MAX_SUGGESTIONS]
        lookup.message = "Plusieurs communes portent ce nom : précisez laquelle."
    return lookup


def by_insee_code(code: str, communes=None) -> Lookup:
    """The commune of an INSEE code (current or old), for links between pages (a territory
    page's "places of help here"), where a postal code must not be read instead."""
    communes = with_postal_codes(communes if communes is not None else Commune.objects.all())
    lookup = Lookup(code.strip())
    found = _insee(communes, code.strip().upper())
    if found is not None:
        lookup.communes, lookup.kind = [found], "insee_code"
    return lookup


def _insee(communes, code: str) -> Commune | None:
    current = CommuneResolver.from_database().current_code(code)
    return communes.filter(code=current).first() if current else None


def _by_code(lookup: Lookup, communes, code: str) -> Lookup:
    """A postal code first (what people know), else an INSEE code, current or old."""
    served = list(communes.filter(postal_codes__code=code).distinct().order_by("name"))
    by_insee = _insee(communes, code)
    if served:
        lookup.communes, lookup.kind = served, "postal_code"
        if by_insee is not None and by_insee not in served:
            lookup.suggestions = [by_insee]  # the commune whose INSEE code it also is
    elif by_insee is not None:
        lookup.communes, lookup.kind = [by_insee], "insee_code"
    return lookup


def _similar(lookup: Lookup, communes, words: str, departement) -> Lookup:
    """A typo: the clearly most similar name is taken (and said), else suggestions."""
    # `%` (pg_trgm's similarity above 0.3, its default threshold) uses the index.
    similar = list(
        communes.annotate(f=folded_name(), similarity=TrigramSimilarity(folded_name(), words))
        .filter(f__trigram_similar=words, similarity__gte=SUGGESTION_SIMILARITY)
        .order_by("-similarity", F("population").desc(nulls_last=True))[: MAX_SUGGESTIONS * 2]
    )
    similar.sort(key=lambda c: (-round(c.similarity, 2), c.departement.code != departement))
    if not similar:
        return lookup
    best = similar[0]
    runner_up = similar[1].similarity if len(similar) > 1 else 0
    if best.similarity >= CORRECTION_SIMILARITY and best.similarity - runner_up >= CORRECTION_LEAD:
        lookup.communes, lookup.kind, lookup.corrected = [best], "commune", True
        lookup.suggestions = similar[1:MAX_SUGGESTIONS]
    else:
        lookup.suggestions = similar[:MAX_SUGGESTIONS]
    return lookup


def _address(lookup: Lookup, communes, words: str, postal, departement, geocode) -> Lookup:
    """An address: geocoded when a geocoder is configured and answers, else its commune (by
    its postal code, or the name it ends with), saying that the address itself was not used."""
    if geocode is not None:
        found = geocode(lookup.text)
        if found is not None:
            point = Point(*found, srid=4326)
            lookup.point, lookup.kind = point, "address"
            lookup.communes = list(communes.filter(geometry__contains=point)[:1])
            return lookup
    candidates = (
        list(communes.filter(postal_codes__code=postal.group(1)).distinct().order_by("name"))
        if postal
        else []
    )
    tokens = words.split()
    # The longest run of words that is a commune's name, the last words first.
    named: list[Commune] = []
    for size in range(min(len(tokens), 6), 0, -1):
        for start in range(len(tokens) - size, -1, -1):
            name = " ".join(tokens[start : start + size])
            pool = [c for c in candidates if fold(c.name) == name] if candidates else None
            if pool is None:
                pool = _ranked(communes.annotate(f=folded_name()).filter(f=name), departement)
            if pool:
                named = pool
                break
        if named:
            break
    found = named or candidates
    if not found:
        return lookup
    _settle(lookup, found, departement, "commune")
    if lookup.communes:
        reason = (
            "La recherche par adresse n’est pas disponible sur ce service"
            if geocode is None
            else "Adresse introuvable"
        )
        lookup.message = f"{reason} : résultats pour la commune de {lookup.communes[0].name}."
    return lookup
