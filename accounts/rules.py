"""Shared rights building blocks: a user's roles and territories, read once per request (cached
on the user object), and the predicates every app composes into its own rules.

Each app keeps its rules in its own `rules.py` (small named predicates of the `rules` package,
registered as permissions): views, API permission classes, the admin and templates
(`{% load rules %}{% has_perm … %}`) all ask the same permission.
"""

from contextlib import suppress
from dataclasses import dataclass, field

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from . import roles

CACHED = ("_hub_role_names", "_hub_scopes", "_hub_memberships", "_hub_school_ids")


def cached(user, name: str, compute):
    """`compute()`, kept on the user object (request.user lives as long as its request), so a
    page asking many rights reads roles, scopes and memberships once. Through `getattr`, so
    that Django's lazy `request.user` reaches the user it wraps."""
    try:
        return getattr(user, name)
    except AttributeError:
        value = compute()
        setattr(user, name, value)
        return value


def forget(user) -> None:
    """Drop what `cached` kept, after a change of the user's roles or memberships."""
    for name in CACHED:
        with suppress(AttributeError):
            delattr(user, name)


def role_names(user) -> frozenset[str]:
    """The names of the user's role groups (one query per user object, then cached)."""
    if not user.is_authenticated:
        return frozenset()
    return cached(
        user, "_hub_role_names", lambda: frozenset(user.groups.values_list("name", flat=True))
    )


def _scopes(user) -> list[tuple[str, str, str]]:
    return cached(
        user, "_hub_scopes", lambda: list(user.staff_scopes.values_list("role", "kind", "code"))
    )


@dataclass
class Territory:
    """What some roles of a user cover: all of France, or départements, EPCI and communes."""

    national: bool = False
    departements: set[str] = field(default_factory=set)
    epcis: set[str] = field(default_factory=set)
    communes: set[str] = field(default_factory=set)

    def __bool__(self):
        return self.national or bool(self.departements or self.epcis or self.communes)

    def q(self, departement: str, epci: str | None = None, commune: str | None = None) -> Q:
        """A filter on the lookups naming a row's département, EPCI and commune codes
        (everything when national, nothing when empty)."""
        if self.national:
            return Q()
        found = Q(pk__in=[])
        if self.departements:
            found |= Q(**{f"{departement}__in": self.departements})
        if self.epcis and epci:
            found |= Q(**{f"{epci}__in": self.epcis})
        if self.communes and commune:
            found |= Q(**{f"{commune}__in": self.communes})
        return found


def territory(user, *role_list: str) -> Territory:
    """The territory covered by the user's `role_list` (a role held without its group, or a
    group held without a scope, covers nothing). Superusers are national."""
    area = Territory()
    if not user.is_authenticated or not user.is_active:
        return area
    if user.is_superuser:
        area.national = True
        return area
    held = role_names(user)
    buckets = {
        roles.DEPARTEMENT: area.departements,
        roles.EPCI: area.epcis,
        roles.COMMUNE: area.communes,
    }
    for role, kind, code in _scopes(user):
        if role not in role_list or role not in held:
            continue
        if kind == roles.NATIONAL:
            area.national = True
        else:
            buckets[kind].add(code)
    return area


def has_role(name: str):
    """A predicate: the user holds the role `name`."""

    @rules.predicate(name=f"has_role({name})")
    def holds(user) -> bool:
        return user.is_authenticated and (user.is_superuser or name in role_names(user))

    return holds


# Hub administrators: an explicit role (superusers count as national administrators).
is_hub_admin = has_role(roles.HUB_ADMINS)
# DSDEN staff follow the schools of their départements.
is_dsden_staff = has_role(roles.DSDEN_STAFF)
# Préfecture staff follow coverage in their départements.
is_prefecture_staff = has_role(roles.PREFECTURE_STAFF)
# Local authorities (commune, EPCI, département) read their schools' figures.
is_local_authority = has_role(roles.LOCAL_AUTHORITY)


def require(user, permission: str, obj=None, message: str = "") -> None:
    """403 unless `user` holds `permission` (on `obj`). Out-of-scope objects never get here:
    they are looked up in `Model.objects.visible_to(user)` and answer 404."""
    if not user.has_perm(permission, obj):
        raise PermissionDenied(message or "Vous n'avez pas accès à cette page.")
