"""Schools, their census answers and equipment: per commune and circonscription, never per
school for the public (a value describing fewer than three schools is withheld)."""

from django.utils import timezone

from equipment.gaps import MIN_SCHOOLS_PUBLISHED
from equipment.models import CensusAnswer, Deployment, Loan, School

from ..models import Aggregation, Level, circonscription_code
from ..registry import IndicatorDefinition, Row
from .common import SCHOOL_LEVELS, STAFF, THEME_SCHOOLS

CENSUS = "Recensement de l’équipement numérique des écoles (hub), campagne"
STAFF_ONLY = ("Agents de l’Éducation nationale et des collectivités",)


def _commune(school: School) -> str:
    return school.commune.code if school.commune_id else school.commune_code


def _groups(school: School) -> tuple:
    circonscription = school.circonscription
    if circonscription is None:
        return ()
    return ((Level.CIRCONSCRIPTION, circonscription_code(circonscription)),)


def _answers(context):
    """The census answers of the context, read once for the indicators that share them."""
    answers = CensusAnswer.objects.select_related(
        "campaign", "school__commune", "school__circonscription"
    )
    if context.communes is not None:
        answers = answers.filter(school__commune__code__in=context.communes)
    return context.shared("census-answers", lambda: list(answers))


def _school_row(school, period, numerator, denominator=None, vintage=""):
    return Row(
        _commune(school),
        period,
        numerator,
        denominator,
        units=1,
        groups=_groups(school),
        data_vintage=vintage,
    )


def terminals_per_100_pupils(context):
    for answer in _answers(context):
        if not answer.pupils:
            continue
        yield _school_row(
            answer.school,
            answer.campaign.school_year,
            answer.pupil_terminals,
            answer.pupils,
            f"{CENSUS} {answer.campaign.school_year}",
        )


def schools_without_fibre(context):
    for answer in _answers(context):
        yield _school_row(
            answer.school,
            answer.campaign.school_year,
            int(answer.connection != CensusAnswer.Connection.FIBRE),
            vintage=f"{CENSUS} {answer.campaign.school_year}",
        )


def maturity_share(number: int):
    def compute(context):
        for answer in _answers(context):
            yield _school_row(
                answer.school,
                answer.campaign.school_year,
                int(answer.level == number),
                1,
                f"{CENSUS} {answer.campaign.school_year}",
            )

    return compute


def census_response_rate(context):
    from equipment.models import Campaign

    for campaign in Campaign.objects.all():
        answered = set(campaign.answers.values_list("school_id", flat=True))
        schools = campaign.schools().select_related("commune", "circonscription")
        if context.communes is not None:
            schools = schools.filter(commune__code__in=context.communes)
        for school in schools:
            yield _school_row(
                school,
                campaign.school_year,
                int(school.pk in answered),
                1,
                f"{CENSUS} {campaign.school_year}",
            )


def installed_equipment(context):
    deployments = Deployment.objects.filter(
        status=Deployment.Status.INSTALLED, installed_on__isnull=False
    ).select_related("school__commune", "school__circonscription")
    if context.communes is not None:
        deployments = deployments.filter(school__commune__code__in=context.communes)
    for deployment in deployments:
        yield _school_row(
            deployment.school,
            str(deployment.installed_on.year),
            deployment.quantity,
            vintage="Suivi des déploiements du hub",
        )


def _loan_commune(loan) -> tuple[str, tuple]:
    pool = loan.pool
    if pool.school_id:
        return _commune(pool.school), _groups(pool.school)
    place = pool.structure.places.exclude(commune=None).order_by("pk").first()
    return (place.commune.code if place else ""), ()


def loans(overdue: bool):
    def compute(context):
        today = timezone.localdate()
        current = Loan.objects.current().select_related(
            "pool__school__commune", "pool__school__circonscription", "pool__structure"
        )
        if overdue:
            current = current.overdue(today)
        for loan in current:
            commune, groups = _loan_commune(loan)
            if not commune or (context.communes is not None and commune not in context.communes):
                continue
            yield Row(
                commune,
                str(today.year),
                loan.quantity,
                groups=groups,
                data_vintage=f"prêts enregistrés dans le hub, {today.year}",
            )

    return compute


def school_definition(**fields) -> IndicatorDefinition:
    return IndicatorDefinition(
        levels=SCHOOL_LEVELS,
        themes=(THEME_SCHOOLS,),
        audiences=(STAFF,),
        **fields,
    )


