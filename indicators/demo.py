"""Demo: every indicator computed once the rest of the demo is loaded, so pages show values."""

from .registry import recompute


def load_demo_indicators() -> list[str]:
    counts = recompute()
    return [
        f"Indicateurs : {counts['created']} valeur(s) créée(s), {counts['updated']} mise(s) à "
        f"jour, {counts['unchanged']} inchangée(s)"
    ]
