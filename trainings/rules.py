"""Who creates and edits which trainings and sessions (the `rules` package, autodiscovered).

What a person reaches is `Training.objects.editable_by(user)` / `Session.objects.editable_by(user)`
(write) and `Session.objects.visible_to(user)` (read): an object outside answers 404, one only
readable answers 403 to a write. The other parts of the app keep their rules in their own
modules, imported at the end of this one (the `rules` package only discovers `rules.py`).
"""

import rules

from accounts import roles
from accounts.rules import is_hub_admin, territory
from actors.rules import active_memberships

from .models import Session, Training


# Members of a structure, DSDEN staff and hub administrators with a territory organise
# trainings (the management pages and the menu entry).
@rules.predicate
def organises_trainings(user) -> bool:
    return user.is_authenticated and (
        bool(active_memberships(user)) or bool(territory(user, roles.DSDEN_STAFF, roles.HUB_ADMINS))
    )


# DSDEN staff with a territory create sessions in its schools.
@rules.predicate
def plans_school_sessions(user) -> bool:
    return bool(territory(user, roles.DSDEN_STAFF))


# The training is one the user keeps: their structure's, their DSDEN's, or moderated by them.
@rules.predicate
def edits_training(user, training) -> bool:
    return (
        training is not None
        and user.is_authenticated
        and Training.objects.editable_by(user).filter(pk=training.pk).exists()
    )


# The session is one the user keeps (its training's keepers; DSDEN staff in their schools).
@rules.predicate
def edits_session(user, session) -> bool:
    return (
        session is not None
        and user.is_authenticated
        and Session.objects.editable_by(user).filter(pk=session.pk).exists()
    )


rules.add_perm("trainings.organise", organises_trainings)
rules.add_perm("trainings.edit_training", edits_training)
rules.add_perm("trainings.edit_session", edits_session)
rules.add_perm("trainings.add_school_session", plans_school_sessions)
# Hub administrators moderate: they reach every training of their territory (editable_by).
rules.add_perm("trainings.moderate", is_hub_admin)

# The other parts' rules: registrations (who sees a session's participants and keeps its
# attendance), territorial action plans and funding calls, the resources library.
from . import plan_rules, registration_rules, resource_rules  # noqa: E402, F401
