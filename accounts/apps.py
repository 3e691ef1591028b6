from django.apps import AppConfig
from django.db.models.signals import post_migrate

from hub.registry import DemoLoader, PageUrls


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

    def ready(self):
        post_migrate.connect(_ensure_role_groups, dispatch_uid="accounts.ensure_role_groups")
