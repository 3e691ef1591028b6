"""A generated demonstration directory for Eure-et-Loir, loaded through the real importer.

No public file lists the département's places, so this one is made up, in real communes, and
marked as such everywhere it shows: its source is `DEMO_SOURCE`, its places `is_demo`.
"""

from __future__ import annotations

import csv
import random
import tempfile
from pathlib import Path

from cartography.models import Commune

from . import standard
from .importers.places import import_places
from .models import Place, Stop

DEMO_SOURCE = "Démonstration du hub (données fictives)"
DEMO_DATE = "2026-09-01"
WEEKDAYS = ["Mo", "Tu", "We", "Th", "Fr"]

# (kind, commune INSEE code): kinds below say what each place is.
PLACES = [
    ("epn", "28085"), ("epn", "28134"), ("epn", "28088"), ("epn", "28280"), ("epn", "28218"),
    ("epn", "28404"), ("france_services", "28051"), ("france_services", "28007"),
    ("france_services", "28199"), ("france_services", "28061"), ("france_services", "28214"),
    ("france_services", "28015"), ("ccas", "28085"), ("ccas", "28134"), ("ccas", "28229"),
    ("ccas", "28140"), ("fablab", "28085"), ("reemploi", "28134"), ("bus", "28196"),
]  # fmt: skip
BUS_STOPS = [("28330", "Tu"), ("28012", "Tu"), ("28103", "We"), ("28183", "Th"), ("28393", "Fr")]

KINDS = {
    "epn": {
        "name": "Espace public numérique de la médiathèque de {commune}",
        "typologie": "BIB|EPN",
        "services": "Maîtrise des outils numériques du quotidien|Accès internet et matériel informatique|Loisirs et créations numériques",
        "publics": "Seniors|Jeunes",
        "support": "",
        "fees": "Gratuit",
        "programmes": "Conseillers numériques",
        "access": "Se présenter|Téléphoner",
        "modes": "En autonomie|Dans un atelier collectif",
        "hours": "Tu-Fr 14:00-18:00; We,Sa 10:00-12:00,14:00-18:00",
        "summary": "Postes en accès libre, ateliers d’initiation à l’ordinateur et au smartphone.",
    },
    "france_services": {
        "name": "France Services de {commune}",
        "typologie": "MSAP",
        "services": "Aide aux démarches administratives|Maîtrise des outils numériques du quotidien",
        "publics": "",
        "support": "Illettrisme|Langues étrangères (autres)",
        "fees": "Gratuit",
        "programmes": "France Services|Aidants Connect",
        "access": "Se présenter|Téléphoner|Prendre un RDV en ligne",
        "modes": "Accompagnement individuel",
        "hours": "Mo-Fr 09:00-12:00,13:30-17:00",
        "summary": "Aide aux démarches en ligne : impôts, CAF, retraite, santé, permis de conduire.",
    },
    "ccas": {
        "name": "Conseiller numérique du CCAS de {commune}",
        "typologie": "CCAS",
        "services": "Aide aux démarches administratives|Utilisation sécurisée du numérique|Parentalité et éducation avec le numérique",
        "publics": "Seniors|Familles et/ou enfants",
        "support": "Handicaps moteurs",
        "fees": "Gratuit",
        "programmes": "Conseillers numériques",
        "access": "Téléphoner|Contacter par mail",
        "modes": "Accompagnement individuel|Dans un atelier collectif",
        "hours": "Mo,Tu,Th 09:00-12:00; We 14:00-17:00",
        "summary": "Rendez-vous individuels et ateliers pour les personnes suivies par le CCAS.",
    },
    "fablab": {
        "name": "Fablab de {commune}",
        "typologie": "FABLAB|TIERS_LIEUX",
        "services": "Loisirs et créations numériques|Compréhension du monde numérique",
        "publics": "Jeunes|Étudiants",
        "support": "",
        "fees": "Payant",
        "programmes": "",
        "access": "Se présenter",
        "modes": "Dans un atelier collectif|En autonomie",
        "hours": "We 14:00-19:00; Sa 10:00-18:00",
        "summary": "Impression 3D, électronique, découpe laser : ateliers ouverts à tous.",
    },
    "reemploi": {
        "name": "Atelier de réemploi informatique de {commune}",
        "typologie": "ASSO",
        "services": "Acquisition de matériel informatique à prix solidaire|Accès internet et matériel informatique",
        "publics": "Familles et/ou enfants|Étudiants",
        "support": "",
        "fees": "Gratuit sous condition",
        "programmes": "",
        "access": "Se présenter|Téléphoner",
        "modes": "Accompagnement individuel",
        "hours": "Tu,Th 14:00-18:00; Sa 09:00-12:00",
        "summary": "Ordinateurs reconditionnés à prix solidaire pour les foyers aux revenus modestes.",
    },
    "bus": {
        "name": "Bus numérique du Perche et de la Beauce (départ {commune})",
        "typologie": "ASSO",
        "services": "Aide aux démarches administratives|Maîtrise des outils numériques du quotidien",
        "publics": "Seniors",
        "support": "",
        "fees": "Gratuit",
        "programmes": "Conseillers numériques",
        "access": "Se présenter|Téléphoner",
        "modes": "Accompagnement individuel|Dans un atelier collectif",
        "hours": "Tu-Fr 09:30-12:00,14:00-16:30",
        "summary": "Un conseiller numérique vient dans les villages chaque semaine, avec ordinateurs et connexion.",
    },
}


