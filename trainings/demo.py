"""Demo trainings and sessions in Eure-et-Loir, named as demonstration: workshops of the demo
structure's public digital spaces (Dreux, Chartres, Châteaudun…), a parents' workshop in a
school and an internal teachers' training of the DSDEN, dated in the coming weeks from today
so that the agenda always has something ahead. Idempotent: a second run the same day changes
nothing; a later run moves the sessions to the weeks ahead again."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from actors.demo import DEMO_MEDIATEUR, DEMO_STRUCTURE
from actors.models import Structure
from equipment.models import School

from .models import Audience, Session, Theme, Training

MARK = " (démonstration)"

# title, summary, audiences, theme slugs, level, minutes, organiser ("structure" or "dsden").
TRAININGS = [
    (
        "Faire ses démarches administratives en ligne",
        "Créer son compte sur les sites publics (impots.gouv.fr, ameli, CAF), se connecter avec "
        "FranceConnect, déposer un justificatif. Apportez vos identifiants si vous en avez.",
        [Audience.EVERYONE, Audience.SENIORS],
        ["demarches-en-ligne", "securite-numerique"],
        Training.Level.BEGINNER,
        120,
        "structure",
    ),
    (
        "Parents : le temps d’écran de vos enfants",
        "Repères par âge, contrôle parental sur la box, la tablette et le smartphone, et des "
        "idées pour en parler en famille. Atelier d’échange, sans jugement.",
        [Audience.PARENTS],
        ["temps-ecran", "donnees-personnelles"],
        Training.Level.ALL,
        90,
        "structure",
    ),
    (
        "Premiers pas avec son smartphone",
        "Allumer, appeler, envoyer un message et une photo, installer une application en "
        "sécurité. Venez avec votre téléphone chargé.",
        [Audience.SENIORS, Audience.EVERYONE],
        ["smartphone", "boite-mail"],
        Training.Level.BEGINNER,
        120,
        "structure",
    ),
    (
        "Initiation au code avec Scratch",
        "Programmer un petit jeu en assemblant des blocs : pour les 9-14 ans, sans prérequis.",
        [Audience.YOUNG],
        ["code-programmation"],
        Training.Level.BEGINNER,
        120,
        "structure",
    ),
    (
        "Pix en classe : accompagner ses élèves",
        "Prendre en main Pix Orga, lancer une campagne et lire les résultats de sa classe.",
        [Audience.TEACHERS],
        ["pix", "numerique-educatif"],
        Training.Level.INTERMEDIATE,
        180,
        "dsden",
    ),
]

# training index, venue (INSEE code of the demo place's commune, or "ecole"), days ahead,
# start hour, seats, public.
SESSIONS = [
    (0, "28134", 6, 14, 10, True),  # Dreux
    (0, "28085", 9, 10, 12, True),  # Chartres
    (1, "28134", 13, 18, 15, True),
    (1, "ecole", 16, 17, 20, True),  # a parents' workshop inside a school
    (2, "28088", 8, 14, 8, True),  # Châteaudun
    (2, "28280", 20, 10, 8, True),  # Nogent-le-Rotrou
    (3, "28404", 11, 14, 12, True),  # Vernouillet
    (3, "28085", 25, 14, 12, True),
    (4, "ecole", 18, 9, 25, False),  # teachers only
]


def load_demo_trainings() -> list[str]:
    user = get_user_model().objects.filter(username=DEMO_MEDIATEUR).first()
    structure = Structure.objects.filter(name=DEMO_STRUCTURE).first()
    if structure is None:
        return []
    places = {p.commune.code: p for p in structure.places.select_related("commune") if p.commune}
    school = (
        School.objects.in_departement("28")
        .filter(commune__code="28134", location__isnull=False)
        .primary()
        .order_by("uai")
        .first()
    )
    themes = {t.slug: t for t in Theme.objects.all()}
    trainings, created = [], 0
    for title, summary, audiences, slugs, level, minutes, organiser in TRAININGS:
        training, made = Training.objects.update_or_create(
            title=title + MARK,
            is_demo=True,
            defaults={
                "summary": summary,
                "audiences": list(audiences),
                "level": level,
                "duration_minutes": minutes,
                "structure": structure if organiser == "structure" else None,
                "organiser_departement": "28" if organiser == "dsden" else "",
            },
        )
        training.themes.set([themes[s] for s in slugs if s in themes])
        created += made
        trainings.append(training)
    today = timezone.localdate()
    zone = timezone.get_current_timezone()
    sessions = 0
    for index, venue, days, hour, seats, public in SESSIONS:
        training = trainings[index]
        place = places.get(venue) if venue != "ecole" else None
        if (venue == "ecole" and school is None) or (venue != "ecole" and place is None):
            continue
        day = today + datetime.timedelta(days=days)
        day += datetime.timedelta(days=max(0, 7 - day.weekday()))  # a weekend: the Monday
        starts = datetime.datetime.combine(day, datetime.time(hour), tzinfo=zone)
        session, _ = Session.objects.update_or_create(
            training=training,
            place=place,
            school=school if venue == "ecole" else None,
            is_demo=True,
            defaults={
                "starts_at": starts,
                "ends_at": starts + datetime.timedelta(minutes=training.duration_minutes),
                "capacity": seats,
                "is_public": public,
                "cancelled": False,
                "room": "Salle informatique" if place else "Salle polyvalente",
            },
        )
        if user is not None and training.structure_id:
            session.facilitators.add(user)
        sessions += 1
    return [
        f"Ateliers de démonstration : {len(trainings)} formations ({created} créées), "
        f"{sessions} séances à venir"
    ]
