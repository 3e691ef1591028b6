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
