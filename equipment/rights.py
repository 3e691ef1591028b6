"""Who sees and edits which school's census data. One place for the rule, used by every page,
export and upload: DSDEN staff and hub administrators see all schools; an ERUN sees and edits
the schools of their circonscriptions; a director their own school; anyone else (and the
public) no per-school census data, only per-commune aggregates."""

from django.db.models import Q

from accounts import roles

from .models import School


def is_dsden(user) -> bool:
    return user.is_authenticated and (user.is_hub_admin or user.has_role(roles.DSDEN_STAFF))


def schools_for(user):
    """The schools whose census data `user` may see and edit."""
    if not user.is_authenticated:
        return School.objects.none()
    if is_dsden(user):
        return School.objects.all()
    return School.objects.filter(
        Q(directors__user=user) | Q(circonscription__referents__user=user)
    ).distinct()


def can_see_school(user, school: School) -> bool:
    return schools_for(user).filter(pk=school.pk).exists()


can_edit_census = can_see_school  # the same people see and answer for a school


def circonscriptions_for(user):
    from .models import Circonscription

    if not user.is_authenticated:
        return Circonscription.objects.none()
    if is_dsden(user):
        return Circonscription.objects.all()
    return Circonscription.objects.filter(referents__user=user)


def has_school_access(user) -> bool:
    """Whether the user has any school space at all (for menus)."""
    return schools_for(user).exists()
