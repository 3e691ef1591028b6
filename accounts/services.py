"""Role groups and their permissions, kept in step with the roles the apps declare."""

from django.contrib.auth.models import Group, Permission

from . import roles
from .rules import forget


def ensure_role_groups() -> dict[str, Group]:
    """Create the declared role groups if missing and give each the permissions of its apps."""
    groups = {}
    for name, role in roles.declared().items():
        groups[name] = Group.objects.get_or_create(name=name)[0]
        if role.apps:
            labels = roles.app_labels(role)
            permissions = Permission.objects.filter(content_type__app_label__in=labels)
            groups[name].permissions.set(permissions)
    return groups


def grant(user, role: str, *territories: tuple[str, str]) -> None:
    """Give `user` a role over territories, e.g. grant(u, DSDEN_STAFF, ("departement", "28"));
    a territorial role without territory sees nothing."""
    from .models import StaffScope

    user.groups.add(ensure_role_groups()[role])
    for kind, code in territories:
        StaffScope.objects.get_or_create(user=user, role=role, kind=kind, code=code)
    forget(user)


def make_hub_admin(user, *territories: tuple[str, str]) -> None:
    """Hub administrators reach the Django admin through the group's permissions; national
    unless territories are given."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    grant(user, roles.HUB_ADMINS, *(territories or [(roles.NATIONAL, "")]))
