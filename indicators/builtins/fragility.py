"""The digital fragility index (IFN, La MedNum): the global score and its four axes, each
relative to the département, the EPCI and the région, from the imported `FragilityScore`s
(indicators/fragility.py reads the file and aggregates its IRIS to communes)."""

from functools import partial

from cartography.models import Commune

from ..fragility import AXES, REFERENCES
from ..models import Aggregation, FragilityScore, Level
from ..registry import IndicatorDefinition, Row
from .common import POPULATION_MISSING, PUBLIC, STAFF, THEME_MEDIATION

SOURCES = (
    "La MedNum / Design4Green, indice de fragilité numérique (IFN) par IRIS, données "
    "INSEE ; INSEE, population municipale (pondération au-delà de la commune)."
)
# The choropleth's classes, around the reference 100 (higher: more fragile). Upper bounds,
# exclusive; the last class is open. Shared by every IFN indicator so maps compare.
CLASSES = (
    (80, "moins de 80 : nettement moins fragile que la référence"),
    (90, "80 à 90"),
    (100, "90 à 100 : un peu moins fragile"),
    (110, "100 à 110 : un peu plus fragile"),
    (120, "110 à 120"),
    (None, "120 et plus : nettement plus fragile que la référence"),
)
CLASS_SCALE = (
    "Carte en six classes autour de la référence 100 : < 80, 80–90, 90–100, 100–110, "
    "110–120, ≥ 120 (bornes basses incluses)."
)
RELATIVE_TO = {"departement": "au département", "epci": "à l’EPCI", "region": "à la région"}
# The global score and the four axes; the two summary scores stay in FragilityScore.
INDICATOR_AXES = ("global", "information", "interfaces", "administrative", "digital")


def fragility_rows(key: str, context):
    """One row per commune and edition: score × population over population, so that an EPCI
    or a département gets the population-weighted mean of its communes. A commune of a
    département the edition covers but absent from the file, or without the score, is
    missing (never 0)."""
    scores = context.filter(FragilityScore.objects.all(), "commune_code").values_list(
        "edition", "commune_code", "scores"
    )
    by_edition: dict[str, dict[str, float | None]] = {}
    for edition, code, values in context.shared("fragility-scores", lambda: list(scores)):
        by_edition.setdefault(edition, {})[code] = values.get(key)
    places = context.filter(Commune.objects.all(), "code").values_list(
        "code", "population", "departement__code"
    )
    places = context.shared("fragility-communes", lambda: list(places))
    for edition, values in sorted(by_edition.items()):
        vintage = f"IFN La MedNum {edition}"
        covered = {dep for code, _, dep in places if code in values}
        for code, population, dep in places:
            if dep not in covered:
                continue
            score = values.get(code)
            missing = []
            if score is None:
                missing.append(f"indice absent du fichier IFN {edition}")
            if population is None:
                missing.append(POPULATION_MISSING)
            if missing:
                yield Row(code, edition, missing=tuple(missing), data_vintage=vintage)
            else:
                yield Row(code, edition, score * population, population, data_vintage=vintage)


def definition(axis: str, reference: str) -> IndicatorDefinition:
    label = AXES[axis][0]
    ref_label = REFERENCES[reference][0]
    code_axis = {
        "global": "global",
        "information": "acces-information",
        "interfaces": "acces-interfaces-numeriques",
        "administrative": "competences-administratives",
        "digital": "competences-numeriques-scolaires",
    }[axis]
    return IndicatorDefinition(
        code=f"fragilite-numerique-{code_axis}-ref-{reference}",
        name=f"Fragilité numérique : {label} (référence {ref_label})",
        definition=(
            f"Indice de fragilité numérique de La MedNum, {label}, exprimé par rapport "
            f"{RELATIVE_TO[reference]} : 100 = la valeur de la référence, au-dessus la "
            "population risque "
            f"davantage d’être en difficulté avec le numérique. {CLASS_SCALE}"
        ),
        method=(
            "Valeur de la commune : moyenne des IRIS du fichier, pondérée par leur population "
            "quand le fichier la donne, moyenne simple sinon (la pondération retenue est "
            "enregistrée par commune). Anciennes communes rattachées à la commune actuelle par "
            "l’historique du COG. EPCI et département : moyenne des communes pondérée par "
            "leur population municipale (somme des indices × population divisée par la somme "
            "des populations)."
        ),
        unit="indice (référence = 100)",
        aggregation=Aggregation.POPULATION_WEIGHTED_MEAN,
        precision=1,
        polarity=False,
        levels=(Level.COMMUNE, Level.EPCI, Level.DEPARTEMENT),
        sources=SOURCES,
        source_vintage="IFN 2020 (La MedNum / Design4Green)",
        themes=(THEME_MEDIATION,),
        audiences=(PUBLIC, STAFF),
        compute=partial(fragility_rows, f"{axis}_{reference}"),
        extra={"classes": CLASSES, "class_scale": CLASS_SCALE},
    )


FRAGILITY = [definition(axis, ref) for axis in INDICATOR_AXES for ref in REFERENCES]
