"""The fragility indicators: the imported commune scores become values at commune level, and
population-weighted means of them for the EPCI and the département; the class scale is stated."""

from pathlib import Path

import pytest

from cartography.models import Commune
from indicators.builtins.fragility import CLASSES, FRAGILITY
from indicators.fragility import import_fragility
from indicators.models import FragilityScore, Indicator, Value
from indicators.registry import recompute

FILE = (
    Path(__file__).resolve().parents[2]
    / "data/demo/fragility/ifn-mednum-design4green2020-dep28.csv"
)
GLOBAL_DEP = "fragilite-numerique-global-ref-departement"
ADMIN_EPCI = "fragilite-numerique-competences-administratives-ref-epci"


@pytest.fixture
def fragility(territory_28):
    import_fragility(FILE)
    recompute([GLOBAL_DEP, ADMIN_EPCI])


def value(code, level, territory):
    return Value.objects.get(
        indicator__code=code, level=level, territory_code=territory, period="2020"
    )


def test_commune_value_is_the_imported_score(fragility):
    dreux = FragilityScore.objects.get(commune_code="28134")
    assert value(GLOBAL_DEP, "commune", "28134").value == pytest.approx(
        dreux.scores["global_departement"]
    )
    assert value(ADMIN_EPCI, "commune", "28134").value == pytest.approx(
        dreux.scores["administrative_epci"]
    )


def test_epci_and_departement_are_population_weighted_means(fragility):
    scores = {s.commune_code: s.scores["global_departement"] for s in FragilityScore.objects.all()}
    communes = Commune.objects.filter(code__in=scores).select_related("epci")
    epci = communes.get(code="28085").epci  # Chartres Métropole
    members = [c for c in communes if c.epci_id == epci.pk]
    assert len(members) > 10
    weighted = sum(scores[c.code] * c.population for c in members) / sum(
        c.population for c in members
    )
    plain = sum(scores[c.code] for c in members) / len(members)
    assert weighted != pytest.approx(plain, abs=0.1)
    assert value(GLOBAL_DEP, "epci", epci.siren).value == pytest.approx(weighted)
    everyone = sum(scores[c.code] * c.population for c in communes) / sum(
        c.population for c in communes
    )
    assert value(GLOBAL_DEP, "departement", "28").value == pytest.approx(everyone)


def test_every_axis_and_reference_is_declared_with_its_class_scale(fragility):
    codes = {d.code for d in FRAGILITY}
    assert len(codes) == 15  # global score and four axes × département, EPCI, région
    indicator = Indicator.objects.get(code=GLOBAL_DEP)
    assert indicator.levels == ["commune", "epci", "departement"]
    assert indicator.polarity is False  # higher: more fragile
    assert "< 80, 80–90, 90–100, 100–110, 110–120, ≥ 120" in indicator.definition
    assert [bound for bound, _ in CLASSES] == [80, 90, 100, 110, 120, None]
    assert set(Indicator.objects.filter(code__in=codes).values_list("code", flat=True)) == codes
