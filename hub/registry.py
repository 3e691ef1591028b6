"""What each app contributes to the hub, collected from the apps themselves.

An app declares its contributions as attributes of its `AppConfig` (in its own `apps.py`), for
instance `hub_menu_entries = [...]`; `hub` reads them with `collect("hub_menu_entries")`, in the
order of INSTALLED_APPS. So a new app plugs in by declaring, without editing a central file, and
`hub` never imports a domain app.
"""

from dataclasses import dataclass

from django.apps import apps
from django.utils.module_loading import import_string


def collect(attribute: str) -> list:
    """Every entry declared under `attribute` by the installed apps, in INSTALLED_APPS order."""
    entries = []
    for config in apps.get_app_configs():
        entries.extend(getattr(config, attribute, ()) or ())
    return entries


def collect_callables(attribute: str) -> list:
    """Like `collect`, for entries given as dotted paths to functions: the functions."""
    return [
        import_string(entry) if isinstance(entry, str) else entry for entry in collect(attribute)
    ]


@dataclass(frozen=True)
class ApiRoute:
    """An API endpoint under /api/: a ViewSet (registered on the router, `name` its basename)
    or an APIView (served at `prefix`, `name` its URL name). `view` is a dotted path."""

    prefix: str
    view: str
    name: str


@dataclass(frozen=True)
class PageUrls:
    """A URLconf module of an app, mounted at `prefix` (e.g. "lieux/")."""

    prefix: str
    module: str


@dataclass(frozen=True)
class MenuEntry:
    """An entry of the main menu: `url_name` is reversed; `visible`, a dotted path to a
    function(user) -> bool (none: everyone sees it); `current`, the URL names for which the
    entry is the current page (default: `url_name`); entries are sorted by `order`."""

    label: str
    url_name: str
    order: int = 50
    visible: str = ""
    current: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoLoader:
    """A step of `manage.py load_demo`: a dotted path to a function taking `progress` and
    returning a report (with `lines()`), a list of reports or lines; steps run by `order`
    (the territory first, accounts once the objects they are tied to exist)."""

    order: int
    function: str


@dataclass(frozen=True)
class Importer:
    """An importer an administrator may schedule: a dotted path to a plain function
    `import_xxx(path, **options) -> ImportReport`, and its name in French."""

    key: str
    label: str
    function: str


@dataclass(frozen=True)
class LandingPage:
    """Where a person lands after signing in: `function`, a dotted path to a function(user)
    returning the URL of the page where that role works, or "" when the role is not the user's.
    The applicable entry of lowest `order` wins: the most specific role first (a school's
    director before DSDEN staff, DSDEN staff before a hub administrator)."""

    order: int
    function: str


def landing_pages() -> list[LandingPage]:
    return sorted(collect("hub_landing_pages"), key=lambda page: page.order)


def importers() -> dict[str, Importer]:
    """The importers declared under `hub_importers`, by key."""
    return {importer.key: importer for importer in collect("hub_importers")}


def menu_entries() -> list[MenuEntry]:
    return sorted(collect("hub_menu_entries"), key=lambda entry: entry.order)


def demo_loaders() -> list[DemoLoader]:
    return sorted(collect("hub_demo_loaders"), key=lambda loader: loader.order)
