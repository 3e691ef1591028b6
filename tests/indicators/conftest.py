import datetime

import pytest
from django.contrib.gis.geos import Point

from actors.models import Offer, Place, Structure
from cartography.models import EPCI, Commune, Departement


@pytest.fixture
def small_epci(db):
    """Two communes of one EPCI: a village of 100 inhabitants, a town of 10 000."""
    dep = Departement.objects.create(code="28", name="Eure-et-Loir")
    epci = EPCI.objects.create(siren="200000001", name="CC Test", seat_departement_code="28")

    def commune(code, name, population):
        return Commune.objects.create(
            code=code, name=name, departement=dep, epci=epci, population=population
        )

    return commune("28001", "Village", 100), commune("28002", "Bourg", 10_000)


def add_place(commune, name="Espace numérique", hours="", services=()):
    structure = Structure.objects.create(name=name)
    place = Place.objects.create(
        structure=structure,
        name=name,
        address="1 place de la Mairie",
        postal_code="28000",
        commune_name=commune.name,
        commune=commune,
        location=Point(1.49, 48.45, srid=4326),
        opening_hours=hours,
        updated_on=datetime.date(2026, 1, 5),
    )
    for position, service in enumerate(services):
        Offer.objects.create(place=place, service=service, position=position)
    return place


@pytest.fixture
def two_schools(small_epci):
    """Two answering schools in the town (below the threshold of three), one in the village."""
    from equipment.models import Campaign, CensusAnswer, Circonscription, School

    village, town = small_epci
    campaign = Campaign.objects.create(
        school_year="2025-2026",
        title="Recensement 2025",
        opens_on=datetime.date(2025, 9, 1),
        closes_on=datetime.date(2025, 12, 19),
        kinds=["elementaire"],
    )
    circonscription = Circonscription.objects.create(
        code="0281001A", name="Chartres", departement_code="28"
    )
    schools = []
    for uai, commune, pupils, laptops in [
        ("0280001A", town, 100, 10),
        ("0280002B", town, 50, 40),
        ("0280003C", village, 20, 0),
    ]:
        school = School.objects.create(
            uai=uai,
            name=f"École {uai}",
            kind=School.Kind.ELEMENTAIRE,
            departement_code="28",
            commune=commune,
            commune_code=commune.code,
            circonscription=circonscription,
        )
        CensusAnswer.objects.create(
            campaign=campaign,
            school=school,
            pupils=pupils,
            laptops_total=laptops,
            laptops_pupils=laptops,
            connection="fibre",
            wifi="all",
            platform="none",
        )
        schools.append(school)
    return schools
