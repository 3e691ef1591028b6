"""The hub's user: Django's, kept swappable from day one so later needs need no data surgery."""

from django.contrib.auth.models import AbstractUser
from django.db import models

from . import roles


class User(AbstractUser):
    email = models.EmailField("adresse électronique", blank=True)

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"

    def has_role(self, role: str) -> bool:
        return self.groups.filter(name=role).exists()

    @property
    def is_hub_admin(self) -> bool:
        # An explicit role, not superuser status.
        return self.is_superuser or self.has_role(roles.HUB_ADMINS)
