"""Demo step (`load_demo`, after the indicators): one action plan for the demo circonscription
of Eure-et-Loir — an equipment action in a school, workshops in the diagnostic's neediest
commune, an intervention of mediateur-demo's structure in directeur-demo's school, a teachers'
training — and three funding calls, deadlines relative to today. All named as demonstration;
idempotent (a second run creates nothing)."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from actors.demo import DEMO_STRUCTURE
from actors.models import Structure
from cartography.models import Commune
from equipment.demo import DEMO_CIRCONSCRIPTION_PREFIX
from equipment.models import Circonscription

from .models.catalogue import Session
from .models.funding import FundingCall
from .models.plans import Action, FundingLine, Plan

DEMO_PLAN_SUFFIX = "(démonstration)"
DEMO_CALLS = [
    # (title, funder, days to deadline, applicants, amount, link, summary)
    (
        "Inclusion numérique des familles 2027 (démonstration)",
        "Conseil départemental d’Eure-et-Loir",
        12,
        FundingCall.Applicants.STRUCTURES,
        "de 5 000 à 20 000 €",
        "https://www.eurelien.fr/",
        "Ateliers parents-enfants, accompagnement aux démarches en ligne, prêt de matériel.",
    ),
    (
        "CNR Éducation : projets numériques des écoles (démonstration)",
        "Ministère de l’Éducation nationale",
        45,
        FundingCall.Applicants.SCHOOLS,
        "jusqu’à 30 000 € par projet",
        "https://www.education.gouv.fr/",
        "Projets d’école construits avec la communauté éducative : équipements, formation, "
        "usages pédagogiques.",
    ),
    (
        "Conseillers numériques : renfort territorial (démonstration)",
        "Agence nationale de la cohésion des territoires",
        90,
        FundingCall.Applicants.LOCAL_AUTHORITIES,
        "forfait de 25 000 € par poste",
        "https://societenumerique.gouv.fr/",
        "Cofinancement de postes de médiateurs numériques dans les territoires fragiles.",
    ),
]


def _top_commune():
    """The neediest commune of the gap diagnostic as the public sees it (None without data)."""
    from indicators.diagnostic import rank_communes
    from indicators.models import DiagnosticWeights

    weights = DiagnosticWeights.current()
    rows = [r for r in rank_communes(AnonymousUser(), "28", weights) if r.rank]
    return (rows[0], weights.version) if rows else (None, weights.version)


def load_demo_funding_calls() -> int:
    today = timezone.localdate()
    created = 0
    for title, funder, days, applicants, amount, link, summary in DEMO_CALLS:
        _, new = FundingCall.objects.update_or_create(
            title=title,
            defaults={
                "funder": funder,
                "deadline": today + datetime.timedelta(days=days),
                "applicants": applicants,
                "amount": amount,
                "link": link,
                "summary": summary,
                "is_demo": True,
            },
        )
        created += new
    return created


def _action(plan, title, lines, sessions=(), **fields) -> bool:
    action, new = Action.objects.get_or_create(plan=plan, title=title, defaults=fields)
    if new:
        for kind, name, amount in lines:
            FundingLine.objects.create(
                action=action, funder_kind=kind, funder_name=name, amount=Decimal(amount)
            )
        action.sessions.set(sessions)
    return new


def load_demo_plans(progress=None) -> list[str]:
    calls = load_demo_funding_calls()
    circo = (
        Circonscription.objects.filter(name__startswith=DEMO_CIRCONSCRIPTION_PREFIX)
        .order_by("name")
        .first()
    )
    if circo is None:
        return [f"Appels à projets de démonstration : {calls} créé(s)"]
    schools = list(circo.schools.order_by("name")[:2])
    dsden = get_user_model().objects.filter(username="dsden-demo").first()
    today = timezone.localdate()
    year = today.year if today.month >= 9 else today.year - 1
    plan, new_plan = Plan.objects.get_or_create(
        title=f"Plan numérique de la {circo.name[0].lower()}{circo.name[1:]} {DEMO_PLAN_SUFFIX}",
        defaults={
            "level": Plan.Level.CIRCONSCRIPTION,
            "circonscription": circo,
            "starts_on": datetime.date(year, 9, 1),
            "ends_on": datetime.date(year + 1, 8, 31),
            "state": Plan.State.ACTIVE,
            "created_by": dsden,
        },
    )
    if dsden:
        plan.owners.add(dsden)
    structure = Structure.objects.filter(name=DEMO_STRUCTURE).first()
    top, version = _top_commune()
    created = 0
    if schools:
        created += _action(
            plan,
            f"Classe mobile pour l’école {schools[-1].name}",
            [("collectivite", "Communauté de communes", "9600"), ("cnr", "CNR Éducation", "6400")],
            kind=Action.Kind.EQUIPMENT,
            status=Action.Status.DONE,
            priority=Action.Priority.HIGH,
            starts_on=datetime.date(year, 10, 1),
            ends_on=datetime.date(year, 12, 15),
            school=schools[-1],
            commune=schools[-1].commune,
            need="Moins de 10 terminaux pour 100 élèves au dernier recensement.",
        )
        first = schools[0]
        in_school = Session.objects.filter(is_demo=True, school=first)
        created += _action(
            plan,
            f"Ateliers « écrans et familles » à l’école {first.name}",
            [("aap", "Appel à projets Inclusion numérique des familles", "2400")],
            sessions=in_school,
            kind=Action.Kind.OUTSIDE_INTERVENTION,
            status=Action.Status.IN_PROGRESS,
            priority=Action.Priority.HIGH,
            starts_on=datetime.date(year + 1, 1, 12),
            ends_on=datetime.date(year + 1, 4, 3),
            school=first,
            commune=first.commune,
            structure=structure,
            need="Des parents demandent de l’aide sur le temps d’écran et le contrôle parental.",
        )
    if top is not None:
        created += _action(
            plan,
            f"Série d’ateliers d’autonomie numérique à {top.name}",
            [
                ("etat", "France Services (État)", "3000"),
                ("collectivite", f"Commune de {top.name}", "1000"),
            ],
            kind=Action.Kind.WORKSHOPS,
            status=Action.Status.PLANNED,
            priority=Action.Priority.MEDIUM,
            starts_on=datetime.date(year + 1, 3, 2),
            commune=Commune.objects.get(code=top.code),
            diagnostic_rank=top.rank,
            diagnostic_version=version,
            need="Commune la plus en besoin au diagnostic des écarts.",
        )
    created += _action(
        plan,
        "Formation des enseignants aux usages pédagogiques du numérique",
        [("etat", "DSDEN d’Eure-et-Loir", "1800")],
        sessions=Session.objects.filter(is_demo=True, school__circonscription=circo).exclude(
            school=schools[0] if schools else None
        ),
        kind=Action.Kind.TEACHER_TRAINING,
        status=Action.Status.PLANNED,
        priority=Action.Priority.LOW,
        starts_on=datetime.date(year + 1, 5, 6),
        need="Peu de personnels formés au numérique dans les réponses au recensement.",
    )
    return [
        f"Plan d’action de démonstration : {'créé' if new_plan else 'déjà là'}, "
        f"{created} action(s) créée(s) ; appels à projets de démonstration : {calls} créé(s)"
    ]
