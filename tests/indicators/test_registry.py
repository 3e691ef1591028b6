"""Values computed from the hub's data and aggregated up the levels by the declared rule."""

import pytest

from indicators.models import Indicator, Value, ValueStatus
from indicators.registry import recompute

from .conftest import add_place

PER_10K = "lieux-pour-10000-habitants"


def value(code, level, territory):
    return Value.objects.get(indicator__code=code, level=level, territory_code=territory)


@pytest.mark.django_db
def test_a_ratio_aggregates_as_a_ratio_of_sums_never_a_mean_of_ratios(small_epci):
    village, town = small_epci
    add_place(village)
    recompute([PER_10K])
    assert value(PER_10K, "commune", "28001").value == pytest.approx(100.0)  # 1 per 100
    assert value(PER_10K, "commune", "28002").value == 0
    epci = value(PER_10K, "epci", "200000001")
    # 1 place for 10 100 inhabitants, not the mean (100 + 0) / 2 = 50 of the two rates.
    assert epci.value == pytest.approx(10_000 / 10_100)
    assert (epci.numerator, epci.denominator) == (1, 10_100)
    assert value(PER_10K, "departement", "28").value == pytest.approx(10_000 / 10_100)
    assert value(PER_10K, "france", "FR").value == pytest.approx(10_000 / 10_100)


@pytest.mark.django_db
def test_a_commune_without_population_is_missing_not_zero(small_epci):
    village, town = small_epci
    village.population = None
    village.save()
    recompute([PER_10K])
    missing = value(PER_10K, "commune", "28001")
    assert (missing.status, missing.value) == (ValueStatus.MISSING, None)
    assert missing.missing_inputs == ["population municipale (recensement INSEE)"]
    # The EPCI still has a figure, from its other commune, and says which input it lacks.
    epci = value(PER_10K, "epci", "200000001")
    assert epci.status == ValueStatus.ESTIMATED
    assert epci.value == 0
    assert epci.missing_inputs == ["commune 28001 : population municipale (recensement INSEE)"]


@pytest.mark.django_db
def test_recomputing_twice_changes_nothing(small_epci):
    village, _ = small_epci
    add_place(village)
    recompute([PER_10K])
    first = value(PER_10K, "epci", "200000001")
    counts = recompute([PER_10K])
    assert counts["created"] == counts["updated"] == counts["removed"] == 0
    again = value(PER_10K, "epci", "200000001")
    assert (again.computed_at, again.input_state) == (first.computed_at, first.input_state)
    assert again.geography_vintage == first.geography_vintage
    assert Indicator.objects.get(code=PER_10K).method_version == again.method_version == 1


TERMINALS = "terminaux-eleves-pour-100-eleves"


@pytest.mark.django_db
def test_a_value_describing_two_schools_is_withheld_and_three_are_shown(two_schools):
    recompute([TERMINALS])
    town = value(TERMINALS, "commune", "28002")
    assert (town.status, town.value, town.numerator, town.denominator) == (
        ValueStatus.WITHHELD,
        None,
        None,
        None,
    )
    # The EPCI and the circonscription describe three schools: (10 + 40 + 0) × 100 / 170.
    for level, code in [("epci", "200000001"), ("circonscription", "0281001A")]:
        shown = value(TERMINALS, level, code)
        assert shown.status == ValueStatus.COMPUTED
        assert shown.value == pytest.approx(100 * 50 / 170)


@pytest.mark.django_db
def test_a_new_method_version_is_recorded_on_the_indicator_and_its_values(small_epci, monkeypatch):
    import dataclasses

    from django.apps import apps

    from indicators.builtins.places import PLACES_PER_10K

    add_place(small_epci[0])
    recompute([PER_10K])
    config = apps.get_app_config("indicators")
    revised = dataclasses.replace(PLACES_PER_10K, method_version=2)
    monkeypatch.setattr(config, "hub_indicators", [revised])
    counts = recompute([PER_10K])
    # Commune × 2, EPCI, département, France: each says it now follows method 2.
    assert counts["method_or_vintage"] == counts["updated"] == 5
    assert set(Value.objects.values_list("method_version", flat=True)) == {2}
    assert Indicator.objects.get(code=PER_10K).method_version == 2


@pytest.mark.django_db
def test_recomputing_one_commune_updates_its_epci_departement_and_france(small_epci):
    from cartography.models import Commune, Departement

    village, _ = small_epci
    loiret = Departement.objects.create(code="45", name="Loiret")
    orleans = Commune.objects.create(
        code="45234", name="Orléans", departement=loiret, population=1000
    )
    add_place(orleans)
    recompute([PER_10K])
    assert value(PER_10K, "france", "FR").value == pytest.approx(10_000 * 1 / 11_100)

    add_place(village)
    counts = recompute([PER_10K], communes=["28001"])
    assert value(PER_10K, "commune", "28001").value == pytest.approx(100.0)
    assert value(PER_10K, "epci", "200000001").value == pytest.approx(10_000 / 10_100)
    assert value(PER_10K, "departement", "28").value == pytest.approx(10_000 / 10_100)
    # France adds the stored Loiret to the recomputed Eure-et-Loir: 2 places, 11 100 people.
    assert value(PER_10K, "france", "FR").value == pytest.approx(10_000 * 2 / 11_100)
    assert value(PER_10K, "commune", "45234").value == pytest.approx(10.0)
    assert counts["removed"] == 0


@pytest.mark.django_db
def test_themes_edited_in_the_admin_survive_a_recomputation(small_epci):
    from indicators.models import Theme

    recompute([PER_10K])
    indicator = Indicator.objects.get(code=PER_10K)
    assert [t.code for t in indicator.themes.all()] == ["mediation"]
    access = Theme.objects.create(code="acces", name="Accès aux droits")
    indicator.themes.set([access])
    recompute([PER_10K])
    assert [t.code for t in indicator.themes.all()] == ["acces"]
