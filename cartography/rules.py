"""Who asks for coverage reports (the `rules` package). Coverage figures themselves are open
data; which reports a person follows is `CoverageReport.objects.visible_to(user)`."""

import rules

from accounts import roles
from accounts.rules import territory

REPORT_ROLES = (roles.PREFECTURE_STAFF, roles.DSDEN_STAFF, roles.HUB_ADMINS)


def report_departements(user) -> set[str] | None:
    """The départements `user` may report on; None for all of France."""
    area = territory(user, *REPORT_ROLES)
    return None if area.national else area.departements


# Préfecture and DSDEN staff, and hub administrators, with a territory ask for reports on it.
@rules.predicate
def reports_on_a_territory(user) -> bool:
    return user.is_authenticated and bool(territory(user, *REPORT_ROLES))


rules.add_perm("cartography.request_report", reports_on_a_territory)
