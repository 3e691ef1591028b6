"""What the apps declare on their AppConfig is what the hub shows: the menu, the API routes and
the demo steps."""

import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils.module_loading import import_string
from rest_framework.viewsets import ViewSetMixin

from accounts import roles
from accounts.services import grant
from cartography.importers.coverage import load_demo_coverage
from equipment.demo import load_demo_schools
from hub.registry import MenuEntry, collect, demo_loaders
from indicators.models import Indicator

pytestmark = pytest.mark.django_db


def menu(client) -> list[tuple[str, str]]:
    """The main menu of the home page as a visitor reads it: (label, link) in order."""
    html = client.get("/").content.decode()
    nav = html[html.index('id="header-navigation"') :]
    nav = nav[: nav.index("</nav>")]
    return re.findall(r'<a class="fr-nav__link" href="([^"]+)"[^>]*>([^<]+)</a>', nav)


def labels(client) -> list[str]:
    return [label for _, label in menu(client)]


def test_the_menu_shows_schools_to_dsden_staff_and_not_to_the_public(client, territory_28):
    load_demo_schools()
    public = labels(client)
    assert public[:2] == ["Carte du territoire", "Trouver de l’aide"]
    assert public.index("Couverture fibre") > public.index("Trouver de l’aide")
    assert public[-1] == "API"
    assert "Écoles" not in public
    dsden = get_user_model().objects.create_user("dsden", "d@example.org", "pw-2026-x")
    grant(dsden, roles.DSDEN_STAFF, (roles.DEPARTEMENT, "28"))
    client.force_login(dsden)
    assert ("/ecoles/", "Écoles") in menu(client)
    shown = labels(client)
    assert shown.index("Écoles") == shown.index("Couverture fibre") + 1  # after the coverage map
    assert shown[-1] == "API"


def test_an_app_s_registration_is_what_makes_its_menu_entry_appear(client, monkeypatch):
    monkeypatch.setattr(apps.get_app_config("actors"), "hub_menu_entries", [])
    assert "Trouver de l’aide" not in labels(client)
    monkeypatch.setattr(
        apps.get_app_config("trainings"),
        "hub_menu_entries",
        [MenuEntry("Formations", "home", order=35)],
        raising=False,
    )
    shown = labels(client)
    assert shown[:3] == ["Carte du territoire", "Couverture fibre", "Formations"]


def test_the_current_page_is_marked_in_the_menu(client):
    html = client.get("/couverture/").content.decode()
    assert re.search(r'href="/couverture/"\s+aria-current="page">Couverture fibre<', html)


def test_every_declared_api_route_answers(client, territory_28):
    load_demo_coverage()
    staff = Client()
    dsden = get_user_model().objects.create_user("dsden-28")
    grant(dsden, roles.DSDEN_STAFF, (roles.DEPARTEMENT, "28"))
    staff.force_login(dsden)
    routes = collect("hub_api_routes")
    assert {route.name for route in routes} >= {"commune", "epci", "place", "coverage"}
    for route in routes:
        view = import_string(route.view)
        viewset = issubclass(view, ViewSetMixin)
        # A route with parameters is asked for real ones: an indicator, the tile over Chartres.
        samples = {"code": Indicator.objects.order_by("code").first().code, "z": 8, "x": 128}
        samples["y"] = 88
        kwargs = {
            name: value
            for name, value in samples.items()
            if re.search(rf"<(\w+:)?{name}>", route.prefix)
        }
        url = reverse(f"{route.name}-list" if viewset else route.name, kwargs=kwargs)
        query = {"departement": "28", "bbox": "1.2,48.3,1.6,48.6"}
        response = client.get(url, query)
        if (
            response.status_code == 403
        ):  # a route closed to visitors answers the département's staff
            response = staff.get(url, query)
        assert response.status_code == 200, (url, response.status_code)


def test_demo_steps_run_territory_first_and_accounts_after_what_they_need():
    functions = [loader.function for loader in demo_loaders()]
    assert functions[0] == "cartography.demo.load_demo_territory"
    position = functions.index
    assert position("accounts.demo.load_demo_accounts") > position(
        "equipment.demo.load_demo_census"
    )
    assert position("equipment.demo.load_demo_school_accounts") > position(
        "accounts.demo.load_demo_accounts"
    )
    # the demo's memberships, deployments and loans are tied to the demo accounts
    assert position("actors.demo.load_demo_memberships") > position(
        "accounts.demo.load_demo_accounts"
    )
    assert position("equipment.demo.load_demo_logistics") > position(
        "equipment.demo.load_demo_school_accounts"
    )
    for function in functions:
        import_string(function)  # each declared step exists


def test_a_mistyped_declaration_fails_manage_py_check(monkeypatch):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    from hub.registry import Importer

    call_command("check")
    monkeypatch.setattr(
        apps.get_app_config("trainings"),
        "hub_importers",
        [Importer("sessions", "Sessions", "trainings.importers.import_sessionz")],
        raising=False,
    )
    with pytest.raises(SystemCheckError, match="trainings.importers.import_sessionz"):
        call_command("check")
