"""The crawl: on the demo `bin/hub run` loads, as each demo account and anonymously, every page
reachable from the navigation answers without a server error, inside the site's layout, and
speaks French. A page that only works on hand-made fixtures is not done."""

import io
import os

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from actors.models import Place
from cartography.models import EPCI, Commune

from .crawler import Crawler

# The marker also makes pytest-django create the test database the module fixture needs.
pytestmark = pytest.mark.django_db

ANONYMOUS = "(anonyme)"
# Links that end the session or only answer POST: never followed.
SKIPPED = {"logout", "admin:logout"}
# Routes no page links to, each for a reason a user would accept.
UNLINKED = {
    "password_reset_confirm": "lien reçu par e-mail",
    "space-accept": "lien d'invitation reçu par e-mail",
    "space-decide": "formulaire POST",
    "equipment-census-remind": "formulaire POST",
    "equipment-census-remind-all": "formulaire POST",
    "equipment-loan-return": "formulaire POST",
    "space-confirm-place": "formulaire POST",
    "space-decide-claim": "formulaire POST",
    "error-report-resolve": "formulaire POST",
    "resource-moderate": "formulaire POST",
    "resource-rate": "formulaire POST",
    "resource-report-resolve": "formulaire POST",
    # A registration's own pages open from the links of its e-mails (or right after
    # registering): tests/trainings/test_registrations.py follows them.
    "trainings:registration": "lien reçu par e-mail",
    "trainings:registration-cancel": "lien reçu par e-mail",
    "trainings:registration-accept": "lien reçu par e-mail",
    "trainings:participant-cancel": "formulaire POST",
    "trainings:participant-confirm": "formulaire POST",
    # Where the sign-in form sends a person: tests/accounts/test_landing.py signs each in.
    "landing": "redirection après la connexion",
    # Tiles are asked by coordinates, not linked: tests/indicators/test_tiles.py reads them.
    "indicator-tiles": "tuiles vectorielles demandées par coordonnées",
    # It waits for a Celery worker: tests/hub/test_health.py starts one.
    "healthz": "sonde de supervision",
}
# Routes of objects the demo does not create: crawled once the demo has some.
ABSENT_FROM_DEMO = {
    "coverage-report": "rapport de couverture, demandé par un formulaire POST",
    "coverage-report-file": "rapport de couverture, demandé par un formulaire POST",
    "password_reset_done": "après un formulaire POST",
    "password_reset_complete": "après un formulaire POST",
    # The demo's resources are links (nothing downloaded when loading): no file to download.
    "resource-download": "fichier d’une ressource, absent de la démonstration",
}

# What a user may type instead of a proper value, or a page's script may send by mistake.
MALFORMED = ["%", "%(x)s", "abc", "-1", "1e999", "nan", "99999999999999999999", "\x00", "", "1,a"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for the module, in a transaction rolled back at its end. The cache
    is emptied before (no request counted against the rate limits yet) and after (no other test
    reads what was cached from the demo)."""
    cache.clear()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())
        yield
        transaction.set_rollback(True)
    cache.clear()


def _logged_in(user) -> Client:
    """A client logged in as a user would, through the login form with the demo password."""
    client = Client(raise_request_exception=False)
    if user is None:
        return client
    password = os.environ.get("HUB_DEMO_PASSWORD", "demo-hub-28")
    response = client.post(reverse("login"), {"username": user.username, "password": password})
    assert response.status_code == 302, f"{user} ne peut pas se connecter avec {password}"
    return client


@pytest.fixture(scope="module")
def crawl(demo):
    """Anonymously, then as each account the demo created (whichever app declares it)."""
    crawlers, drawn = [], set()
    for user in [None, *get_user_model().objects.order_by("username")]:
        account = user.username if user else ANONYMOUS
        crawler = Crawler(_logged_in(user), account, skip=SKIPPED, drawn=drawn)
        crawler.run(*_start())
        crawlers.append(crawler)
    return crawlers


def _plan_details() -> list[str]:
    """An action plan, one of its actions and a funding call, through the API."""
    from trainings.models import Action, FundingCall

    action = Action.objects.order_by("pk").first()
    return [
        reverse("territorial-plan-detail", args=[action.plan_id]),
        reverse("territorial-plan-action-detail", args=[action.pk]),
        reverse("funding-call-detail", args=[FundingCall.objects.order_by("pk").first().pk]),
    ]


def _start() -> list[str]:
    """The navigation's root, and the routes no page links to: the admin, the API's root and
    schema (read by the docs page's script), one detail of each API resource."""
    details = [
        *_agenda_details(),
        reverse("commune-detail", args=[Commune.objects.order_by("code").first().code]),
        reverse("epci-detail", args=[EPCI.objects.order_by("siren").first().siren]),
        reverse("place-detail", args=[Place.objects.order_by("pk").first().pk]),
        *_plan_details(),
        *_resource_details(),
    ]
    return ["/", "/admin/", reverse("api-root"), reverse("api-schema"), *details]


def _resource_details() -> list[str]:
    """A published resource and a collection of the library, through the API."""
    from trainings.models import Collection, Resource

    return [
        reverse("resource-detail", args=[Resource.objects.published().order_by("pk")[0].slug]),
        reverse("resource-collection-detail", args=[Collection.objects.order_by("pk")[0].slug]),
    ]


def _agenda_details() -> list[str]:
    """A public session of the demo and its training, through the API."""
    from trainings.models import Session

    session = Session.objects.filter(is_public=True).order_by("pk").first()
    return [
        reverse("session-detail", args=[session.pk]),
        reverse("training-detail", args=[session.training_id]),
    ]


def test_every_page_answers_in_the_layout_and_in_french(crawl):
    failures = [visit for crawler in crawl for visit in crawler.visits if visit.problem]
    assert not failures, f"{len(failures)} page(s) en échec :\n" + "\n".join(map(str, failures))


def test_the_crawl_reaches_every_route(crawl):
    reached = set().union(*(crawler.patterns for crawler in crawl))
    missing = sorted(set(_routes()) - reached - SKIPPED - set(UNLINKED) - set(ABSENT_FROM_DEMO))
    assert not missing, "routes jamais atteintes par le crawl : " + ", ".join(missing)


def _routes(resolver=None, namespace=""):
    """Names of the project's routes, the admin's apart (it has one per model and action)."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace != "admin":
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from _routes(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name


def test_malformed_query_parameters_are_refused_or_ignored(crawl):
    """Every query parameter of the pages' links and GET forms and of the API's schema, given a
    malformed value: a readable 4xx or the value ignored, never a server error. Each URL pattern
    is tried with the first account that reached it; the admin's search is Django's own."""
    schema = Client().get(reverse("api-schema"), {"format": "json"}).json()
    for path, operations in schema["paths"].items():
        if "{" not in path and "get" in operations:
            parameters = operations["get"].get("parameters", [])
            crawl[0].note_parameters(path, [p["name"] for p in parameters if p["in"] == "query"])
    tried, failures = set(), []
    for crawler in crawl:
        fresh = sorted(p for p in crawler.parameters if p not in tried and "admin:" not in p)
        tried.update(fresh)
        failures += crawler.fuzz(MALFORMED, fresh)
    assert not failures, f"{len(failures)} réponse(s) en échec :\n" + "\n".join(map(str, failures))