TERMINALS_PER_100_PUPILS = school_definition(
    code="terminaux-eleves-pour-100-eleves",
    name="Terminaux pour les élèves pour 100 élèves",
    definition=(
        "Ordinateurs fixes, portables et tablettes utilisables par les élèves, pour 100 élèves "
        "des écoles ayant répondu au recensement."
    ),
    method=(
        "Somme des terminaux utilisables par les élèves des écoles ayant répondu, × 100, "
        "divisée par la somme de leurs élèves. Masqué lorsqu’il décrit moins de "
        f"{MIN_SCHOOLS_PUBLISHED} écoles."
    ),
    unit="terminaux pour 100 élèves",
    aggregation=Aggregation.RATIO_OF_SUMS,
    scale=100,
    polarity=True,
    small_count_threshold=MIN_SCHOOLS_PUBLISHED,
    sources=CENSUS + " (réponses des écoles).",
    compute=terminals_per_100_pupils,
)

SCHOOLS_WITHOUT_FIBRE = school_definition(
    code="ecoles-sans-fibre",
    name="Écoles sans connexion fibre",
    definition="Nombre d’écoles ayant répondu au recensement dont la connexion n’est pas la fibre.",
    method=(
        "Écoles dont la connexion déclarée est le cuivre, le câble, la 4G/5G, le satellite ou "
        f"aucune ; somme sur le territoire. Masqué lorsqu’il décrit moins de "
        f"{MIN_SCHOOLS_PUBLISHED} écoles."
    ),
    unit="écoles",
    precision=0,
    aggregation=Aggregation.SUM,
    polarity=False,
    small_count_threshold=MIN_SCHOOLS_PUBLISHED,
    sources=CENSUS + " (connexion déclarée).",
    compute=schools_without_fibre,
)

MATURITY_SHARES = [
    school_definition(
        code=f"part-ecoles-maturite-niveau-{number}",
        name=f"Part des écoles au niveau {number} de maturité numérique",
        definition=(
            f"Part des écoles ayant répondu au recensement dont le niveau de maturité numérique "
            f"est {number}."
        ),
        method=(
            "Niveau attribué à chaque réponse par les règles de maturité en vigueur (modifiables "
            "par les administrateurs ; un changement de règle recalcule les niveaux puis cet "
            "indicateur). Écoles au niveau × 100 divisées par les écoles ayant répondu. Masqué "
            f"lorsqu’il décrit moins de {MIN_SCHOOLS_PUBLISHED} écoles."
        ),
        unit="%",
        aggregation=Aggregation.RATIO_OF_SUMS,
        scale=100,
        small_count_threshold=MIN_SCHOOLS_PUBLISHED,
        sources=CENSUS + " ; règles de maturité numérique du hub.",
        compute=maturity_share(number),
    )
    for number in range(5)
]

CENSUS_RESPONSE_RATE = school_definition(
    code="taux-reponse-recensement",
    name="Taux de réponse au recensement",
    definition="Part des écoles concernées par une campagne qui y ont répondu.",
    method=(
        "Écoles ouvertes des types visés par la campagne ayant une réponse × 100, divisées par "
        "les écoles ouvertes de ces types."
    ),
    unit="%",
    aggregation=Aggregation.RATIO_OF_SUMS,
    scale=100,
    polarity=True,
    is_public=False,
    sources=CENSUS + " ; Annuaire de l’éducation.",
    compute=census_response_rate,
)

INSTALLED_EQUIPMENT = school_definition(
    code="equipements-installes",
    name="Équipements installés dans les écoles",
    definition="Nombre d’équipements numériques installés dans les écoles, par année d’installation.",
    method="Somme des quantités des déploiements à l’état « installé », par année d’installation.",
    unit="équipements",
    precision=0,
    aggregation=Aggregation.SUM,
    polarity=True,
    is_public=False,
    sources="Suivi des déploiements d’équipement du hub.",
    compute=installed_equipment,
)

ACTIVE_LOANS = school_definition(
    code="prets-familles-en-cours",
    name="Appareils prêtés aux familles (prêts en cours)",
    definition="Nombre d’appareils prêtés aux familles et non encore rendus.",
    method=(
        "Somme des appareils des prêts non rendus, rattachés à la commune de l’école ou du "
        "premier lieu de la structure qui prête."
    ),
    unit="appareils",
    precision=0,
    aggregation=Aggregation.SUM,
    is_public=False,
    sources="Prêts aux familles enregistrés dans le hub.",
    compute=loans(overdue=False),
)

OVERDUE_LOANS = school_definition(
    code="prets-familles-en-retard",
    name="Appareils prêtés aux familles en retard de restitution",
    definition="Nombre d’appareils prêtés aux familles dont la date de retour est passée.",
    method="Somme des appareils des prêts non rendus dont la date de retour est dépassée.",
    unit="appareils",
    precision=0,
    aggregation=Aggregation.SUM,
    polarity=False,
    is_public=False,
    sources="Prêts aux familles enregistrés dans le hub.",
    compute=loans(overdue=True),
)
