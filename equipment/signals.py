"""Levels follow the rules: an answer gets its level when saved, and every answer is assessed
again when an administrator changes a level or a criterion."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from . import maturity
from .models import CensusAnswer, MaturityCriterion, MaturityLevel


@receiver(pre_save, sender=CensusAnswer)
def assess_answer(sender, instance, **kwargs):
    result = maturity.assess(instance)
    instance.level, instance.level_reasons = result.level, result.reasons


@receiver([post_save, post_delete], sender=MaturityLevel)
@receiver([post_save, post_delete], sender=MaturityCriterion)
def rules_changed(sender, **kwargs):
    if kwargs.get("raw"):  # fixtures being loaded
        return
    maturity.recompute()
