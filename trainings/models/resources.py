"""The resources library: guides, sheets, videos, curated collections, readers' feedback.

A resource is proposed by a médiateur or DSDEN staff, published or withdrawn by hub
administrators. Its search vector (French with unaccent, `hub_french` created in the migration)
is a column PostgreSQL computes from the title and summary, with a GIN index."""

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete, pre_save
from django.dispatch import receiver
from django.utils.text import slugify

from hub.collation import FRENCH
from hub.links import http_url_validator

__all__ = [
    "Collection",
    "CollectionItem",
    "Rating",
    "Resource",
    "ResourceQuerySet",
    "ResourceReport",
    "ResourceReportQuerySet",
]

# The text search configuration of the library: French stemming on unaccented words.
SEARCH_CONFIG = "hub_french"


def resource_file_path(resource, filename: str) -> str:
    """A stored name the uploader does not choose: a random folder, the name slugified."""
    name = Path(filename)
    stem = slugify(name.stem)[:60] or "fichier"
    return f"ressources/{uuid.uuid4().hex}/{stem}{name.suffix.lower()[:6]}"


class ResourceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=Resource.State.PUBLISHED)

    def visible_to(self, user):
        """What `user` may open: published resources; their own proposals; everything for hub
        administrators (the moderators)."""
        from accounts.rules import is_hub_admin

        if is_hub_admin(user):
            return self
        if user.is_authenticated:
            return self.filter(Q(state=Resource.State.PUBLISHED) | Q(contributor=user))
        return self.published()


class Resource(models.Model):
    """A guide, a sheet, a video… for the public or for professionals, a file or a link."""

    class Kind(models.TextChoices):
        GUIDE = "guide", "guide"
        SHEET = "fiche", "fiche pratique"
        VIDEO = "video", "vidéo"
        EXERCISE = "exercice", "exercice"
        MILESTONES = "reperes", "repères par âge"
        WORKSHOP_KIT = "support", "support d’atelier"

    # Who reads it: the public on one side, professionals on the other (Les Bases' split).
    class PublicAudience(models.TextChoices):
        PARENTS = "parents", "parents"
        YOUNG = "jeunes", "jeunes"
        SENIORS = "seniors", "seniors"
        EVERYONE = "tout_public", "tout public"

    class ProfessionalAudience(models.TextChoices):
        TEACHERS = "enseignants", "enseignants"
        MEDIATEURS = "mediateurs", "médiateurs numériques"
        EDUCATORS = "educateurs", "éducateurs"

    class Licence(models.TextChoices):
        ETALAB = "lo-2.0", "Licence Ouverte 2.0 (Etalab)"
        CC_BY = "cc-by-4.0", "CC BY 4.0"
        CC_BY_SA = "cc-by-sa-4.0", "CC BY-SA 4.0"
        CC_BY_NC_SA = "cc-by-nc-sa-4.0", "CC BY-NC-SA 4.0"
        CC_BY_NC_ND = "cc-by-nc-nd-4.0", "CC BY-NC-ND 4.0"
        RESERVED = "reserves", "tous droits réservés"

    class Level(models.TextChoices):
        FALC = "falc", "facile à lire et à comprendre (FALC)"
        STANDARD = "courant", "langage courant"

    class State(models.TextChoices):
        PROPOSED = "proposee", "proposée"
        PUBLISHED = "publiee", "publiée"
        WITHDRAWN = "retiree", "retirée"

    title = models.CharField("titre", max_length=200, db_collation=FRENCH)
    slug = models.SlugField("identifiant", max_length=80, unique=True)
    summary = models.TextField("résumé", max_length=2000)
    kind = models.CharField("type", max_length=10, choices=Kind.choices)
    public_audiences = ArrayField(
        models.CharField(max_length=20, choices=PublicAudience.choices),
        verbose_name="publics (grand public)",
        default=list,
        blank=True,
    )
    professional_audiences = ArrayField(
        models.CharField(max_length=20, choices=ProfessionalAudience.choices),
        verbose_name="publics (professionnels)",
        default=list,
        blank=True,
    )
    themes = models.ManyToManyField(
        "trainings.Theme", related_name="resources", blank=True, verbose_name="thèmes"
    )
    licence = models.CharField("licence", max_length=20, choices=Licence.choices)
    level = models.CharField(
        "niveau de langue", max_length=10, choices=Level.choices, default=Level.STANDARD
    )
    publisher = models.CharField("auteur ou éditeur", max_length=200, blank=True)
    file = models.FileField("fichier", upload_to=resource_file_path, blank=True, max_length=200)
    file_type = models.CharField("type du fichier", max_length=10, blank=True, editable=False)
    url = models.URLField(
        "lien", max_length=500, blank=True, validators=[http_url_validator]
    )  # http(s) only: shown as a link to every reader
    trainings = models.ManyToManyField(
        "trainings.Training", related_name="resources", blank=True, verbose_name="formations"
    )
    contributor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_resources",
        verbose_name="proposée par",
    )
    state = models.CharField("état", max_length=10, choices=State.choices, default=State.PROPOSED)
    is_demo = models.BooleanField("démonstration", default=False)
    created_at = models.DateTimeField("proposée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    published_at = models.DateTimeField("publiée le", null=True, blank=True)
    search_vector = models.GeneratedField(
        expression=SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", "publisher", weight="B", config=SEARCH_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = ResourceQuerySet.as_manager()

    class Meta:
        verbose_name = "ressource"
        ordering = ["-published_at", "title"]
        indexes = [
            GinIndex(fields=["search_vector"], name="resource_search"),
            models.Index(fields=["state", "published_at"], name="resource_state"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url=""), name="resource_file_or_link"
            ),
        ]
        permissions = [("moderate_resource", "Peut publier ou retirer une ressource")]

    def __str__(self):
        return self.title

    @property
    def audiences_label(self) -> str:
        public = [self.PublicAudience(v).label for v in self.public_audiences]
        pros = [self.ProfessionalAudience(v).label for v in self.professional_audiences]
        return ", ".join(public + pros)


def _remove_file(name: str) -> None:
    """Remove a stored file once the change that let it go is committed."""
    if name:
        storage = Resource._meta.get_field("file").storage
        transaction.on_commit(lambda: storage.delete(name))


# A replaced or deleted resource's file leaves the storage with it (no orphan files).
@receiver(pre_save, sender=Resource, dispatch_uid="resource_file_replaced")
def _file_replaced(sender, instance, **kwargs):
    if instance.pk:
        old = Resource.objects.filter(pk=instance.pk).values_list("file", flat=True).first()
        if old and old != instance.file.name:
            _remove_file(old)


@receiver(post_delete, sender=Resource, dispatch_uid="resource_file_deleted")
def _file_deleted(sender, instance, **kwargs):
    _remove_file(instance.file.name)


class Collection(models.Model):
    """A curated, ordered selection: a parents' kit, repères by age, a teachers' starter pack."""

    title = models.CharField("titre", max_length=200, db_collation=FRENCH)
    slug = models.SlugField("identifiant", max_length=80, unique=True)
    summary = models.TextField("présentation", max_length=2000)
    published = models.BooleanField("publiée", default=True)
    is_demo = models.BooleanField("démonstration", default=False)
    resources = models.ManyToManyField(
        Resource, through="CollectionItem", related_name="collections", verbose_name="ressources"
    )

    class Meta:
        verbose_name = "collection"
        ordering = ["title"]

    def __str__(self):
        return self.title


class CollectionItem(models.Model):
    collection = models.ForeignKey(Collection, models.CASCADE, related_name="items")
    resource = models.ForeignKey(Resource, models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "ressource de la collection"
        verbose_name_plural = "ressources de la collection"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "resource"], name="collection_item_once")
        ]

    def __str__(self):
        return f"{self.position}. {self.resource_id}"


