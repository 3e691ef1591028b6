"""Digital maturity from rules kept as data (MaturityLevel, MaturityCriterion).

A school reaches a level when its answer meets every criterion of that level and of all the
levels below; its reasons name, in words, what it lacks for the next level ("niveau 2 : pas de
Wi-Fi dans les classes ; 3 terminaux pour 100 élèves, moins de 10").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .models import CensusAnswer, MaturityCriterion, MaturityLevel

Measure = MaturityCriterion.Measure
Operator = MaturityCriterion.Operator


def measure(answer: CensusAnswer, name: str):
    """The school's value for a measure of the rules."""
    if name == Measure.TERMINALS_PER_100:
        return answer.terminals_per_100_pupils
    if name == Measure.REFERENT:
        return 1 if answer.digital_referent.strip() else 0
    return getattr(answer, name)


def _number(text):
    try:
        return Decimal(str(text).replace(",", ".").strip())
    except (InvalidOperation, ValueError):
        return None


def meets(criterion: MaturityCriterion, value) -> bool:
    if value is None:
        return False
    threshold = criterion.value.strip()
    if criterion.operator in (Operator.AT_LEAST, Operator.AT_MOST):
        number, limit = _number(value), _number(threshold)
        if number is None or limit is None:
            return False
        return number >= limit if criterion.operator == Operator.AT_LEAST else number <= limit
    if criterion.operator == Operator.ONE_OF:
        return str(value) in {v.strip() for v in threshold.split(",")}
    same = str(value) == threshold or (
        _number(value) is not None and _number(value) == _number(threshold)
    )
    return same if criterion.operator == Operator.EQUALS else not same


def _shown(value) -> str:
    if value is None:
        return "non renseigné"
    if isinstance(value, float | Decimal):
        return f"{value:.1f}".replace(".", ",").removesuffix(",0")
    return str(value)


def failure_text(criterion: MaturityCriterion, value) -> str:
    labels = {
        Measure.CONNECTION: CensusAnswer.Connection,
        Measure.WIFI: CensusAnswer.Wifi,
        Measure.PLATFORM: CensusAnswer.Platform,
        Measure.FLEET_AGE: CensusAnswer.FleetAge,
    }
    choices = labels.get(criterion.measure)
    shown = dict(choices.choices).get(value, _shown(value)) if choices else _shown(value)
    try:
        return criterion.failure.format(value=shown, threshold=criterion.value)
    except (KeyError, IndexError, ValueError):
        return criterion.failure


@dataclass
class Assessment:
    level: int
    reasons: str


def load_rules() -> list[tuple[MaturityLevel, list[MaturityCriterion]]]:
    levels = MaturityLevel.objects.prefetch_related("criteria").order_by("number")
    return [(level, list(level.criteria.all())) for level in levels]


def assess(answer: CensusAnswer, rules=None) -> Assessment:
    rules = load_rules() if rules is None else rules
    if not rules:
        return Assessment(0, "aucune règle de maturité n'est définie")
    reached = rules[0][0].number if not rules[0][1] else None
    for level, criteria in rules:
        missing = [c for c in criteria if not meets(c, measure(answer, c.measure))]
        if missing:
            texts = [failure_text(c, measure(answer, c.measure)) for c in missing]
            base = reached if reached is not None else 0
            return Assessment(
                base, f"niveau {base} : " + " ; ".join(texts) + f" (pour le niveau {level.number})"
            )
        reached = level.number
    return Assessment(reached, f"niveau {reached} : tous les critères sont remplis")


def recompute(answers=None) -> int:
    """Store each answer's level and reasons again (after an answer or a rule changed)."""
    rules = load_rules()
    answers = CensusAnswer.objects.select_related("school") if answers is None else answers
    changed = []
    for answer in answers:
        result = assess(answer, rules)
        if (answer.level, answer.level_reasons) != (result.level, result.reasons):
            answer.level, answer.level_reasons = result.level, result.reasons
            changed.append(answer)
    CensusAnswer.objects.bulk_update(changed, ["level", "level_reasons"], batch_size=1000)
    return len(changed)
