"""Fibre: the share of premises ready for fibre, per quarter, from ARCEP's figures."""

from cartography.coverage import ABOVE_FULL_NOTE, available_quarters, commune_figures
from cartography.models import Commune

from ..models import Aggregation
from ..registry import IndicatorDefinition, Row
from .common import PUBLIC, STAFF, THEME_CONNECTIVITY

PREMISES_MISSING = "locaux (logements + établissements, ARCEP)"
READY_MISSING = "locaux raccordables à la fibre (ARCEP)"


def fibre_share(context):
    codes = list(context.filter(Commune.objects.all(), "code").values_list("code", flat=True))
    for quarter in available_quarters():
        for figures in commune_figures(codes, quarter):
            missing = tuple(
                name
                for name, known in (
                    (PREMISES_MISSING, figures.premises),
                    (READY_MISSING, figures.ftth_ready),
                )
                if known is None
            )
            yield Row(
                figures.code,
                str(quarter),
                None if missing else figures.ftth_ready,
                None if missing else figures.premises,
                missing=missing,
                data_vintage=f"ARCEP, observatoire du haut et très haut débit, {quarter}",
            )


FIBRE_SHARE = IndicatorDefinition(
    code="part-locaux-raccordables-fibre",
    name="Part des locaux raccordables à la fibre",
    definition=(
        "Part des locaux (logements et locaux professionnels) raccordables à la fibre (FttH). "
        + ABOVE_FULL_NOTE
    ),
    method=(
        "Locaux raccordables publiés par l’ARCEP pour le trimestre (édition la plus récente), "
        "divisés par les locaux de l’édition la plus proche, × 100. Pour un EPCI, un département "
        "ou la France : somme des locaux raccordables de leurs communes (appartenance actuelle "
        "au COG) divisée par la somme de leurs locaux."
    ),
    unit="%",
    aggregation=Aggregation.RATIO_OF_SUMS,
    scale=100,
    polarity=True,
    sources="ARCEP, observatoire du haut et très haut débit (fichiers ftthCommunes et communes).",
    themes=(THEME_CONNECTIVITY,),
    audiences=(PUBLIC, STAFF),
    compute=fibre_share,
)
