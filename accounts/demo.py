"""The demo accounts, one per role (a `load_demo` step, declared in accounts/apps.py)."""

import os

from django.contrib.auth import get_user_model

from . import roles
from .services import grant

# (username, role, territory covered): staff of Eure-et-Loir, a national hub administrator.
DEMO_ACCOUNTS = [
    ("admin-demo", roles.HUB_ADMINS, (roles.NATIONAL, "")),
    ("dsden-demo", roles.DSDEN_STAFF, (roles.DEPARTEMENT, "28")),
    ("prefecture-demo", roles.PREFECTURE_STAFF, (roles.DEPARTEMENT, "28")),
    # The conseil départemental, a funder of school equipment: reads its schools' figures.
    ("collectivite-demo", roles.LOCAL_AUTHORITY, (roles.DEPARTEMENT, "28")),
    ("mediateur-demo", roles.MEDIATEURS, None),
    ("erun-demo", None, None),
    ("directeur-demo", None, None),
]


def load_demo_accounts(progress=None) -> list[str]:
    """Create the demo accounts (once) and give them their roles; the line to print."""
    password = os.environ.get("HUB_DEMO_PASSWORD", "demo-hub-28")
    users = get_user_model().objects
    for username, role, territory in DEMO_ACCOUNTS:
        user, created = users.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        if created:
            user.set_password(password)
            user.is_staff = role == roles.HUB_ADMINS
            user.save()
        if role:
            grant(user, role, *([territory] if territory else []))
    names = ", ".join(name for name, *_ in DEMO_ACCOUNTS)
    return [f"Comptes de démonstration : {names} (mot de passe : {password})"]