class Rating(models.Model):
    """How useful a reader found a resource, 1 to 4; one per reader (an account, or an
    anonymous session)."""

    class Value(models.IntegerChoices):
        USELESS = 1, "pas utile"
        SOMEWHAT = 2, "peu utile"
        USEFUL = 3, "utile"
        VERY = 4, "très utile"

    resource = models.ForeignKey(Resource, models.CASCADE, related_name="ratings")
    value = models.PositiveSmallIntegerField(
        "utilité",
        choices=Value.choices,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, null=True, blank=True, related_name="+"
    )
    session_key = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "avis d’utilité"
        verbose_name_plural = "avis d’utilité"
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=1, value__lte=4), name="rating_1_to_4"),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(session_key=""), name="rating_has_reader"
            ),
            models.UniqueConstraint(
                fields=["resource", "user"],
                condition=Q(user__isnull=False),
                name="rating_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["resource", "session_key"],
                condition=Q(user__isnull=True),
                name="rating_once_per_session",
            ),
        ]

    def __str__(self):
        return f"{self.resource_id} : {self.value}/4"


class ResourceReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Reports are read by the moderators (hub administrators) only."""
        from accounts.rules import is_hub_admin

        return self if is_hub_admin(user) else self.none()


class ResourceReport(models.Model):
    """ "Signaler un problème" on a resource, stored in the moderators' queue."""

    class Kind(models.TextChoices):
        BROKEN = "lien", "Le lien ou le fichier ne fonctionne pas"
        OUTDATED = "obsolete", "Le contenu est dépassé"
        WRONG = "erreur", "Le contenu contient une erreur"
        UNSUITABLE = "inadapte", "Le contenu est inapproprié"
        OTHER = "autre", "Autre chose"

    class Status(models.TextChoices):
        OPEN = "open", "à traiter"
        RESOLVED = "resolved", "traité"

    resource = models.ForeignKey(Resource, models.CASCADE, related_name="reports")
    kind = models.CharField("problème", max_length=10, choices=Kind.choices)
    message = models.TextField("précisions", max_length=2000, blank=True)
    email = models.EmailField("adresse électronique du signalant", blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField("état", max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField("signalé le", auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="traité par",
    )
    resolved_at = models.DateTimeField("traité le", null=True, blank=True)

    objects = ResourceReportQuerySet.as_manager()

    class Meta:
        verbose_name = "signalement sur une ressource"
        verbose_name_plural = "signalements sur les ressources"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.resource} : {self.get_kind_display()}"
