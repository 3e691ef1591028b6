from django.apps import AppConfig


class EquipmentConfig(AppConfig):
    name = "equipment"
    verbose_name = "Équipement"

    def ready(self):
        from . import signals  # noqa: F401 - connects the maturity receivers
