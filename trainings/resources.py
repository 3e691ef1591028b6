"""The resources library's domain: faceted, accent-insensitive search (PostgreSQL's French
full-text search on unaccented words, `hub_french`), checks of an uploaded file, proposal and
moderation, readers' ratings and reports. Pages and the API both call these functions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django import forms
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify

from .models import Rating, Resource, ResourceReport, Theme
from .models.resources import SEARCH_CONFIG

# Uploads: at most this many bytes, of these kinds only (told by their first bytes as well as
# their name: a page or a script renamed .pdf is refused). Never HTML or SVG, which would run
# in a reader's browser.
MAX_FILE_BYTES = 10 * 1024 * 1024
ZIP = b"PK\x03\x04"
FILE_TYPES = {
    # extension: (content type served, what the file starts with)
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".odt": ("application/vnd.oasis.opendocument.text", (ZIP,)),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", (ZIP,)),
    ".odp": ("application/vnd.oasis.opendocument.presentation", (ZIP,)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (ZIP,),
    ),
    ".pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        (ZIP,),
    ),
    ".epub": ("application/epub+zip", (ZIP,)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}
ALLOWED_LABEL = "PDF, ODT, ODS, ODP, DOCX, PPTX, EPUB, PNG ou JPEG"
PAGE_SIZE = 12


def check_upload(upload) -> str:
    """The extension of an acceptable upload; a French ValidationError otherwise."""
    megabytes = MAX_FILE_BYTES // (1024 * 1024)
    if upload.size > MAX_FILE_BYTES:
        raise ValidationError(
            f"Fichier trop volumineux ({upload.size / 1024 / 1024:.1f} Mo) : {megabytes} Mo au plus."
        )
    extension = Path(upload.name).suffix.lower()
    if extension not in FILE_TYPES:
        raise ValidationError(
            f"Type de fichier refusé ({extension or 'sans extension'}) : {ALLOWED_LABEL} seulement."
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(FILE_TYPES[extension][1]):
        raise ValidationError(
            f"Le contenu du fichier ne correspond pas à son extension {extension} : "
            f"{ALLOWED_LABEL} seulement."
        )
    return extension.lstrip(".")


def content_type(resource: Resource) -> str:
    return FILE_TYPES.get(f".{resource.file_type}", ("application/octet-stream",))[0]


# Addresses of the library's own pages (resources/urls.py), never a resource's.
RESERVED_SLUGS = {"proposer", "moderation", "collections", "signalements"}


def unique_slug(title: str, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:70] or "ressource"
    slug, n = base, 1
    taken = Resource.objects.exclude(pk=exclude_pk)
    while slug in RESERVED_SLUGS or taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


# Search ------------------------------------------------------------------------------------------


class ChoicesFilter(forms.MultipleChoiceField):
    """A facet's checkboxes; values not offered are ignored (a stale or hand-typed address
    still answers), never an error."""

    widget = forms.CheckboxSelectMultiple

    def clean(self, value):
        offered = {str(key) for key, _ in self.choices}
        return [v for v in (value or []) if v in offered]


class SearchForm(forms.Form):
    """The library's criteria, read from the address (GET): the same for pages and API."""

    q = forms.CharField(label="Rechercher une ressource", required=False, max_length=200)
    type = ChoicesFilter(label="Type", choices=Resource.Kind.choices, required=False)
    public = ChoicesFilter(
        label="Grand public", choices=Resource.PublicAudience.choices, required=False
    )
    pro = ChoicesFilter(
        label="Professionnels", choices=Resource.ProfessionalAudience.choices, required=False
    )
    theme = ChoicesFilter(label="Thème", required=False)
    licence = ChoicesFilter(label="Licence", choices=Resource.Licence.choices, required=False)
    niveau = ChoicesFilter(label="Niveau de langue", choices=Resource.Level.choices, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = list(Theme.objects.values_list("slug", "name"))

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].replace("\x00", "").split())


# Facet name → (the filter it applies, how its counts are read).
FACETS = ["type", "public", "pro", "theme", "licence", "niveau"]


def _facet_filter(name: str, values: list[str]) -> Q:
    if name == "type":
        return Q(kind__in=values)
    if name == "public":
        return Q(public_audiences__overlap=values)
    if name == "pro":
        return Q(professional_audiences__overlap=values)
    if name == "theme":
        return Q(
            pk__in=Resource.themes.through.objects.filter(theme__slug__in=values).values(
                "resource_id"
            )
        )
    if name == "licence":
        return Q(licence__in=values)
    return Q(level__in=values)


