"""What the built-in indicators share: themes, audiences and the per-commune population rows."""

from cartography.models import Commune

from ..models import Level

THEME_MEDIATION = ("mediation", "Médiation numérique")
THEME_CONNECTIVITY = ("connectivite", "Connectivité")
THEME_SCHOOLS = ("ecoles", "Numérique éducatif")
PUBLIC = ("grand-public", "Grand public")
STAFF = ("agents", "Agents de l’État et des collectivités")
SCHOOL_LEVELS = (Level.COMMUNE, Level.EPCI, Level.DEPARTEMENT, Level.CIRCONSCRIPTION, Level.FRANCE)
POPULATION_MISSING = "population municipale (recensement INSEE)"


def communes(context):
    """(INSEE code, population) of the communes the context asks for."""
    return context.filter(Commune.objects.all(), "code").values_list("code", "population")