def row_for(kind: str, commune: Commune, number: int, rng: random.Random) -> dict[str, str]:
    """One place of the demonstration, as a row of the standard."""
    spec = KINDS[kind]
    point = commune.geometry.point_on_surface
    return {
        "id": f"demo-28-{number:04d}",
        "pivot": standard.NO_SIRET,
        "nom": spec["name"].format(commune=commune.name),
        "commune": commune.name,
        "code_postal": f"28{rng.randint(0, 9)}{rng.randint(0, 9)}0",
        "code_insee": commune.code,
        "adresse": f"{rng.randint(1, 40)} place de la Mairie",
        "latitude": f"{point.y + rng.uniform(-0.002, 0.002):.5f}",
        "longitude": f"{point.x + rng.uniform(-0.002, 0.002):.5f}",
        "typologie": spec["typologie"],
        "telephone": f"+332370{rng.randint(10000, 99999)}",
        "courriels": f"contact-{number}@demo.invalid",
        "horaires": spec["hours"],
        "presentation_resume": spec["summary"],
        "presentation_detail": "Fiche de démonstration : ce lieu est fictif.",
        "source": DEMO_SOURCE,
        "itinerance": "Itinérant" if kind == "bus" else "Fixe",
        "date_maj": DEMO_DATE,
        "services": spec["services"],
        "publics_specifiquement_adresses": spec["publics"],
        "prise_en_charge_specifique": spec["support"],
        "frais_a_charge": spec["fees"],
        "dispositif_programmes_nationaux": spec["programmes"],
        "modalites_acces": spec["access"],
        "modalites_accompagnement": spec["modes"],
    }


def write_demo_file(path: Path) -> None:
    rng = random.Random(28)
    communes = Commune.objects.in_bulk([code for _, code in PLACES], field_name="code")
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=standard.FIELDS, lineterminator="\n")
        writer.writeheader()
        for number, (kind, code) in enumerate(PLACES, start=1):
            writer.writerow(row_for(kind, communes[code], number, rng))


def load_demo_places():
    """Import the demonstration directory, then give the bus its weekly stops. Idempotent."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "lieux-demo-28.csv"
        write_demo_file(path)
        report = import_places(path)
    for place in Place.objects.filter(sources__source=DEMO_SOURCE, is_demo=False):
        place.is_demo = True
        place.save(update_fields=["is_demo"])  # in the history, before any médiateur's edit
    bus = Place.objects.filter(sources__source=DEMO_SOURCE, itinerance__contains=["Itinérant"])
    for place in bus:
        for code, day in BUS_STOPS:
            commune = Commune.objects.get(code=code)
            Stop.objects.get_or_create(
                place=place,
                commune=commune,
                defaults={
                    "label": "Place de la mairie",
                    "location": commune.geometry.point_on_surface,
                    "opening_hours": f"{day} 09:30-12:00,14:00-16:30",
                },
            )
    return report


DEMO_MEDIATEUR = "mediateur-demo"
DEMO_STRUCTURE = "Réseau des espaces publics numériques d’Eure-et-Loir (démonstration)"


def load_demo_memberships() -> list[str]:
    """Make `mediateur-demo` (from the accounts step) the administrator of a demo structure
    that runs the demo's public digital spaces, so the space shows listings to keep. The
    places stay with it on a re-import (no SIRET on either side). Idempotent."""
    from django.contrib.auth import get_user_model

    from .models import Membership, Structure

    user = get_user_model().objects.filter(username=DEMO_MEDIATEUR).first()
    places = Place.objects.filter(is_demo=True, name__startswith="Espace public numérique")
    if user is None or not places.exists():
        return []
    structure, _ = Structure.objects.get_or_create(name=DEMO_STRUCTURE, siret="")
    former = set()
    for place in places.exclude(structure=structure):
        former.add(place.structure_id)
        place.structure = structure
        place.save(update_fields=["structure"])  # kept in the history, by "import"
    # The one-place structures the import made for them, now empty.
    Membership.objects.filter(user=user, structure__in=former).delete()
    Structure.objects.filter(pk__in=former, places__isnull=True, memberships__isnull=True).delete()
    Membership.objects.get_or_create(
        structure=structure,
        user=user,
        defaults={"role": Membership.Role.ADMIN, "status": Membership.Status.ACTIVE},
    )
    return [
        f"Médiateur de démonstration : administrateur de « {structure.name} » "
        f"({places.count()} lieux)"
    ]
