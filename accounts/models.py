"""The hub's user (Django's, kept swappable from day one so later needs need no data surgery),
and the territories staff roles cover."""

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import roles


class User(AbstractUser):
    email = models.EmailField("adresse électronique", blank=True)

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"

    def has_role(self, role: str) -> bool:
        from .rules import role_names

        return role in role_names(self)

    @property
    def is_hub_admin(self) -> bool:
        # An explicit role, not superuser status.
        return self.is_superuser or self.has_role(roles.HUB_ADMINS)


# Where each kind of territory is found: (model, field holding the code).
TERRITORY_MODELS = {
    roles.DEPARTEMENT: ("cartography.Departement", "code"),
    roles.EPCI: ("cartography.EPCI", "siren"),
    roles.COMMUNE: ("cartography.Commune", "code"),
}


class StaffScope(models.Model):
    """A territorial role held over one territory: DSDEN or préfecture staff over a département,
    a local authority over its commune, EPCI or département, a hub administrator over France."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="staff_scopes")
    role = models.CharField("rôle", max_length=150, choices=roles.scoped_choices)
    kind = models.CharField("territoire", max_length=12, choices=roles.TERRITORY_KINDS)
    code = models.CharField(
        "code",
        max_length=9,
        blank=True,
        help_text="code INSEE du département ou de la commune, SIREN de l'EPCI ; "
        "vide pour la France entière",
    )

    class Meta:
        verbose_name = "périmètre territorial"
        verbose_name_plural = "périmètres territoriaux"
        ordering = ["role", "kind", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "kind", "code"], name="unique_staff_scope"
            )
        ]

    def __str__(self):
        where = "France entière" if self.kind == roles.NATIONAL else f"{self.kind} {self.code}"
        return f"{self.role} — {where}"

    def clean(self):
        role = roles.declared().get(self.role)
        if role is None or not role.scoped:
            raise ValidationError({"role": "Ce rôle n'est pas territorial."})
        if self.kind not in role.territories:
            allowed = ", ".join(dict(roles.TERRITORY_KINDS)[k] for k in role.territories)
            raise ValidationError({"kind": f"Pour ce rôle : {allowed}."})
        self.code = self.code.strip()
        if self.kind == roles.NATIONAL:
            if self.code:
                raise ValidationError({"code": "Laissez le code vide pour la France entière."})
            return
        model, field = TERRITORY_MODELS[self.kind]
        if not apps.get_model(model).objects.filter(**{field: self.code}).exists():
            raise ValidationError({"code": f"« {self.code} » : territoire inconnu du hub."})


# A scope is the role over a territory: holding one puts the user in the role's group (whose
# permissions the admin reads), and the last one of a role taken away takes the group away.
@receiver(post_save, sender=StaffScope)
def _join_role_group(sender, instance, **kwargs):
    from django.contrib.auth.models import Group

    instance.user.groups.add(Group.objects.get_or_create(name=instance.role)[0])


@receiver(post_delete, sender=StaffScope)
def _leave_role_group(sender, instance, **kwargs):
    user = instance.user
    if not user.staff_scopes.filter(role=instance.role).exists():
        user.groups.remove(*user.groups.filter(name=instance.role))
