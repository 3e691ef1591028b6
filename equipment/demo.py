"""Eure-et-Loir's schools for the demo: the IPS file's rows of 28 (see data/demo/schools/)."""

from pathlib import Path

from django.conf import settings

from hub.imports import ImportReport, Progress, no_progress

from .importers.ips import import_ips

DEMO_IPS = Path(settings.BASE_DIR) / "data" / "demo" / "schools" / "ips-ecoles-2021-2022-dep28.csv"


def load_demo_schools(progress: Progress = no_progress) -> ImportReport:
    """Import the 234 schools of 28 at their commune; needs the territory of 28 loaded first.

    Idempotent: a second run reports 0 created, 0 updated.
    """
    return import_ips(DEMO_IPS, departement="28", progress=progress)


DEMO_YEAR = "2025-2026"
DEMO_CIRCONSCRIPTION_PREFIX = "Circonscription de démonstration"


def load_demo_census(seed: int = 28) -> ImportReport:
    """A generated census campaign, clearly marked as demo data: the Annuaire gives
    Eure-et-Loir's circonscriptions, not the IPS file, so demo ones follow the EPCI; about four
    schools in five answer, with plausible equipment. Idempotent (nothing is created twice)."""
    import datetime
    import random

    from .models import Campaign, CensusAnswer, Circonscription, School

    report = ImportReport("Recensement de démonstration (données générées)")
    schools = list(
        School.objects.in_departement("28").select_related("commune__epci").order_by("uai")
    )
    circonscriptions = report.count("Circonscriptions de démonstration")
    for school in schools:
        if school.circonscription_id or not school.commune:
            continue
        epci = school.commune.epci.name if school.commune.epci else "hors EPCI"
        circo, created = Circonscription.objects.get_or_create(
            departement_code="28", name=f"{DEMO_CIRCONSCRIPTION_PREFIX} — {epci}"
        )
        circonscriptions.created += created
        School.objects.filter(pk=school.pk).update(circonscription=circo)
    campaign, created = Campaign.objects.get_or_create(
        school_year=DEMO_YEAR,
        defaults={
            "title": "Recensement de l'équipement numérique des écoles (démonstration)",
            "opens_on": datetime.date(2025, 9, 15),
            "closes_on": datetime.date(2025, 12, 19),
            "kinds": list(School.PRIMARY_KINDS),
            "is_demo": True,
        },
    )
    report.count("Campagnes").created += created
    answers = report.count("Réponses générées")
    existing = set(
        CensusAnswer.objects.filter(campaign=campaign).values_list("school_id", flat=True)
    )
    for school in schools:
        rng = random.Random(f"{seed}-{school.uai}")  # the same answer for a school every run
        if rng.random() > 0.8 or school.pk in existing:
            answers.unchanged += school.pk in existing
            continue
        pupils = rng.randint(25, 320)
        laptops = rng.choice([0, 0, 4, 8, 12, 16, 24])
        tablets = rng.choice([0, 0, 6, 12, 16, 30])
        desktops = rng.choice([0, 1, 2, 4, 8])
        connection = rng.choices(["fibre", "copper", "4g", "satellite", "none"], [5, 8, 1, 1, 1])[0]
        CensusAnswer.objects.create(
            campaign=campaign,
            school=school,
            pupils=pupils,
            desktops_total=desktops + rng.randint(0, 2),
            desktops_pupils=desktops,
            laptops_total=laptops,
            laptops_pupils=laptops,
            tablets_total=tablets,
            tablets_pupils=tablets,
            displays_total=(displays := rng.randint(0, 8)),
            displays_pupils=displays,
            mobile_classrooms_total=(mobile := rng.choice([0, 0, 1, 2])),
            mobile_classrooms_pupils=mobile,
            robots_total=(robots := rng.choice([0, 0, 0, 2, 6])),
            robots_pupils=robots,
            fleet_age=rng.choice(["lt3", "3to5", "5to8", "gt8", "unknown"]),
            connection=connection,
            download_mbps=None if connection == "none" else rng.choice([2, 6, 12, 35, 100, 300]),
            wifi=rng.choice(["none", "some", "all"]),
            platform=rng.choice(["ent_region", "beneylu", "ent_region", "none"]),
            digital_referent=rng.choice(["", "la directrice", "un enseignant de CM2"]),
            trained_staff=rng.randint(0, 4),
            needs=rng.choice(["", "Renouveler les tablettes.", "Wi-Fi dans les classes du haut."]),
            is_demo=True,
        )
        answers.created += 1
    return report


def load_demo_school_accounts(progress: Progress = no_progress) -> list[str]:
    """Make `erun-demo` the ERUN of the first demo circonscription and `directeur-demo` the
    director of its first school (the accounts come from the accounts demo step)."""
    from django.contrib.auth import get_user_model

    from .models import Circonscription, DigitalReferent, SchoolDirector

    users = get_user_model().objects
    circo = (
        Circonscription.objects.filter(name__startswith=DEMO_CIRCONSCRIPTION_PREFIX)
        .order_by("name")
        .first()
    )
    erun, director = (
        users.filter(username="erun-demo").first(),
        users.filter(username="directeur-demo").first(),
    )
    if circo is None or erun is None or director is None:
        return []
    DigitalReferent.objects.get_or_create(user=erun, circonscription=circo)
    school = circo.schools.order_by("name").first()
    if school:
        SchoolDirector.objects.get_or_create(user=director, school=school)
    return [f"ERUN de démonstration : {circo.name} ; direction : {school.name if school else '—'}"]


