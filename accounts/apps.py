from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_role_groups(sender, **kwargs):
    from .services import ensure_role_groups

    # Runs after every app's migrations, so the permissions of all apps exist by the last call.
    ensure_role_groups()


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Comptes"

    def ready(self):
        post_migrate.connect(_ensure_role_groups, dispatch_uid="accounts.ensure_role_groups")
