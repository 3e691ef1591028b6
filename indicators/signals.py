"""What the hub's data changes ask of the indicators: a debounced recomputation of the
communes concerned (all of France when a rule or an import may touch any of them)."""

from django.db.models.signals import post_delete, post_save, pre_save

from actors.models import Offer, Place
from equipment.models import (
    CensusAnswer,
    Deployment,
    Loan,
    MaturityCriterion,
    MaturityLevel,
    School,
)
from hub.management.importing import import_finished
from hub.models import Job

from .tasks import JOB_KIND, request_recompute


def _commune_of_place(place) -> set[str]:
    codes = {place.commune.code} if place.commune_id else set()
    return codes | set(getattr(place, "_indicators_previous_communes", ()))


def place_moved(sender, instance, raw=False, **kwargs):
    """Remember a place's commune before it changes: both communes are recomputed."""
    if raw or not instance.pk:
        return
    previous = Place.objects.filter(pk=instance.pk).values_list("commune__code", flat=True)
    instance._indicators_previous_communes = [code for code in previous if code]


def place_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        request_recompute(_commune_of_place(instance))


def offer_changed(sender, instance, raw=False, **kwargs):
    if not raw and instance.place_id:
        place = Place.objects.filter(pk=instance.place_id).values_list("commune__code", flat=True)
        request_recompute(list(place))


def school_data_changed(sender, instance, raw=False, **kwargs):
    """A census answer, a deployment or a school: its commune."""
    if raw:
        return
    school = instance if isinstance(instance, School) else getattr(instance, "school", None)
    if school is None and isinstance(instance, Loan):
        pool = instance.pool
        school = pool.school
        if school is None and pool.structure_id:
            codes = pool.structure.places.values_list("commune__code", flat=True)
            return request_recompute(list(codes))
    if school is not None:
        request_recompute([school.commune.code] if school.commune_id else [school.commune_code])


def rules_changed(sender, raw=False, **kwargs):
    if not raw:
        request_recompute(None)


def import_finished_as_job(sender, instance, raw=False, **kwargs):
    """An import run as a job (scheduled or asked by an administrator) may touch any commune."""
    if raw or instance.kind == JOB_KIND or instance.state != Job.State.DONE:
        return
    if instance.scheduled_import_id:
        request_recompute(None)


def import_command_finished(sender, **kwargs):
    """An import command (coverage, places, schools, territory…) wrote something."""
    request_recompute(None)


def connect():
    uid = "indicators"
    pre_save.connect(place_moved, sender=Place, dispatch_uid=f"{uid}-place-moved")
    for signal in (post_save, post_delete):
        name = signal is post_save and "save" or "delete"
        signal.connect(place_changed, sender=Place, dispatch_uid=f"{uid}-place-{name}")
        signal.connect(offer_changed, sender=Offer, dispatch_uid=f"{uid}-offer-{name}")
        for model in (CensusAnswer, Deployment, Loan, School):
            signal.connect(
                school_data_changed, sender=model, dispatch_uid=f"{uid}-{model.__name__}-{name}"
            )
        for model in (MaturityLevel, MaturityCriterion):
            signal.connect(
                rules_changed, sender=model, dispatch_uid=f"{uid}-{model.__name__}-{name}"
            )
    post_save.connect(import_finished_as_job, sender=Job, dispatch_uid=f"{uid}-import-job")
    import_finished.connect(import_command_finished, dispatch_uid=f"{uid}-import-command")
