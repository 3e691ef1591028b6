"""The hub's roles. Each app declares the roles it needs on its AppConfig (`hub_roles = [Role(...)]`
in its own `apps.py`); `declared()` collects them, so a new app adds a role without editing
accounts. The names below are shared by several apps (pages, demo accounts, tests) and stay here.
"""

from dataclasses import dataclass
from pathlib import Path

HUB_ADMINS = "Administrateurs du hub"
DSDEN_STAFF = "Agents DSDEN"
PREFECTURE_STAFF = "Agents préfecture"
MEDIATEURS = "Médiateurs numériques"
LOCAL_AUTHORITY = "Collectivités territoriales"

# In a role's `apps`: every app of this project (hub and the domain apps, new ones included).
PROJECT_APPS = "project apps"

# Kinds of territory a staff scope covers (see accounts.models.StaffScope).
NATIONAL = "france"
DEPARTEMENT = "departement"
EPCI = "epci"
COMMUNE = "commune"
TERRITORY_KINDS = [
    (NATIONAL, "France entière"),
    (DEPARTEMENT, "département"),
    (EPCI, "EPCI (SIREN)"),
    (COMMUNE, "commune (code INSEE)"),
]


@dataclass(frozen=True)
class Role:
    """A role group. `territories`: the kinds of territory its holders are scoped to (empty: the
    role is not territorial); `apps`: apps whose every permission the role holds."""

    name: str
    territories: tuple[str, ...] = ()
    apps: tuple[str, ...] = ()

    @property
    def scoped(self) -> bool:
        return bool(self.territories)


def declared() -> dict[str, Role]:
    """Every role declared by the installed apps, by name (INSTALLED_APPS order)."""
    from hub.registry import collect

    return {role.name: role for role in collect("hub_roles")}


def app_labels(role: Role) -> list[str]:
    """The labels of the apps whose every permission `role` holds."""
    from django.apps import apps
    from django.conf import settings

    labels = [label for label in role.apps if label != PROJECT_APPS]
    if PROJECT_APPS in role.apps:  # the apps whose package sits at the project's root
        root = Path(settings.BASE_DIR).resolve()
        labels += [c.label for c in apps.get_app_configs() if Path(c.path).resolve().parent == root]
    return labels


def scoped_choices() -> list[tuple[str, str]]:
    """The territorial roles, as choices of a staff scope."""
    return [(name, name) for name, role in declared().items() if role.scoped]