def _counts(name: str, resources: QuerySet, choices) -> dict[str, int]:
    """How many of `resources` each value of the facet `name` would keep."""
    if name in ("public", "pro"):
        column = "public_audiences" if name == "public" else "professional_audiences"
        return resources.aggregate(
            **{
                str(key): Count("pk", filter=Q(**{f"{column}__contains": [key]}))
                for key, _ in choices
            }
        )
    if name == "theme":
        rows = (
            Theme.objects.filter(resources__in=resources)
            .values("slug")
            .annotate(n=Count("resources", distinct=True))
        )
        return {row["slug"]: row["n"] for row in rows}
    column = {"type": "kind", "licence": "licence", "niveau": "level"}[name]
    rows = resources.order_by().values(column).annotate(n=Count("pk"))
    return {row[column]: row["n"] for row in rows}


@dataclass
class Facet:
    name: str
    label: str
    options: list[dict] = field(default_factory=list)  # value, label, count, checked

    @property
    def active(self) -> bool:
        return any(o["checked"] for o in self.options)


@dataclass
class Search:
    resources: QuerySet
    facets: list[Facet]
    text: str
    active: list[tuple[str, str, str]]  # (facet name, value, label) of the chosen criteria


def matching(resources: QuerySet, text: str) -> QuerySet:
    """`resources` matching the words of `text` (French stems, accents ignored; a word being
    typed counts as a beginning: "cyber" finds "cyberharcèlement"), best first. Quotes and
    "-word" keep their web-search meaning (an exact phrase, a word excluded)."""
    if not text:
        return resources.order_by("-published_at", "title", "pk")
    query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
    words = re.findall(r"\w+", text)
    if words and '"' not in text and not re.search(r"(^|\s)-", text):
        beginnings = " & ".join(f"{word}:*" for word in words)
        query |= SearchQuery(beginnings, config=SEARCH_CONFIG, search_type="raw")
    return (
        resources.filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "-published_at", "title", "pk")
    )


def search(data: dict, base: QuerySet | None = None) -> Search:
    """Published resources (or `base`) matching the cleaned SearchForm `data`; each facet's
    counts are those of the results under the other facets' criteria (values within a facet
    widen, facets narrow)."""
    base = Resource.objects.published() if base is None else base
    text = data.get("q", "")
    found = matching(base, text)
    chosen = {name: data.get(name) or [] for name in FACETS}
    filters = {name: _facet_filter(name, values) for name, values in chosen.items() if values}
    results = found
    for condition in filters.values():
        results = results.filter(condition)
    form = SearchForm()
    facets, active = [], []
    for name in FACETS:
        others = found
        for other, condition in filters.items():
            if other != name:
                others = others.filter(condition)
        choices = form.fields[name].choices
        counts = _counts(name, others.order_by(), choices)
        facet = Facet(name, form.fields[name].label)
        for value, label in choices:
            checked = value in chosen[name]
            if counts.get(value) or checked:
                facet.options.append(
                    {
                        "value": value,
                        "label": label,
                        "count": counts.get(value, 0),
                        "checked": checked,
                    }
                )
            if checked:
                active.append((name, value, label))
        if facet.options:
            facets.append(facet)
    return Search(results, facets, text, active)


def with_feedback(resources: QuerySet) -> QuerySet:
    """Resources with their readers' mean usefulness and number of ratings."""
    return resources.annotate(
        rating_mean=Avg("ratings__value"), rating_count=Count("ratings", distinct=True)
    )


# Contribution and moderation ---------------------------------------------------------------------


def propose(resource: Resource, user) -> Resource:
    """Save a new proposal: a contributor's resource waits for a moderator; a moderator's own is
    published at once."""
    from .resource_rules import is_hub_admin

    resource.contributor = user
    resource.slug = resource.slug or unique_slug(resource.title)
    if is_hub_admin(user):
        resource.state, resource.published_at = Resource.State.PUBLISHED, timezone.now()
    else:
        resource.state = Resource.State.PROPOSED
    resource.save()
    return resource


def moderate(resource: Resource, publish: bool) -> Resource:
    """Publish or withdraw a resource (published_at kept from its first publication)."""
    resource.state = Resource.State.PUBLISHED if publish else Resource.State.WITHDRAWN
    if publish and resource.published_at is None:
        resource.published_at = timezone.now()
    resource.save(update_fields=["state", "published_at", "updated_at"])
    return resource


def rate(resource: Resource, value: int, *, user=None, session_key: str = "") -> bool:
    """Record a reader's usefulness rating (1–4); a second rating by the same reader replaces
    the first. Returns True when it is the reader's first."""
    reader = {"user": user} if user is not None else {"user": None, "session_key": session_key}
    try:
        with transaction.atomic():
            _, created = Rating.objects.update_or_create(
                resource=resource, **reader, defaults={"value": value}
            )
    except IntegrityError:  # the same reader, twice at once: the other request won
        return False
    return created


def resolve_report(report: ResourceReport, user) -> bool:
    """Mark an open report treated; False when it already was."""
    return bool(
        ResourceReport.objects.filter(pk=report.pk, status=ResourceReport.Status.OPEN).update(
            status=ResourceReport.Status.RESOLVED, resolved_by=user, resolved_at=timezone.now()
        )
    )
