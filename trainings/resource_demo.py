"""Demonstration resources and the three collections (a `load_demo` step, trainings/apps.py).

Links go to well-known public sites (nothing is downloaded when loading); every resource and
collection is marked `is_demo` and shows a "Démonstration" badge. Loading twice changes
nothing."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from .models import Collection, CollectionItem, Resource, Theme, Training

K, P, PRO, L, LV = (
    Resource.Kind,
    Resource.PublicAudience,
    Resource.ProfessionalAudience,
    Resource.Licence,
    Resource.Level,
)

# slug: (title, summary, kind, public, professionals, themes, licence, level, publisher, url)
RESOURCES = {
    "securite-numerique-les-bons-reflexes": (
        "Sécurité numérique : les bons réflexes au quotidien",
        "Mots de passe, mises à jour, sauvegardes, messages frauduleux : dix réflexes simples "
        "pour se protéger en ligne, expliqués pas à pas.",
        K.SHEET,
        [P.EVERYONE, P.SENIORS],
        [PRO.MEDIATEURS],
        ["securite-numerique", "donnees-personnelles"],
        L.ETALAB,
        LV.STANDARD,
        "Cybermalveillance.gouv.fr",
        "https://www.cybermalveillance.gouv.fr/",
    ),
    "premiers-pas-avec-son-smartphone": (
        "Premiers pas avec son smartphone",
        "Allumer, déverrouiller, appeler, envoyer un message, installer une application : un "
        "guide illustré en phrases courtes.",
        K.GUIDE,
        [P.SENIORS, P.EVERYONE],
        [PRO.MEDIATEURS],
        ["smartphone"],
        L.CC_BY_SA,
        LV.FALC,
        "Les Bases du numérique d’intérêt général",
        "https://lesbases.anct.gouv.fr/",
    ),
    "reperes-3-6-9-12-les-ecrans-selon-l-age": (
        "Repères 3-6-9-12 : les écrans selon l’âge",
        "Pas d’écran avant 3 ans, pas de console personnelle avant 6 ans, internet accompagné "
        "avant 9 ans, réseaux sociaux après 12 ans : les repères pour chaque âge.",
        K.MILESTONES,
        [P.PARENTS],
        [PRO.TEACHERS, PRO.EDUCATORS],
        ["temps-ecran"],
        L.RESERVED,
        LV.STANDARD,
        "Association 3-6-9-12",
        "https://www.3-6-9-12.org/",
    ),
    "creer-son-adresse-electronique": (
        "Créer son adresse électronique pas à pas",
        "Choisir un service de messagerie, créer son compte, retenir son mot de passe, envoyer "
        "un premier courriel avec une pièce jointe.",
        K.SHEET,
        [P.SENIORS, P.EVERYONE],
        [PRO.MEDIATEURS],
        ["boite-mail"],
        L.CC_BY,
        LV.FALC,
        "Les Bases du numérique d’intérêt général",
        "https://lesbases.anct.gouv.fr/",
    ),
    "faire-ses-demarches-en-ligne": (
        "Faire ses démarches administratives en ligne",
        "Créer son compte FranceConnect, reconnaître un site officiel, suivre une demande de "
        "carte grise, de prestation CAF ou de retraite.",
        K.GUIDE,
        [P.EVERYONE, P.SENIORS],
        [PRO.MEDIATEURS],
        ["demarches-en-ligne"],
        L.ETALAB,
        LV.STANDARD,
        "Service-Public.fr",
        "https://www.service-public.fr/",
    ),
    "proteger-ses-donnees-personnelles": (
        "Protéger ses données personnelles sur les réseaux sociaux",
        "Régler la confidentialité de ses comptes, réfléchir avant de publier, exercer ses "
        "droits auprès d’un site : les conseils de la Cnil pour les jeunes et leurs parents.",
        K.SHEET,
        [P.YOUNG, P.PARENTS],
        [PRO.TEACHERS],
        ["donnees-personnelles", "securite-numerique"],
        L.ETALAB,
        LV.STANDARD,
        "Cnil",
        "https://www.cnil.fr/fr/education",
    ),
    "initier-les-eleves-au-code-avec-scratch": (
        "Initier les élèves au code avec Scratch",
        "Cinq séances progressives pour le cycle 3 : déplacer un lutin, répéter, tester une "
        "condition, créer un petit jeu.",
        K.EXERCISE,
        [P.YOUNG],
        [PRO.TEACHERS, PRO.EDUCATORS],
        ["code-programmation"],
        L.CC_BY_SA,
        LV.STANDARD,
        "Éduscol",
        "https://eduscol.education.fr/",
    ),
    "pix-evaluer-ses-competences-numeriques": (
        "Pix : évaluer et certifier ses compétences numériques",
        "Comment fonctionne Pix, comment créer une campagne pour une classe ou un groupe, "
        "comment lire les résultats partagés par les participants.",
        K.GUIDE,
        [P.YOUNG],
        [PRO.TEACHERS, PRO.MEDIATEURS],
        ["pix"],
        L.ETALAB,
        LV.STANDARD,
        "Pix",
        "https://pix.fr/",
    ),
    "parler-des-ecrans-en-famille": (
        "Parler des écrans en famille : support d’atelier pour les parents",
        "Déroulé d’un atelier de 90 minutes à l’école : jeu de cartes sur les usages, temps "
        "d’échange, contrat familial à remplir ensemble.",
        K.WORKSHOP_KIT,
        [P.PARENTS],
        [PRO.MEDIATEURS, PRO.EDUCATORS, PRO.TEACHERS],
        ["temps-ecran"],
        L.CC_BY_NC_SA,
        LV.STANDARD,
        "Je protège mon enfant (gouvernement)",
        "https://www.jeprotegemonenfant.gouv.fr/",
    ),
    "cyberharcelement-reagir-et-proteger": (
        "Cyberharcèlement : réagir et protéger son enfant",
        "Une courte vidéo pour reconnaître les signes, garder des preuves, signaler et appeler "
        "le 3018, numéro national gratuit et anonyme.",
        K.VIDEO,
        [P.PARENTS, P.YOUNG],
        [PRO.EDUCATORS, PRO.TEACHERS],
        ["securite-numerique"],
        L.RESERVED,
        LV.FALC,
        "Association e-Enfance / 3018",
        "https://e-enfance.org/",
    ),
    "premiers-pas-numerique-en-classe": (
        "Premiers pas avec le numérique en classe",
        "L’ENT, le tableau numérique, la classe mobile et les ressources Éduscol : un guide de "
        "démarrage pour les enseignants nouvellement nommés.",
        K.GUIDE,
        [],
        [PRO.TEACHERS],
        ["numerique-educatif"],
        L.ETALAB,
        LV.STANDARD,
        "Éduscol",
        "https://eduscol.education.fr/",
    ),
}
# Proposed by the demo médiateur, waiting in the moderators' queue.
PROPOSED = {
    "atelier-mon-premier-courriel": (
        "Atelier « mon premier courriel » : déroulé pour médiateurs",
        "Un déroulé d’atelier de deux heures pour six personnes, avec les fiches à imprimer.",
        K.WORKSHOP_KIT,
        [],
        [PRO.MEDIATEURS],
        ["boite-mail"],
        L.CC_BY_SA,
        LV.STANDARD,
        "Médiateur de démonstration",
        "https://lesbases.anct.gouv.fr/",
    ),
}
COLLECTIONS = {
    "kit-des-parents": (
        "Kit des parents",
        "Pour accompagner ses enfants avec les écrans : repères par âge, réseaux sociaux, "
        "cyberharcèlement, et un atelier à mener entre parents.",
        [
            "reperes-3-6-9-12-les-ecrans-selon-l-age",
            "parler-des-ecrans-en-famille",
            "proteger-ses-donnees-personnelles",
            "cyberharcelement-reagir-et-proteger",
        ],
    ),
    "reperes-par-age": (
        "Repères par âge",
        "Ce qui convient à chaque âge, de la maternelle au lycée, pour les familles et ceux "
        "qui les accompagnent.",
        [
            "reperes-3-6-9-12-les-ecrans-selon-l-age",
            "initier-les-eleves-au-code-avec-scratch",
            "proteger-ses-donnees-personnelles",
        ],
    ),
    "premiers-pas-des-enseignants": (
        "Premiers pas des enseignants",
        "Le kit de démarrage des enseignants : le numérique en classe, le code, Pix et les "
        "repères à partager avec les familles.",
        [
            "premiers-pas-numerique-en-classe",
            "initier-les-eleves-au-code-avec-scratch",
            "pix-evaluer-ses-competences-numeriques",
            "reperes-3-6-9-12-les-ecrans-selon-l-age",
        ],
    ),
}


def _save(slug: str, row: tuple, state: str, contributor=None) -> Resource:
    title, summary, kind, public, pros, themes, licence, level, publisher, url = row
    resource, _ = Resource.objects.update_or_create(
        slug=slug,
        defaults={
            "title": title, "summary": summary, "kind": kind, "public_audiences": public,
            "professional_audiences": pros, "licence": licence, "level": level,
            "publisher": publisher, "url": url, "state": state, "is_demo": True,
            "contributor": contributor,
        },
    )  # fmt: skip
    if state == Resource.State.PUBLISHED and resource.published_at is None:
        resource.published_at = timezone.now()
        resource.save(update_fields=["published_at"])
    resource.themes.set(Theme.objects.filter(slug__in=themes))
    # Linked to the demo's trainings on the same themes (if the catalogue has some).
    resource.trainings.set(Training.objects.filter(themes__slug__in=themes).distinct()[:3])
    return resource


def load_demo_resources(progress=None) -> list[str]:
    for slug, row in RESOURCES.items():
        _save(slug, row, Resource.State.PUBLISHED)
    mediateur = get_user_model().objects.filter(username="mediateur-demo").first()
    for slug, row in PROPOSED.items():
        _save(slug, row, Resource.State.PROPOSED, contributor=mediateur)
    for slug, (title, summary, members) in COLLECTIONS.items():
        collection, _ = Collection.objects.update_or_create(
            slug=slug, defaults={"title": title, "summary": summary, "is_demo": True}
        )
        by_slug = Resource.objects.in_bulk(members, field_name="slug")
        for position, member in enumerate(members, start=1):
            CollectionItem.objects.update_or_create(
                collection=collection, resource=by_slug[member], defaults={"position": position}
            )
        CollectionItem.objects.filter(collection=collection).exclude(
            resource__slug__in=members
        ).delete()
    return [
        f"Ressources de démonstration : {len(RESOURCES)} publiées, {len(PROPOSED)} proposée, "
        f"{len(COLLECTIONS)} collections"
    ]
