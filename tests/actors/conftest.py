from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "places"


@pytest.fixture
def places_v1():
    return FIXTURES / "lieux-v1.0.2.csv"


@pytest.fixture
def places_v01():
    return FIXTURES / "lieux-v0.1.csv"
