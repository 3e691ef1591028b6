"""What each app contributes to the hub, collected from the apps themselves.

An app declares its contributions as attributes of its `AppConfig` (in its own `apps.py`), for
instance `hub_menu_entries = [...]`; `hub` reads them with `collect("hub_menu_entries")`, in the
order of INSTALLED_APPS. So a new app plugs in by declaring, without editing a central file, and
`hub` never imports a domain app.
"""

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
