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


def load_demo_logistics() -> list[str]:
    """At `directeur-demo`'s school (see `load_demo_school_accounts`): delivered laptops paid by
    the local authority, and a pool of 4G routers lent to families, one loan still out.
    Idempotent."""
    import datetime

    from .models import Deployment, Loan, LoanPool, SchoolDirector

    link = SchoolDirector.objects.filter(user__username="directeur-demo").select_related("school")
    if not link.exists():
        return []
    school = link.first().school
    Deployment.objects.get_or_create(
        school=school,
        kind="laptops",
        ordered_on=datetime.date(2025, 10, 6),
        defaults={
            "quantity": 12,
            "funding": Deployment.Funding.LOCAL,
            "status": Deployment.Status.DELIVERED,
            "delivered_on": datetime.date(2025, 11, 17),
        },
    )
    pool, _ = LoanPool.objects.get_or_create(
        school=school,
        name="Routeurs 4G prêtés aux familles (démonstration)",
        defaults={"kind": LoanPool.Kind.ROUTER, "quantity": 6},
    )
    Loan.objects.get_or_create(
        pool=pool,
        borrower_reference="DEMO-2025-01",
        defaults={"started_on": datetime.date(2025, 11, 3), "due_on": datetime.date(2026, 1, 30)},
    )
    return [f"Déploiement et prêts de démonstration : {school.name}"]
