"""Who plans, edits and reads territorial action plans, and who publishes funding calls (the
`rules` package). What a person reaches is `Plan.objects.visible_to(user)` (read) and
`editable_by(user)` (write): a plan outside answers 404, a plan one may only read 403 to a
write."""

import rules

from accounts import roles
from accounts.rules import is_dsden_staff, is_hub_admin, is_local_authority, territory

from .models.plans import PLANNING_ROLES, Plan


# Hub administrators, DSDEN staff and local authorities with a territory create plans in it.
@rules.predicate
def plans_territory(user) -> bool:
    return bool(territory(user, *PLANNING_ROLES))


# The plan is one the user edits (their territory, or they own it).
@rules.predicate
def edits_plan(user, plan) -> bool:
    return user.is_authenticated and Plan.objects.editable_by(user).filter(pk=plan.pk).exists()


# Someone with at least one plan in view, or who may create one (the menu entry).
@rules.predicate
def sees_plans(user) -> bool:
    return user.is_authenticated and (
        plans_territory(user) or Plan.objects.visible_to(user).exists()
    )


# DSDEN staff and hub administrators with a territory publish funding calls.
@rules.predicate
def publishes_calls(user) -> bool:
    return bool(territory(user, roles.HUB_ADMINS, roles.DSDEN_STAFF))


create_plan = (is_hub_admin | is_dsden_staff | is_local_authority) & plans_territory
rules.add_perm("trainings.create_plan", create_plan)
rules.add_perm("trainings.edit_plan", edits_plan)
rules.add_perm("trainings.see_plans", sees_plans)
rules.add_perm("trainings.publish_funding_call", (is_hub_admin | is_dsden_staff) & publishes_calls)


def can_see_plans(user) -> bool:
    """The menu's visibility function."""
    return user.has_perm("trainings.see_plans")


def can_plan(user) -> bool:
    return user.has_perm("trainings.create_plan")
