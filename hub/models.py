"""What the hub keeps for every app: background jobs and scheduled imports.

A `Job` is one piece of background work a person (or beat) asked for: a coverage report, a
scheduled import, an indicator recomputation. `hub.jobs.run_job` runs it from a Celery task and
keeps its state, progress and readable error. A `ScheduledImport` is a file an administrator
imports on a schedule: an uploaded file or an https address on the allow-list (`ImportHost`),
never a path on the server; the importer is chosen among those the apps register.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


class Job(models.Model):
    """One background job: who asked, its state, its progress and what it produced."""

    class State(models.TextChoices):
        QUEUED = "queued", "en attente"
        RUNNING = "running", "en cours"
        DONE = "done", "terminé"
        FAILED = "failed", "échoué"

    kind = models.CharField("type", max_length=50)
    title = models.CharField("intitulé", max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        verbose_name="demandé par",
        related_name="hub_jobs",
    )
    state = models.CharField("état", max_length=10, choices=State.choices, default=State.QUEUED)
    progress_done = models.PositiveIntegerField("fait", default=0)
    progress_total = models.PositiveIntegerField("à faire", null=True, blank=True)
    progress_label = models.CharField("étape", max_length=200, blank=True)
    error = models.TextField("erreur", blank=True)
    report = models.TextField("rapport", blank=True)
    result = models.FileField("fichier produit", upload_to="jobs/%Y/%m/", blank=True)
    scheduled_import = models.ForeignKey(
        "ScheduledImport",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="runs",
        verbose_name="import planifié",
    )
    task_id = models.CharField("tâche Celery", max_length=255, blank=True)
    worker = models.CharField("worker", max_length=255, blank=True)
    created_at = models.DateTimeField("demandé le", auto_now_add=True)
    started_at = models.DateTimeField("commencé le", null=True, blank=True)
    heartbeat_at = models.DateTimeField("dernier signe de vie", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)

    class Meta:
        verbose_name = "traitement en arrière-plan"
        verbose_name_plural = "traitements en arrière-plan"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "heartbeat_at"], name="job_state_heartbeat")]

    def __str__(self):
        return f"{self.title or self.kind} ({self.get_state_display()})"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def percent(self) -> int:
        """Progress as a whole percentage, for a progress bar."""
        if self.state == self.State.DONE:
            return 100
        if not self.progress_total:
            return 0
        return max(0, min(100, 100 * self.progress_done // self.progress_total))

    def status(self) -> dict:
        """What a waiting page polls: state, label, percentage, step and error."""
        return {
            "status": self.state,
            "status_label": self.get_state_display(),
            "progress": self.percent,
            "step": self.progress_label,
            "error": self.error,
        }


class ImportHost(models.Model):
    """A host scheduled imports may download from (the allow-list kept by administrators)."""

    host = models.CharField(
        "nom d’hôte",
        max_length=253,
        unique=True,
        help_text="par exemple : static.data.gouv.fr (sans https:// ni chemin)",
    )
    note = models.CharField("remarque", max_length=300, blank=True)

    class Meta:
        verbose_name = "hôte autorisé pour les imports"
        verbose_name_plural = "hôtes autorisés pour les imports"
        ordering = ["host"]

    def __str__(self):
        return self.host

    def clean(self):
        from .downloads import normalise_host

        try:
            self.host = normalise_host(self.host)
        except ValueError as exc:
            raise ValidationError({"host": str(exc)}) from exc


class ScheduledImport(models.Model):
    """A file imported on a schedule by Celery beat; each run is a `Job` with its report."""

    name = models.CharField("nom de la source", max_length=200, unique=True)
    importer = models.CharField("type d’import", max_length=50)
    file = models.FileField(
        "fichier déposé", upload_to="imports/", blank=True, help_text="ou une adresse https"
    )
    url = models.CharField(
        "adresse https",
        max_length=500,
        blank=True,
        help_text="https://… sur un hôte autorisé (« Hôtes autorisés pour les imports »)",
    )
    options = models.JSONField(
        "options de l’import",
        default=dict,
        blank=True,
        help_text='par exemple {"kind": "ftth_communes"} pour un fichier ARCEP',
    )
    enabled = models.BooleanField("active", default=True)
    schedule = models.ForeignKey(
        "django_celery_beat.CrontabSchedule",
        models.PROTECT,
        verbose_name="planification",
        help_text="par exemple : tous les lundis à 6 h",
    )
    periodic_task = models.OneToOneField(
        "django_celery_beat.PeriodicTask", models.SET_NULL, null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = "import planifié"
        verbose_name_plural = "imports planifiés"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        from .scheduling import schedule

        super().save(*args, **kwargs)
        schedule(self, "Import planifié", "hub.run_scheduled_import")

    def clean(self):
        from . import scheduling

        errors = scheduling.check_scheduled_import(self)
        if errors:
            raise ValidationError(errors)

    @property
    def last_run(self):
        return self.runs.order_by("-created_at").first()


class DataVersion(models.Model):
    """The version of one kind of data behind the map layers (hub/caching.py): rewritten in
    the same transaction as the change, so a layer's ETag never outlives the data it drew."""

    topic = models.CharField("données", max_length=50, primary_key=True)
    version = models.CharField("version", max_length=32)
    changed_at = models.DateTimeField("modifiées le", auto_now=True)

    class Meta:
        verbose_name = "version des données"
        verbose_name_plural = "versions des données"

    def __str__(self):
        return f"{self.topic} : {self.version}"
