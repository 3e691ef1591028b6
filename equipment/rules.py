"""Who reads and who answers for which school's census, follows deployments and loans (the
`rules` package). Which schools a person reaches is `School.objects.visible_to(user)` (read)
and `answerable_by(user)` (write): a school outside answers 404; a school one may only read
answers 403 to a write."""

import rules

from accounts import roles
from accounts.rules import cached, is_dsden_staff, is_hub_admin, territory

from .models import Circonscription, School


def _schools(user, attribute: str):
    """`School.objects.<attribute>(user)`, evaluated to ids once per user object."""
    cache = cached(user, "_hub_school_ids", dict)
    if attribute not in cache:
        cache[attribute] = set(
            getattr(School.objects, attribute)(user).values_list("pk", flat=True)
        )
    return cache[attribute]


# DSDEN staff and hub administrators with a territory (for campaigns and the census follow-up).
@rules.predicate
def covers_departements(user) -> bool:
    return bool(territory(user, roles.HUB_ADMINS, roles.DSDEN_STAFF))


# Someone with at least one school in view (DSDEN, ERUN, director, local authority).
@rules.predicate
def has_schools(user) -> bool:
    return user.is_authenticated and School.objects.visible_to(user).exists()


# Someone with at least one school to answer for (DSDEN, ERUN, director; not local authorities).
@rules.predicate
def answers_for_schools(user) -> bool:
    return user.is_authenticated and School.objects.answerable_by(user).exists()


# The school is in the user's view.
@rules.predicate
def sees_school(user, school) -> bool:
    return user.is_authenticated and school.pk in _schools(user, "visible_to")


# The user answers the school's census (and follows its equipment).
@rules.predicate
def answers_for_school(user, school) -> bool:
    return user.is_authenticated and school.pk in _schools(user, "answerable_by")


# The user follows at least one circonscription's census (DSDEN, ERUN).
@rules.predicate
def follows_circonscriptions(user) -> bool:
    return user.is_authenticated and Circonscription.objects.visible_to(user).exists()


rules.add_perm("equipment.access_schools", has_schools)
rules.add_perm("equipment.see_school", sees_school)
rules.add_perm("equipment.answer_census", answers_for_school)
rules.add_perm("equipment.open_campaign", (is_dsden_staff | is_hub_admin) & covers_departements)
rules.add_perm("equipment.follow_census", follows_circonscriptions)
rules.add_perm("equipment.remind_all", (is_dsden_staff | is_hub_admin) & covers_departements)
rules.add_perm("equipment.read_deployments", has_schools)
# Local authorities read figures and deployments; only those who answer record them.
rules.add_perm("equipment.record_deployments", answers_for_schools)


# Schools and structures lend devices to families; DSDEN staff follow their départements' pools.
@rules.predicate
def manages_loans(user) -> bool:
    from actors.models import Structure

    return user.is_authenticated and (
        bool(territory(user, roles.DSDEN_STAFF))
        or School.objects.answerable_by(user).exists()
        or Structure.objects.editable_by(user).exists()
    )


rules.add_perm("equipment.manage_loans", manages_loans)
