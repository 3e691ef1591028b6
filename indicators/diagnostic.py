"""The gap diagnostic: communes (and, for staff, schools) ranked by combined need.

Four factors, each read from the indicators' newest values as the reader may see them (a
withheld or missing value is never guessed: the factor is left out of that row's score and the
row says so):

- digital fragility (IFN global score, reference: the département);
- distance to help (share of the population more than 10 km from help with online procedures);
- premises without fibre (100 − share of premises ready for fibre);
- school equipment gap (terminals for pupils per 100 pupils, fewer is needier).

Each factor's raw measure is rescaled within the ranked set (0: the least needy row, 1: the
neediest), and the score is the weighted mean of the known factors, with the weights in force
(`DiagnosticWeights`, versioned). A row's "why" names each factor's share of its score in
words, with the number of people (or premises, pupils) concerned so that an action can be sized.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cartography.models import Commune
from hub.collation import french_key

from .api import period_key
from .models import DiagnosticWeights, Level, Value, ValueStatus


@dataclass(frozen=True)
class Factor:
    key: str
    label: str  # "fragilité numérique"
    indicator: str
    people_label: str  # what `people` counts


FACTORS = {
    "fragility": Factor(
        "fragility",
        "fragilité numérique",
        "fragilite-numerique-global-ref-departement",
        "habitants",
    ),
    "distance": Factor(
        "distance",
        "éloignement de l’aide",
        "population-a-plus-de-10-km-aide-demarches",
        "habitants à plus de 10 km",
    ),
    "fibre": Factor(
        "fibre", "locaux sans fibre", "part-locaux-raccordables-fibre", "locaux non raccordables"
    ),
    "equipment": Factor(
        "equipment", "sous-équipement des écoles", "terminaux-eleves-pour-100-eleves", "élèves"
    ),
}


@dataclass
class Measure:
    """One factor of one row: `raw` grows with need; `text` says the figure in words."""

    factor: Factor
    raw: float | None = None
    text: str = ""
    people: int | None = None
    unknown: str = ""  # why there is no figure (withheld, missing)
    need: float | None = None  # rescaled 0..1 within the ranked set
    contribution: float = 0.0  # its part of the score


@dataclass
class Ranked:
    code: str
    name: str
    kind: str  # "commune" or "école"
    commune_code: str
    commune_name: str
    population: int | None
    measures: dict[str, Measure] = field(default_factory=dict)
    score: float | None = None
    rank: int | None = None

    @property
    def territory_url(self) -> str:
        return f"/territoires/commune/{self.commune_code}/"

    @property
    def why(self) -> list[str]:
        """Each factor's share of the score, largest first, then the factors without figure."""
        known = [m for m in self.measures.values() if m.need is not None]
        total = sum(m.contribution for m in known)
        said = []
        for m in sorted(known, key=lambda m: -m.contribution):
            share = round(100 * m.contribution / total) if total else 0
            said.append(f"{m.factor.label} ({m.text}) : {share} % du besoin")
        said += [
            f"{m.factor.label} : {m.unknown}, non compté"
            for m in self.measures.values()
            if m.need is None
        ]
        return said


def _newest_values(user, indicator: str, codes: list[str]) -> dict[str, Value]:
    """The newest period's commune values of `indicator` the user may read, by commune."""
    values = Value.objects.visible_to(user).filter(
        indicator__code=indicator, level=Level.COMMUNE, territory_code__in=codes
    )
    periods = set(values.values_list("period", flat=True))
    if not periods:
        return {}
    newest = max(periods, key=period_key)
    return {v.territory_code: v for v in values.filter(period=newest)}


def _unknown(value: Value | None) -> str:
    if value is None or value.status == ValueStatus.MISSING:
        return "donnée manquante"
    if value.status == ValueStatus.WITHHELD:
        return "chiffre masqué (trop peu d’écoles)"
    return ""


def french_number(value: float, digits: int = 0) -> str:
    """12345.67 → "12 345,7" (one digit): a narrow no-break space between thousands."""
    return f"{value:,.{digits}f}".replace(",", "\u202f").replace(".", ",")


def commune_measure(key: str, value: Value | None, population: int | None) -> Measure:
    factor = FACTORS[key]
    unknown = _unknown(value)
    if unknown or value.value is None:
        return Measure(factor, unknown=unknown or "donnée manquante")
    v = value.value
    if key == "fragility":
        return Measure(factor, v, f"indice {french_number(v)}, référence 100", population)
    if key == "distance":
        people = round(value.numerator) if value.numerator is not None else None
        return Measure(factor, v, f"{french_number(v, 1)} % des habitants à plus de 10 km", people)
    if key == "fibre":
        people = None
        if value.numerator is not None and value.denominator is not None:
            people = round(value.denominator - value.numerator)
        return Measure(
            factor, 100 - v, f"{french_number(100 - v, 1)} % des locaux sans fibre", people
        )
    pupils = round(value.denominator) if value.denominator is not None else None
    return Measure(factor, -v, f"{french_number(v, 1)} terminaux pour 100 élèves", pupils)


