"""`manage.py check` verifies what the apps declare to the hub: every dotted path imports, every
menu entry's URL name exists, so a typo in an app's `apps.py` fails the test command, not a page."""

from django.core.checks import Error, register
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string

from .registry import collect


def _path_error(path: str, attribute: str) -> Error | None:
    try:
        import_string(path)
    except ImportError as exc:
        return Error(f"{attribute}: « {path} » cannot be imported ({exc})", id="hub.E001")
    return None


@register()
def check_registrations(app_configs=None, **kwargs) -> list[Error]:
    errors = []
    dotted = [
        *((route.view, "hub_api_routes") for route in collect("hub_api_routes")),
        *((loader.function, "hub_demo_loaders") for loader in collect("hub_demo_loaders")),
        *((importer.function, "hub_importers") for importer in collect("hub_importers")),
        *((path, "hub_coverage_overlays") for path in collect("hub_coverage_overlays")),
        *((e.visible, "hub_menu_entries") for e in collect("hub_menu_entries") if e.visible),
        *((page.function, "hub_landing_pages") for page in collect("hub_landing_pages")),
    ]
    for path, attribute in dotted:
        error = _path_error(path, attribute)
        if error:
            errors.append(error)
    for entry in collect("hub_menu_entries"):
        try:
            reverse(entry.url_name)
        except NoReverseMatch:
            errors.append(
                Error(f"hub_menu_entries: no URL named « {entry.url_name} »", id="hub.E002")
            )
    return errors
