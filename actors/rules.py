"""Who keeps which structure's listing and decides on its members (the `rules` package).

Memberships are read once per user object (cached on it), so a page asking about many
structures costs one query."""

import rules

from accounts.rules import cached, is_hub_admin


def active_memberships(user) -> dict[int, str]:
    """{structure id: role} of the user's active memberships (cached on the user object)."""
    if not user.is_authenticated:
        return {}
    from .models import Membership

    active = Membership.objects.filter(user=user, status=Membership.Status.ACTIVE)
    return cached(
        user, "_hub_memberships", lambda: dict(active.values_list("structure_id", "role"))
    )


def _structure_id(obj) -> int | None:
    """The structure a rule is asked about: a structure, a place or a membership."""
    return obj.structure_id if hasattr(obj, "structure_id") else obj.pk


# An active member of the structure (of the place, of the membership).
@rules.predicate
def is_member(user, obj) -> bool:
    return obj is not None and _structure_id(obj) in active_memberships(user)


# An active administrator of the structure (of the place, of the membership).
@rules.predicate
def is_structure_admin(user, obj) -> bool:
    from .models import Membership

    return obj is not None and active_memberships(user).get(_structure_id(obj)) == (
        Membership.Role.ADMIN
    )


# Members and hub administrators keep a structure's listing and its places; nobody else.
rules.add_perm("actors.edit_structure", is_hub_admin | is_member)
rules.add_perm("actors.edit_place", is_hub_admin | is_member)
# A structure's admins invite and decide on its members; hub administrators decide while it
# has none (an active admin of a structure is proof that it has one).
rules.add_perm("actors.manage_members", is_hub_admin | is_structure_admin)
rules.add_perm("actors.decide_membership", is_hub_admin | is_structure_admin)


def _place(obj):
    """The place a rule is asked about: a place, or a claim or report on one."""
    return getattr(obj, "place", obj)


# Hub administrators moderate the listings within the territory their role covers.
@rules.predicate
def moderates_place(user, obj) -> bool:
    from .models import Place, moderated_by

    if obj is None or not is_hub_admin(user):
        return False
    return Place.objects.filter(moderated_by(user), pk=_place(obj).pk).exists()


# A hub administrator who moderates somewhere (the reports queue in the menu).
@rules.predicate
def is_moderator(user) -> bool:
    from accounts import roles
    from accounts.rules import territory

    return is_hub_admin(user) and bool(territory(user, roles.HUB_ADMINS))


# The admins of a place's structure decide on a claim of it; while the structure has none,
# the moderators covering the place do.
@rules.predicate
def decides_claim(user, claim) -> bool:
    if claim is None:
        return False
    if claim.place.structure.has_admin():
        return is_structure_admin(user, claim.place)
    return moderates_place(user, claim.place)


# Signed-in médiateurs claim a listing they do not keep yet.
@rules.predicate
def may_claim(user, place) -> bool:
    from accounts import roles
    from accounts.rules import role_names

    if place is None or not user.is_authenticated:
        return False
    return roles.MEDIATEURS in role_names(user) and not is_member(user, place)


# A place's members and the moderators covering it fix what a report says is wrong.
@rules.predicate
def resolves_report(user, report) -> bool:
    return report is not None and (is_member(user, report.place) or moderates_place(user, report))


rules.add_perm("actors.claim_place", may_claim)
rules.add_perm("actors.decide_claim", decides_claim)
rules.add_perm("actors.resolve_report", resolves_report)
