from django.apps import AppConfig
from django.db.models.signals import post_migrate

from hub.registry import DemoLoader, LandingPage, PageUrls

from . import roles


def _ensure_role_groups(sender, **kwargs):
    from .services import ensure_role_groups

    # Runs after every app's migrations, so the permissions of all apps exist by the last call.
    ensure_role_groups()


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Comptes"
    hub_urls = [PageUrls("comptes/", "accounts.urls")]
    # After the objects the accounts are tied to (territory 10, schools 30).
    hub_demo_loaders = [DemoLoader(90, "accounts.demo.load_demo_accounts")]
    # Hub administrators hold every permission of the hub's apps; national or per département.
    hub_roles = [
        roles.Role(
            roles.HUB_ADMINS,
            territories=(roles.NATIONAL, roles.DEPARTEMENT),
            apps=(roles.PROJECT_APPS, "django_celery_beat"),
        )
    ]

    # After signing in, the most specific role's page first (see accounts.landing).
    hub_landing_pages = [LandingPage(90, "accounts.landing.hub_admin")]

    def ready(self):
        post_migrate.connect(_ensure_role_groups, dispatch_uid="accounts.ensure_role_groups")
