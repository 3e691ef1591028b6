"""Who opens which dashboard and the schools' part of the diagnostic (the `rules` package).
What each reader then sees inside is `Value.objects.visible_to(user)` and their territory."""

import rules

from accounts import roles
from accounts.rules import is_dsden_staff, is_hub_admin, is_local_authority, is_prefecture_staff

# The dashboards, by key, and who opens them (the public one is everyone's).
DASHBOARD_READERS = {
    "dsden": is_dsden_staff | is_hub_admin,
    "prefecture": is_prefecture_staff | is_hub_admin,
    "collectivite": is_local_authority | is_hub_admin,
    "public": rules.always_allow,
}


# The user may open the dashboard named `key`.
@rules.predicate
def opens_dashboard(user, key) -> bool:
    predicate = DASHBOARD_READERS.get(key)
    return bool(predicate and predicate.test(user))


# Schools are ranked one by one for those who read schools' figures (never the public).
@rules.predicate
def ranks_schools(user) -> bool:
    from accounts.rules import territory

    return bool(territory(user, roles.HUB_ADMINS, roles.DSDEN_STAFF, roles.LOCAL_AUTHORITY))


rules.add_perm("indicators.open_dashboard", opens_dashboard)
rules.add_perm("indicators.rank_schools", ranks_schools)
