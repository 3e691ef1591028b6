"""The commune lookup every search box shares: names (accents, case, typos), postal codes,
INSEE codes, addresses without a geocoder, and "Vouliez-vous dire … ?"."""

import pytest

from cartography.importers.postal_codes import load_demo_postal_codes
from cartography.search import commune_label, find

pytestmark = pytest.mark.django_db


@pytest.fixture
def territory(territory_28):
    load_demo_postal_codes()


def names(communes):
    return [c.name for c in communes]


@pytest.mark.parametrize(
    "text", ["Chartres", "chartres", "CHARTRES", "  chartres ", "Chartres (28000)"]
)
def test_a_name_whatever_its_case_or_spaces(territory, text):
    lookup = find(text, departement="28")
    assert names(lookup.communes) == ["Chartres"] and not lookup.corrected


def test_accents_hyphens_and_saint_abbreviated(territory):
    assert names(find("chateaudun").communes) == ["Châteaudun"]
    assert names(find("nogent le rotrou").communes) == ["Nogent-le-Rotrou"]
    assert names(find("St Prest").communes) == ["Saint-Prest"]


def test_a_typo_is_corrected_and_said_with_other_suggestions(territory):
    lookup = find("Chartre", departement="28")
    assert names(lookup.communes) == ["Chartres"] and lookup.corrected
    assert names(lookup.suggestions) == ["Ver-lès-Chartres"]
    lookup = find("Chateaudn", departement="28")  # a letter missing: trigram similarity
    assert names(lookup.communes) == ["Châteaudun"] and lookup.corrected


def test_an_ambiguous_text_gives_suggestions_only(territory):
    lookup = find("Nogent", departement="28")
    assert lookup.communes == [] and not lookup.found
    assert {"Nogent-le-Rotrou", "Nogent-le-Roi"} <= set(names(lookup.suggestions))
    assert find("Atlantide").suggestions == [] and not find("Atlantide").found


def test_postal_code_first_then_insee_code(territory):
    lookup = find("28000")
    assert lookup.kind == "postal_code" and names(lookup.communes) == ["Chartres"]
    # 28100 is Dreux's postal code and Cintray's INSEE code: the postal code wins, and the
    # other commune is offered.
    lookup = find("28100")
    assert names(lookup.communes) == ["Dreux"] and names(lookup.suggestions) == ["Cintray"]
    lookup = find("28085")  # no commune has this postal code: Chartres' INSEE code
    assert lookup.kind == "insee_code" and names(lookup.communes) == ["Chartres"]
    assert not find("99999").found


def test_an_address_without_geocoder_goes_down_to_its_commune_and_says_so(territory):
    lookup = find("1 place des Halles Chartres")
    assert names(lookup.communes) == ["Chartres"]
    assert "La recherche par adresse n’est pas disponible" in lookup.message
    assert names(find("1 place des Halles 28000 Chartres").communes) == ["Chartres"]


def test_an_address_with_a_geocoder_is_a_point(territory):
    lookup = find("1 place des Halles Chartres", geocode=lambda text: (1.4875, 48.4447))
    assert lookup.kind == "address" and lookup.point is not None
    assert names(lookup.communes) == ["Chartres"]


def test_a_commune_is_named_with_its_postal_code_not_its_insee_code(territory):
    cintray = find("Cintray").communes[0]
    assert commune_label(cintray) == "Cintray (28300)"
