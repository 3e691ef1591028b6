"""The one writer of imports: upserts writing only what changed, COPY for large inserts, and
the reconciliation of what vanished from a source.

Importers run in one transaction, so an `ImportFileError` raised here (something vanished but
is still referenced) leaves the database as it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager

from django.contrib.gis.geos import GEOSGeometry, Point

from .report import Counts, ImportFileError


def same_value(old, new) -> bool:
    if isinstance(old, GEOSGeometry) or isinstance(new, GEOSGeometry):
        if old is None or new is None:
            return old is new
        return old.srid == new.srid and old.equals_exact(new, tolerance=1e-9)
    return old == new


def changed_fields(obj, values: dict) -> list[str]:
    """The fields of `values` that differ from `obj`'s (geometries compared exactly)."""
    return [f for f, v in values.items() if not same_value(getattr(obj, f), v)]


def update_changed(obj, values: dict, counts: Counts | None = None) -> list[str]:
    """Set and save only the fields of `values` that changed; count it; the changed fields."""
    changed = changed_fields(obj, values)
    for f in changed:
        setattr(obj, f, values[f])
    if changed:
        obj.save(update_fields=changed)
    if counts is not None:
        if changed:
            counts.updated += 1
        else:
            counts.unchanged += 1
    return changed


def sync_rows(model, key: str | tuple[str, ...], rows: dict, counts: Counts) -> dict:
    """Create or update `model` rows keyed on `key` (a field, or a tuple of fields for a
    composite key, then `rows` is keyed on tuples), writing only changed fields.

    `rows` maps each key to its field values (use `<fk>_id` names for foreign keys).
    Returns the objects by key.
    """
    if isinstance(key, str):
        existing = model.objects.in_bulk(list(rows), field_name=key)
        key_values = lambda k: {key: k}  # noqa: E731
    else:
        first = {k[0] for k in rows}
        existing = {
            tuple(getattr(o, f) for f in key): o
            for o in model.objects.filter(**{f"{key[0]}__in": first})
        }
        key_values = lambda k: dict(zip(key, k, strict=True))  # noqa: E731
    result, new = {}, []
    for k, values in rows.items():
        obj = existing.get(k)
        if obj is None:
            obj = model(**key_values(k), **values)
            new.append(obj)
        else:
            update_changed(obj, values, counts)
        result[k] = obj
    model.objects.bulk_create(new, batch_size=1000)  # PostgreSQL gives the new ids back
    counts.created += len(new)
    return result


def remove_vanished(queryset, counts: Counts, what: str) -> int:
    """Delete the rows of `queryset` (what vanished from the source), unless something in
    the hub still refers to one of them: then the import is refused, saying which and by
    what, and nothing is deleted (the caller's transaction rolls back)."""
    referenced = references(queryset)
    if referenced:
        shown = "; ".join(
            f"{obj} ({', '.join(f'{n} {label}' for label, n in uses.items())})"
            for obj, uses in list(referenced.items())[:10]
        )
        more = f" et {len(referenced) - 10} autres" if len(referenced) > 10 else ""
        raise ImportFileError(
            None,
            f"{len(referenced)} {what} absent(e)s du fichier mais encore utilisé(e)s dans le "
            f"hub, rien n'est supprimé : {shown}{more}",
        )
    removed = queryset.delete()[1].get(queryset.model._meta.label, 0)
    counts.removed += removed
    return removed


def references(queryset) -> dict:
    """{object: {what refers to it (verbose name plural): how many}} for the objects of
    `queryset` that other rows point at (history tables aside)."""
    from django.db.models import Count

    model = queryset.model
    found: dict = {}
    for relation in model._meta.related_objects:
        related = relation.related_model
        if related._meta.model_name.startswith("historical") or relation.hidden:
            continue  # history rows, and relations without a reverse name to count through
        name = relation.field.related_query_name()
        counted = queryset.annotate(n=Count(name)).filter(n__gt=0)
        for obj in counted:
            found.setdefault(obj, {})[str(related._meta.verbose_name_plural)] = obj.n
    return found


