"""Load the Eure-et-Loir demonstration data through the product's own importers.

Idempotent: a second run imports nothing twice and creates no account twice.
"""

import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts import roles
from accounts.services import ensure_role_groups
from actors.demo import load_demo_places
from cartography.importers.coverage import load_demo_coverage
from cartography.importers.territory import TerritorySources, import_territory
from equipment.demo import load_demo_census, load_demo_schools
from hub.imports import ImportFileError
from hub.progress import terminal_progress

DEMO_ACCOUNTS = [
    ("admin-demo", roles.HUB_ADMINS),
    ("dsden-demo", roles.DSDEN_STAFF),
    ("prefecture-demo", roles.PREFECTURE_STAFF),
    ("mediateur-demo", roles.MEDIATEURS),
    ("erun-demo", None),
    ("directeur-demo", None),
]


class Command(BaseCommand):
    help = (
        "Charge les données de démonstration de l'Eure-et-Loir "
        "(territoire, lieux fictifs, écoles, couverture fibre ARCEP, comptes de démo)."
    )

    def handle(self, *args, **options):
        try:
            report = import_territory(
                "28", TerritorySources.demo(), progress=terminal_progress(self.stderr)
            )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("\n".join(report.lines()))
        self.stdout.write("\n".join(load_demo_places().lines()))
        schools = load_demo_schools(progress=terminal_progress(self.stderr))
        self.stdout.write("\n".join(schools.lines()))
        self.stdout.write("\n".join(load_demo_census().lines()))
        for coverage in load_demo_coverage(progress=terminal_progress(self.stderr)):
            self.stdout.write("\n".join(coverage.lines()))
        self._demo_accounts()

    def _school_accounts(self, users):
        """The ERUN of the first demo circonscription, and the director of its first school."""
        from equipment.demo import DEMO_CIRCONSCRIPTION_PREFIX
        from equipment.models import Circonscription, DigitalReferent, SchoolDirector

        circo = (
            Circonscription.objects.filter(name__startswith=DEMO_CIRCONSCRIPTION_PREFIX)
            .order_by("name")
            .first()
        )
        if circo is None:
            return
        DigitalReferent.objects.get_or_create(
            user=users.get(username="erun-demo"), circonscription=circo
        )
        school = circo.schools.order_by("name").first()
        if school:
            SchoolDirector.objects.get_or_create(
                user=users.get(username="directeur-demo"), school=school
            )

    def _demo_accounts(self):
        password = os.environ.get("HUB_DEMO_PASSWORD", "demo-hub-28")
        groups = ensure_role_groups()
        users = get_user_model().objects
        for username, role in DEMO_ACCOUNTS:
            user, created = users.get_or_create(
                username=username, defaults={"email": f"{username}@example.org"}
            )
            if created:
                user.set_password(password)
                user.is_staff = role == roles.HUB_ADMINS
                user.save()
                if role:
                    user.groups.add(groups[role])
        self._school_accounts(users)
        names = ", ".join(name for name, _ in DEMO_ACCOUNTS)
        self.stdout.write(f"Comptes de démonstration : {names} (mot de passe : {password})")
