"""The legal pages every State service publishes, linked from every page's footer: the
accessibility declaration (RGAA 4.1 model), the legal notice, the personal-data page and the
site map. Who publishes, hosts and answers comes from settings (HUB_PUBLISHER_NAME…)."""

import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import render
from django.urls import reverse

from .context_processors import visible_menu

ACCESSIBILITY_STATES = ("non conforme", "partiellement conforme", "totalement conforme")

# The public pages the accessibility check covers (tests/browser/test_accessibility.py runs
# axe-core on each, filled with the demo's objects): the declaration lists these.
CHECKED_PAGES = [
    ("Accueil", "/"),
    ("Annuaire des lieux d’aide au numérique", "/lieux/"),
    ("Fiche d’un lieu", "/lieux/{place}/"),
    ("Couverture en fibre optique", "/couverture/"),
    ("Écoles : chiffres par commune", "/ecoles/communes/"),
    ("Page d’une commune", "/territoires/commune/{commune}/"),
    ("Page d’une intercommunalité (EPCI)", "/territoires/epci/{epci}/"),
    ("Page du département", "/territoires/departement/{departement}/"),
    ("Tableau de bord public", "/tableaux-de-bord/"),
    ("Diagnostic des besoins", "/diagnostic/"),
    ("Agenda des ateliers", "/ateliers/"),
    ("Agenda des ateliers : recherche près d’une commune", "/ateliers/?lieu=Dreux&public=parents"),
    ("Agenda des ateliers : commune introuvable", "/ateliers/?lieu=Zzyzx"),
    ("Page d’une séance d’atelier", "/ateliers/{session}/"),
    ("Inscription à une séance d’atelier", "/ateliers/{session}/inscription/"),
    ("Appels à projets et financements", "/financements/"),
    ("Bibliothèque de ressources", "/ressources/"),
    ("Bibliothèque de ressources : recherche filtrée", "/ressources/?q=ecrans&public=parents"),
    ("Bibliothèque de ressources : recherche sans résultat", "/ressources/?q=introuvable"),
    ("Fiche d’une ressource", "/ressources/securite-numerique-les-bons-reflexes/"),
    ("Connexion", "/comptes/connexion/"),
    ("Création d’un compte médiateur", "/comptes/inscription/"),
    ("Déclaration d’accessibilité", "/accessibilite/"),
    ("Mentions légales", "/mentions-legales/"),
    ("Données personnelles", "/donnees-personnelles/"),
    ("Plan du site", "/plan-du-site/"),
    ("Documentation de l’API", "/api/docs/"),
    ("Page « page introuvable »", NOT_FOUND := "/page-introuvable/"),
]
# How the declaration writes the parts of an address that change from one object to another.
PLACEHOLDERS = {
    "place": "numéro",
    "session": "numéro",
    "commune": "code INSEE",
    "epci": "SIREN",
    "departement": "code",
}


def accessibility_status() -> str:
    status = settings.HUB_ACCESSIBILITY_STATUS
    if status not in ACCESSIBILITY_STATES:
        raise ImproperlyConfigured(
            f"HUB_ACCESSIBILITY_STATUS doit valoir {', '.join(ACCESSIBILITY_STATES)} : {status!r}"
        )
    return status


def _checked_on() -> datetime.date:
    try:
        return datetime.date.fromisoformat(settings.HUB_ACCESSIBILITY_CHECKED_ON)
    except ValueError as error:
        raise ImproperlyConfigured(
            "HUB_ACCESSIBILITY_CHECKED_ON doit être une date AAAA-MM-JJ : "
            f"{settings.HUB_ACCESSIBILITY_CHECKED_ON!r}"
        ) from error


def _publisher() -> dict:
    return {
        "name": settings.HUB_PUBLISHER_NAME,
        "address": settings.HUB_PUBLISHER_ADDRESS,
        "director": settings.HUB_PUBLICATION_DIRECTOR,
        "host_name": settings.HUB_HOST_NAME,
        "host_address": settings.HUB_HOST_ADDRESS,
        "source_code_url": settings.HUB_SOURCE_CODE_URL,
        "contact": settings.HUB_CONTACT_EMAIL,
        "accessibility_contact": settings.HUB_ACCESSIBILITY_CONTACT,
        "dpo_contact": settings.HUB_DPO_CONTACT,
        "site_url": settings.HUB_BASE_URL,
        "tiles_url": settings.MAP_TILES_URL,
        "tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
    }


def accessibility(request):
    readable = {key: f"<{label}>" for key, label in PLACEHOLDERS.items()}
    pages = [(label, path.format(**readable)) for label, path in CHECKED_PAGES]
    return render(
        request,
        "legal/accessibility.html",
        {
            "publisher": _publisher(),
            "status": accessibility_status(),
            "checked_on": _checked_on(),
            "pages": pages,
        },
    )


def legal_notice(request):
    return render(request, "legal/legal_notice.html", {"publisher": _publisher()})


def personal_data(request):
    return render(
        request,
        "legal/personal_data.html",
        {
            "publisher": _publisher(),
            "session_days": settings.SESSION_COOKIE_AGE // 86400,
            "invitation_days": settings.HUB_INVITATION_DAYS,
            "sign_in_log_days": settings.HUB_SIGN_IN_LOG_DAYS,
            "training_data_months": settings.HUB_TRAINING_DATA_MONTHS,
        },
    )


def purge_sign_in_log() -> int:
    """Erase the journal's sign-ins (django-axes' AccessLog) older than HUB_SIGN_IN_LOG_DAYS;
    how many were erased."""
    from axes.handlers.proxy import AxesProxyHandler

    return AxesProxyHandler.reset_logs(age_days=settings.HUB_SIGN_IN_LOG_DAYS)


def sitemap(request):
    """The main menu as the apps declare it (what this visitor may open), the other public
    pages the declaration lists (the département's page for the default département), the
    account's pages and the legal pages."""
    if request.user.is_authenticated:
        account = [("Mon espace", reverse("space"))]
    else:
        account = [
            ("Se connecter", reverse("login")),
            ("Créer un compte médiateur", reverse("signup")),
            ("Mot de passe oublié", reverse("password_reset")),
        ]
    legal = [
        (f"Accessibilité : {accessibility_status()}", reverse("legal-accessibility")),
        ("Mentions légales", reverse("legal-notice")),
        ("Données personnelles", reverse("legal-personal-data")),
        ("Plan du site", reverse("legal-sitemap")),
    ]
    menu = [(entry["label"], entry["url"]) for entry in visible_menu(request)]
    listed = {url for _, url in [*menu, *account, *legal]} | {NOT_FOUND, reverse("login")}
    others = []
    for label, path in CHECKED_PAGES:
        try:
            url = path.format(departement=settings.HUB_DEFAULT_DEPARTEMENT)
        except KeyError:  # a page of one object among many (a place, a commune)
            continue
        if url not in listed:
            others.append((label, url))
    groups = [
        ("Rubriques", menu),
        ("Autres pages publiques", others),
        ("Votre compte", account),
        ("Informations", legal),
    ]
    return render(request, "legal/sitemap.html", {"groups": groups})