def copy_insert(model, objs: list) -> list:
    """Insert new model instances with PostgreSQL COPY (ids taken from the table's sequence),
    and their django-simple-history "created" rows when the model keeps a history.

    Much faster than bulk_create for large imports; the instances get their ids.
    """
    from django.db import connection
    from django.utils import timezone

    if not objs:
        return objs
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(objs)],
        )
        ids = [row[0] for row in cursor.fetchall()]
    now = timezone.now()
    fields = meta.concrete_fields
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                setattr(obj, f.attname, now)
        obj._state.adding = False
    geometries: dict[int, str] = {}  # a place and its history row share one Point
    out = [(f.attname, _converter(f, geometries)) for f in fields]
    copy_rows(
        meta.db_table,
        [f.column for f in fields],
        ([convert(getattr(o, name)) for name, convert in out] for o in objs),
    )
    history = getattr(model, "history", None)
    if history is not None:
        hmeta = history.model._meta
        hfields = [f for f in hmeta.concrete_fields if f.attname != "history_id"]
        extra = {
            "history_date": now,
            "history_type": "+",
            "history_change_reason": None,
            "history_user_id": None,
        }
        hout = [(f.attname, _converter(f, geometries), f.attname in extra) for f in hfields]
        rows = (
            [extra[name] if fixed else convert(getattr(o, name)) for name, convert, fixed in hout]
            for o in objs
        )
        copy_rows(hmeta.db_table, [f.column for f in hfields], rows)
    return objs


def _converter(field, geometries: dict[int, str]):
    """How a field's value is written in COPY's text format. Arrays and geometries are written
    as PostgreSQL reads them (`{"a","b"}`, hex EWKB), a good deal cheaper than letting psycopg
    adapt hundreds of thousands of Python lists and GEOS objects one by one."""
    from django.contrib.gis.db.models import GeometryField
    from django.contrib.postgres.fields import ArrayField

    if isinstance(field, ArrayField):
        return _array_literal
    if isinstance(field, GeometryField):

        def geometry(value):
            if value is None:
                return None
            literal = geometries.get(id(value))
            if literal is None:
                literal = geometries[id(value)] = _geometry_literal(value)
            return literal

        return geometry
    return _same


def _geometry_literal(value):
    if isinstance(value, Point):  # most rows: formatted here, far cheaper than a GEOS writer
        x, y = value.coords[:2]
        return f"SRID={value.srid};POINT({x!r} {y!r})"
    return value.hexewkb.decode()


def _same(value):
    return value


def _array_literal(values):
    if values is None:
        return None
    if not values:
        return "{}"
    if None not in values:
        joined = '","'.join(map(str, values))
        if '"' not in joined and "\\" not in joined:  # the usual case: nothing to escape
            return '{"' + joined + '"}'
    return "{" + ",".join("NULL" if v is None else _quoted(str(v)) for v in values) + "}"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def copy_rows(table: str, columns: Iterable[str], rows) -> None:
    """Write `rows` (sequences in `columns`' order) into `table` with PostgreSQL COPY."""
    from django.db import connection

    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


@contextmanager
def secondary_indexes_rebuilt(table: str, keep: tuple[str, ...] = ()):
    """Drop `table`'s non-unique indexes around a bulk write and build them again after: one
    sorted build is many times faster than as many insertions (the table stays locked until
    the transaction ends, so use it inside the import's transaction). `keep` names indexes the
    bulk write itself reads."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
            "AND indexdef NOT LIKE 'CREATE UNIQUE INDEX%%'",
            [table],
        )
        indexes = [(name, sql) for name, sql in cursor.fetchall() if name not in keep]
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        # PostgreSQL builds no index on a table with foreign-key checks still pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for _, definition in indexes:
            cursor.execute(definition)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@contextmanager
def staging_table(name: str, columns: dict[str, str], rows=None):
    """A temporary table (`columns`: name → SQL type) dropped at the end of the block (or of
    the transaction), filled with `rows` by COPY when given: where large imports are checked
    and merged in SQL."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE {name} ("
            + ", ".join(f"{c} {t}" for c, t in columns.items())
            + ") ON COMMIT DROP"
        )
        if rows is not None:
            copy_rows(name, columns, rows)
            cursor.execute(f"ANALYZE {name}")
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
