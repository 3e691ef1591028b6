"""Who sees a session's participants and keeps its attendance (the `rules` package): the people
organising it — active members of the organising structure, DSDEN staff of the organising
département's DSDEN, the session's facilitators. Nobody else sees names (the public sees
counts), hub administrators included."""

import rules
from django.db.models import Q


def organised_sessions(user):
    """The sessions whose participants `user` sees (pages and tasks alike; others answer 404)."""
    from accounts import roles
    from accounts.rules import territory
    from actors.rules import active_memberships

    from .models import Session

    if not user.is_authenticated or not user.is_active:
        return Session.objects.none()
    mine = Q(training__structure_id__in=list(active_memberships(user))) | Q(facilitators=user)
    dsden = territory(user, roles.DSDEN_STAFF)
    if dsden:
        mine |= Q(training__structure=None) & dsden.q("training__organiser_departement")
    return Session.objects.filter(pk__in=Session.objects.filter(mine).values("pk"))


# The organisers of a session see its participants, register people in person and keep its
# attendance.
@rules.predicate
def organises_session(user, session) -> bool:
    return session is not None and organised_sessions(user).filter(pk=session.pk).exists()


rules.add_perm("trainings.manage_registrations", organises_session)
