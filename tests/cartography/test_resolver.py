"""Mapping any commune code to its current commune, following the COG history."""

import datetime

from cartography.services import CommuneResolver, normalize_departement_code

D2019 = datetime.date(2019, 1, 1)
D2025 = datetime.date(2025, 1, 1)


def test_a_chain_of_merges_is_followed_to_its_end():
    changes = [
        ("11111", D2019, "COM", "22222"),
        ("11111", D2019, "COMD", "11111"),
        ("22222", D2025, "COM", "33333"),
        ("22222", D2025, "COMD", "22222"),
    ]
    resolver = CommuneResolver(current={"33333"}, changes=changes)
    assert resolver.current_code("11111") == "33333"
    assert resolver.current_code("22222") == "33333"
    assert resolver.current_code("33333") == "33333"


def test_a_commune_that_kept_its_code_through_a_merge_stays_itself():
    changes = [("28319", D2025, "COM", "28319"), ("28025", D2025, "COM", "28319")]
    resolver = CommuneResolver(current={"28319"}, changes=changes)
    assert resolver.current_code("28319") == "28319"
    assert resolver.current_code("28025") == "28319"


def test_a_split_code_is_ambiguous_and_says_so():
    changes = [("44444", D2019, "COM", "55555"), ("44444", D2019, "COM", "66666")]
    resolution = CommuneResolver(current={"55555", "66666"}, changes=changes).resolve("44444")
    assert resolution.current is None
    assert "44444" in resolution.reason and "2 communes" in resolution.reason


def test_unknown_code_is_reported_not_guessed():
    resolution = CommuneResolver(current={"28085"}).resolve("28999")
    assert resolution.current is None
    assert "28999" in resolution.reason


def test_arrondissements_and_delegated_communes_map_to_their_commune():
    resolver = CommuneResolver(current={"75056"}, parents={"75101": "75056"})
    assert resolver.current_code("75101") == "75056"


def test_spreadsheet_mangled_code_gets_its_leading_zero_back():
    assert CommuneResolver(current={"01001"}).current_code("1001") == "01001"


def test_departement_codes_are_normalised():
    assert normalize_departement_code("028") == "28"
    assert normalize_departement_code("2a") == "2A"
    assert normalize_departement_code("971") == "971"