# Generated deployments: (school index in the demo circonscription, kind, quantity, funding,
# ordered on, delivered on, installed on). The first school is `directeur-demo`'s.
DEMO_DEPLOYMENTS = [
    (0, "laptops", 12, "collectivite", "2025-10-06", "2025-11-17", None),
    (0, "displays", 2, "cnr", "2026-03-02", "2026-04-20", "2026-05-11"),
    (1, "tablets", 16, "tne", "2026-01-12", "2026-02-23", "2026-03-09"),
    (1, "robots", 6, "collectivite", "2026-09-14", None, None),
    (2, "mobile_classrooms", 1, "cnr", "2026-02-02", "2026-03-16", "2026-04-06"),
    (2, "document_cameras", 4, "collectivite", "2026-10-05", None, None),
    (3, "desktops", 8, "etat", "2025-11-24", "2026-01-19", None),
    (4, "laptops", 24, "tne", "2026-05-18", "2026-06-29", "2026-09-07"),
]
# Pools lent to families: (school index, name, kind, devices) and their loans
# (reference, devices, lent on, due on, returned on); due dates in the past make overdue loans.
DEMO_POOLS = [
    (0, "Routeurs 4G prêtés aux familles (démonstration)", "router_4g", 6),
    (1, "Ordinateurs portables prêtés aux familles (démonstration)", "laptop", 10),
    (3, "Casques prêtés aux familles (démonstration)", "headset", 15),
]
DEMO_LOANS = {
    0: [
        ("DEMO-2025-01", 1, "2025-11-03", "2026-01-30", None),
        ("DEMO-2025-02", 1, "2025-11-03", "2026-01-30", "2026-01-28"),
        ("DEMO-2026-03", 2, "2026-09-07", "2026-10-30", None),
    ],
    1: [
        ("DEMO-2026-04", 1, "2026-01-05", "2026-06-30", "2026-06-26"),
        ("DEMO-2026-05", 1, "2026-09-01", "2027-06-30", None),
        ("DEMO-2026-06", 1, "2026-09-01", "2026-11-06", None),
        ("DEMO-2026-07", 1, "2026-10-12", "2027-06-30", None),
    ],
    2: [("DEMO-2026-08", 4, "2026-09-14", "2027-01-29", None)],
}


def load_demo_logistics() -> list[str]:
    """Deployments and family loans at the schools of `erun-demo`'s circonscription (see
    `load_demo_school_accounts`), `directeur-demo`'s school first: several states and
    fundings, loans out, returned and overdue, all named as demonstration. Idempotent."""
    from datetime import date

    from .models import Deployment, Loan, LoanPool, SchoolDirector

    link = SchoolDirector.objects.filter(user__username="directeur-demo").select_related("school")
    if not link.exists():
        return []
    first = link.first().school
    circo = first.circonscription
    others = circo.schools.exclude(pk=first.pk).order_by("name")[:4] if circo else []
    schools = [first, *others]
    day = date.fromisoformat
    deployments = 0
    for index, kind, quantity, funding, ordered, delivered, installed in DEMO_DEPLOYMENTS:
        if index >= len(schools):
            continue
        status = "installed" if installed else "delivered" if delivered else "ordered"
        _, created = Deployment.objects.get_or_create(
            school=schools[index],
            kind=kind,
            ordered_on=day(ordered),
            defaults={
                "quantity": quantity,
                "funding": funding,
                "status": status,
                "delivered_on": delivered and day(delivered),
                "installed_on": installed and day(installed),
                "note": "Démonstration (fictif)",
            },
        )
        deployments += created
    loans = 0
    for pool_index, (index, name, kind, devices) in enumerate(DEMO_POOLS):
        if index >= len(schools):
            continue
        pool, _ = LoanPool.objects.get_or_create(
            school=schools[index], name=name, defaults={"kind": kind, "quantity": devices}
        )
        for reference, quantity, started, due, returned in DEMO_LOANS.get(pool_index, []):
            _, created = Loan.objects.get_or_create(
                pool=pool,
                borrower_reference=reference,
                defaults={
                    "quantity": quantity,
                    "started_on": day(started),
                    "due_on": day(due),
                    "returned_on": returned and day(returned),
                },
            )
            loans += created
    loans += _demo_structure_loans()
    return [
        f"Déploiements et prêts de démonstration : {len(schools)} école(s) de "
        f"{circo.name if circo else first.name}, {deployments} déploiement(s) et {loans} prêt(s) "
        "ajoutés"
    ]


def _demo_structure_loans() -> int:
    """Tablets lent by `mediateur-demo`'s demo structure (see actors/demo.py), one overdue."""
    from datetime import date

    from actors.demo import DEMO_STRUCTURE
    from actors.models import Structure

    from .models import Loan, LoanPool

    structure = Structure.objects.filter(name=DEMO_STRUCTURE).first()
    if structure is None:
        return 0
    pool, _ = LoanPool.objects.get_or_create(
        structure=structure,
        name="Tablettes prêtées par les espaces numériques (démonstration)",
        defaults={"kind": LoanPool.Kind.OTHER, "quantity": 8},
    )
    created = 0
    for reference, started, due in [
        ("DEMO-EPN-01", "2026-09-02", "2026-10-02"),
        ("DEMO-EPN-02", "2026-10-20", "2027-01-20"),
    ]:
        created += Loan.objects.get_or_create(
            pool=pool,
            borrower_reference=reference,
            defaults={"started_on": date.fromisoformat(started), "due_on": date.fromisoformat(due)},
        )[1]
    return created
