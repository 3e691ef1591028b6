"""Who proposes, edits and moderates the library's resources (the `rules` package; imported by
trainings/rules.py, which the package discovers).

What a person opens is `Resource.objects.visible_to(user)` (published ones, their own proposals,
all for moderators): outside it answers 404; a resource one may read but not change answers 403
to a change."""

import rules

from accounts import roles
from accounts.rules import has_role, is_dsden_staff, is_hub_admin

is_mediateur = has_role(roles.MEDIATEURS)


# Médiateurs and DSDEN staff propose resources; hub administrators too.
@rules.predicate
def proposes_resources(user) -> bool:
    return is_mediateur(user) or is_dsden_staff(user) or is_hub_admin(user)


# A contributor edits their own proposal until a moderator has published it.
@rules.predicate
def edits_own_proposal(user, resource) -> bool:
    from .models import Resource

    return (
        resource is not None
        and user.is_authenticated
        and resource.contributor_id == user.pk
        and resource.state == Resource.State.PROPOSED
    )


# The moderators' queue in the menu.
moderates_resources = is_hub_admin

rules.add_perm("trainings.propose_resource", proposes_resources)
rules.add_perm("trainings.edit_resource", is_hub_admin | edits_own_proposal)
# Hub administrators publish and withdraw resources and treat readers' reports.
rules.add_perm("trainings.moderate_resource", is_hub_admin)
rules.add_perm("trainings.resolve_resource_report", is_hub_admin)