def _score(rows: list[Ranked], weights: DiagnosticWeights) -> list[Ranked]:
    """Rescale each factor within `rows`, score and rank them (neediest first)."""
    weight = weights.weights()
    for key in FACTORS:
        known = [r.measures[key].raw for r in rows if r.measures[key].raw is not None]
        low, high = (min(known), max(known)) if known else (0, 0)
        for row in rows:
            m = row.measures[key]
            if m.raw is not None:
                m.need = (m.raw - low) / (high - low) if high > low else 0.0
    for row in rows:
        known = [m for key, m in row.measures.items() if m.need is not None and weight[key] > 0]
        total_weight = sum(weight[m.factor.key] for m in known)
        if not total_weight:
            continue
        for m in known:
            m.contribution = weight[m.factor.key] * m.need / total_weight
        row.score = sum(m.contribution for m in known)
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0), french_key(r.name)))
    for position, row in enumerate(rows, start=1):
        row.rank = position if row.score is not None else None
    return rows


def rank_communes(user, departement: str, weights: DiagnosticWeights) -> list[Ranked]:
    communes = list(
        Commune.objects.filter(departement__code=departement)
        .order_by("code")
        .values_list("code", "name", "population")
    )
    codes = [code for code, _, _ in communes]
    values = {key: _newest_values(user, f.indicator, codes) for key, f in FACTORS.items()}
    rows = []
    for code, name, population in communes:
        row = Ranked(code, name, "commune", code, name, population)
        for key in FACTORS:
            row.measures[key] = commune_measure(key, values[key].get(code), population)
        rows.append(row)
    return _score(rows, weights)


def rank_schools(user, departement: str, weights: DiagnosticWeights) -> list[Ranked]:
    """Staff only: the schools the user sees, with their commune's fragility and distance and
    their own connection and equipment from their newest census answer."""
    from equipment.models import CensusAnswer, School

    schools = list(
        School.objects.visible_to(user)
        .filter(departement_code=departement)
        .exclude(status=School.Status.CLOSED)
        .select_related("commune")
    )
    answers = {}
    for answer in CensusAnswer.objects.filter(school__in=schools).select_related("campaign"):
        known = answers.get(answer.school_id)
        if known is None or answer.campaign.school_year > known.campaign.school_year:
            answers[answer.school_id] = answer
    codes = sorted({s.commune.code for s in schools if s.commune_id})
    values = {
        key: _newest_values(user, FACTORS[key].indicator, codes)
        for key in ("fragility", "distance")
    }
    rows = []
    for school in schools:
        commune = school.commune
        code = commune.code if commune else school.commune_code
        row = Ranked(
            school.uai, school.name, "école", code, commune.name if commune else code, None
        )
        for key in ("fragility", "distance"):
            row.measures[key] = commune_measure(
                key, values[key].get(code), commune.population if commune else None
            )
        answer = answers.get(school.pk)
        if answer is None or not answer.pupils:
            row.measures["fibre"] = Measure(
                FACTORS["fibre"], unknown="pas de réponse au recensement"
            )
            row.measures["equipment"] = Measure(
                FACTORS["equipment"], unknown="pas de réponse au recensement"
            )
        else:
            fibre = answer.connection == CensusAnswer.Connection.FIBRE
            row.measures["fibre"] = Measure(
                FACTORS["fibre"],
                0.0 if fibre else 100.0,
                "raccordée à la fibre" if fibre else "école sans fibre",
                0 if fibre else answer.pupils,
            )
            ratio = answer.terminals_per_100_pupils
            row.measures["equipment"] = Measure(
                FACTORS["equipment"],
                -ratio,
                f"{french_number(ratio, 1)} terminaux pour 100 élèves",
                answer.pupils,
            )
        rows.append(row)
    return _score(rows, weights)


# --- Exports ------------------------------------------------------------------------------------

COLUMNS = (
    ["rang", "code", "nom", "type", "commune", "score"]
    + [
        header
        for f in FACTORS.values()
        for header in (f"{f.label} (besoin 0-1)", f"{f.label} : chiffre", f.label + " : concernés")
    ]
    + ["pourquoi", "page du territoire"]
)


def export_rows(rows: list[Ranked], base_url: str) -> list[list]:
    table = []
    for row in rows:
        cells = [
            row.rank,
            row.code,
            row.name,
            row.kind,
            f"{row.commune_name} ({row.commune_code})",
            None if row.score is None else round(row.score, 3),
        ]
        for key in FACTORS:
            m = row.measures.get(key)
            if m is None:
                cells += [None, "sans objet", None]
                continue
            cells += [
                None if m.need is None else round(m.need, 3),
                m.text or m.unknown,
                m.people,
            ]
        cells += [" ; ".join(row.why), base_url + row.territory_url]
        table.append(cells)
    return table


def write_csv(rows: list[list]) -> bytes:
    from hub.exports import french_csv

    return french_csv(COLUMNS, rows)


def write_xlsx(rows: list[list], title: str) -> bytes:
    from hub.exports import safe_row, titled_sheet, workbook_bytes

    workbook, sheet = titled_sheet(title, "Diagnostic", COLUMNS)
    for cells in rows:
        sheet.append(safe_row(cells))
    sheet.freeze_panes = "D4"
    return workbook_bytes(workbook)
