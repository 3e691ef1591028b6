"""Role groups and their permissions, kept in step with the code."""

from django.contrib.auth.models import Group, Permission

from . import roles


def ensure_role_groups() -> dict[str, Group]:
    """Create the role groups if missing and give hub administrators every hub permission."""
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in roles.ALL}
    admin_perms = Permission.objects.filter(content_type__app_label__in=roles.ADMINISTERED_APPS)
    groups[roles.HUB_ADMINS].permissions.set(admin_perms)
    return groups


def make_hub_admin(user) -> None:
    """Hub administrators reach the Django admin through the group's permissions."""
    groups = ensure_role_groups()
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(groups[roles.HUB_ADMINS])
