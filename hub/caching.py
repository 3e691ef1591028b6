"""HTTP caching of map and territory layers, keyed on a version of the data behind them.

Each kind of data (a "topic": the territory's outlines, fibre coverage…) has a version, a row
of `DataVersion` rewritten in the same transaction as the change: when an import writes
something (`import_finished`, an import run as a job, the demo loader), at each `migrate` (a
deployment may draw layers differently) and when a model an app
declares under the topic is saved or deleted. Apps declare
`hub_data_topics = [("territory", "cartography.Commune"), …]` in their `AppConfig`.

`@layer_cache(*topics)` on a view answers with an `ETag` made of that version and the request,
`304 Not Modified` when the browser already has it, and, for public layers, keeps the body in
the cache so the next person asking for the same layer gets it without building it again.
"""

import gzip
import hashlib
import uuid
from functools import partial, wraps

import brotli
from django.apps import apps
from django.core.cache import cache
from django.db import connections
from django.db.models.signals import post_delete, post_migrate, post_save
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

from .management.importing import import_finished
from .registry import collect

EVERYTHING = "*"  # an import may touch any topic
BODY_KEY = "hub:layer:v2:{}"
BODY_SECONDS = 24 * 3600
# A body larger than this is answered but not kept (Redis holds the département layers).
BODY_MAX_BYTES = 4_000_000


def data_version(*topics: str) -> str:
    """The current version of `topics`' data, imports included."""
    from .models import DataVersion

    names = [EVERYTHING, *topics]
    versions = dict(DataVersion.objects.filter(topic__in=names).values_list("topic", "version"))
    for name in set(names) - versions.keys():
        # A random first version: another database (or a test's) never shares a cached layer.
        versions[name] = DataVersion.objects.get_or_create(
            topic=name, defaults={"version": uuid.uuid4().hex}
        )[0].version
    return "-".join(versions[name] for name in names)


def bump(*topics: str, using: str = "default") -> None:
    """Give `topics` (every topic, without argument) a new version."""
    from .models import DataVersion

    for name in topics or (EVERYTHING,):
        DataVersion.objects.using(using).update_or_create(
            topic=name, defaults={"version": uuid.uuid4().hex}
        )


def layer_cache(*topics: str, shared: bool = True):
    """Decorate a view answering GET with a layer drawn from `topics`' data. `shared`: the
    answer is the same for everyone (public data); otherwise the ETag also names the user and
    nothing is kept on the server. On a DRF view, decorate its handlers (`list`, `retrieve`,
    `get`): they run after its permissions and throttles."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            scope = "" if shared else f"user:{request.user.pk}"
            parts = [data_version(*topics), request.get_full_path(), scope]
            parts.append(request.META.get("HTTP_ACCEPT", ""))
            digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
            etag = f'W/"{digest}"'  # weak: the same for the gzipped and the plain answer
            response = get_conditional_response(request, etag=etag)
            if response is None and shared and (kept := cache.get(BODY_KEY.format(digest))):
                response = _kept_answer(request, *kept)
            if response is None:
                response = view(request, *args, **kwargs)
                if response.status_code != 200:
                    return response
                if shared:
                    keep = partial(_keep, BODY_KEY.format(digest))
                    if getattr(response, "is_rendered", True):
                        keep(response)
                    else:  # a DRF or template response, rendered on its way out
                        response.add_post_render_callback(keep)
            response["ETag"] = etag
            # Kept by the browser, asked again each time: the answer is 304 until the data change.
            patch_cache_control(response, max_age=0, must_revalidate=True)
            patch_cache_control(response, **({"public": True} if shared else {"private": True}))
            return response

        return wrapped

    return decorator


def _keep(key: str, response) -> None:
    """Keep a layer's body, compressed too, once: Brotli and gzip (for the browsers without it)."""
    content = response.content
    if len(content) <= BODY_MAX_BYTES:
        # 10: a third lighter than gzip in 0.2 s for a département's communes (11: 5 % lighter
        # still, three times slower); a national layer gets a quicker pass.
        quality = 10 if len(content) < 1_000_000 else 5
        compressed = {
            "br": brotli.compress(content, quality=quality),
            "gzip": gzip.compress(content, 6),
        }
        cache.set(key, (content, response["Content-Type"], compressed), BODY_SECONDS)


def _kept_answer(request, content: bytes, content_type: str, compressed: dict) -> HttpResponse:
    """A kept layer, compressed as the browser accepts it (public data: no secret to guess)."""
    accepted = {
        e.split(";")[0].strip() for e in request.META.get("HTTP_ACCEPT_ENCODING", "").split(",")
    }
    encoding = next((e for e in ("br", "gzip") if e in accepted), None)
    response = HttpResponse(
        compressed[encoding] if encoding else content, content_type=content_type
    )
    if encoding:
        response["Content-Encoding"] = encoding
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def _bump_for(topic: str):
    def receiver(sender, raw=False, **kwargs):
        if not raw:
            bump(topic)

    return receiver


def _import_job_done(sender, instance, raw=False, **kwargs):
    if not raw and instance.kind == "import" and instance.state == instance.State.DONE:
        bump()


def _import_finished(sender, **kwargs):
    bump()


def _migrated(sender, using="default", **kwargs):
    """Every deployment migrates: a new version of the code may draw layers differently."""
    from .models import DataVersion

    if DataVersion._meta.db_table in connections[using].introspection.table_names():
        bump(using=using)


_receivers = []  # signals hold their receivers weakly


def connect() -> None:
    """Bump versions when the data change (called once, from the hub's AppConfig.ready)."""
    from .models import Job

    for topic, label in collect("hub_data_topics"):
        model = apps.get_model(label)
        receiver = _bump_for(topic)
        _receivers.append(receiver)
        for signal in (post_save, post_delete):
            signal.connect(receiver, sender=model, dispatch_uid=f"caching-{topic}-{label}-{signal}")
    post_save.connect(_import_job_done, sender=Job, dispatch_uid="caching-job")
    post_migrate.connect(
        _migrated, sender=apps.get_app_config("hub"), dispatch_uid="caching-migrate"
    )
    import_finished.connect(_import_finished, dispatch_uid="caching-import")
