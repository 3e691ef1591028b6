"""A small toolkit every importer uses: tolerant readers, precise errors, reports, upserts.

Readers sniff the encoding (UTF-8 with or without BOM, Windows-1252) and the separator, and
raise `ImportFileError` naming the file, the line and the reason. Importers run in one
transaction, so such an error leaves the database as it was.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.gis.geos import GEOSGeometry, Point

SEPARATORS = (",", ";", "\t", "|")

Progress = Callable[[Iterable, str, int | None], Iterable]


def no_progress(iterable: Iterable, description: str = "", total: int | None = None) -> Iterable:
    return iterable


class ImportFileError(Exception):
    """A file that cannot be imported; says where and why, in French for the person importing."""

    def __init__(self, path, reason: str, line: int | None = None, column: str | None = None):
        self.path = Path(path)
        self.reason = reason
        self.line = line
        self.column = column
        super().__init__(str(self))

    def __str__(self):
        where = [self.path.name]
        if self.line is not None:
            where.append(f"ligne {self.line}")
        if self.column:
            where.append(f"colonne « {self.column} »")
        return f"{', '.join(where)} : {self.reason}"


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    def __str__(self):
        text = f"{self.created} créé(s), {self.updated} mis à jour, {self.unchanged} inchangé(s)"
        return text + (f", {self.removed} supprimé(s)" if self.removed else "")


@dataclass
class Rejection:
    line: int | str
    field: str
    reason: str

    def __str__(self):
        where = f"ligne {self.line}" if isinstance(self.line, int) else str(self.line)
        return f"{where}, champ « {self.field} » : {self.reason}"


@dataclass
class ImportReport:
    """What an import did, per kind of object, and what it noticed."""

    title: str
    counts: dict[str, Counts] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    notes: dict[str, int] = field(default_factory=dict)

    def reject(self, line, field_name: str, reason: str) -> None:
        self.rejections.append(Rejection(line, field_name, reason))

    def note(self, label: str, n: int = 1) -> None:
        """Count something worth saying that is not a create/update (merged, queued, mapped…)."""
        self.notes[label] = self.notes.get(label, 0) + n

    def count(self, label: str) -> Counts:
        return self.counts.setdefault(label, Counts())

    def warn(self, message: str, path=None, line: int | None = None) -> None:
        parts = [Path(path).name] if path is not None else []
        if line is not None:
            parts.append(f"ligne {line}" if isinstance(line, int) else str(line))
        where = ", ".join(parts) + " : " if parts else ""
        self.warnings.append(where + message)

    @property
    def created(self) -> int:
        return sum(c.created for c in self.counts.values())

    @property
    def updated(self) -> int:
        return sum(c.updated for c in self.counts.values())

    def lines(self) -> list[str]:
        out = [f"{self.title} :"]
        out += [f"  {label} : {counts}" for label, counts in self.counts.items()]
        out += [f"  {label} : {n}" for label, n in self.notes.items()]
        if self.rejections:
            out.append(f"  {len(self.rejections)} rejet(s)")
            out += [f"  - {r}" for r in self.rejections]
        out.append(f"  {len(self.warnings)} avertissement(s)")
        out += [f"  - {w}" for w in self.warnings]
        return out

    def as_dict(self) -> dict:
        return {
            "title": self.title,
            "counts": {label: vars(c) for label, c in self.counts.items()},
            "notes": self.notes,
            "rejections": [vars(r) for r in self.rejections],
            "warnings": self.warnings,
        }


def read_text(path) -> str:
    """The file's text: UTF-8 (BOM or not), else Windows-1252; anything else is refused."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(path, f"fichier illisible ({exc.strerror})") from exc
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise ImportFileError(
            path, "octet nul : fichier binaire ou encodé en UTF-16, attendu UTF-8", line=line
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            line = raw[: utf8_error.start].count(b"\n") + 1
            raise ImportFileError(
                path, "encodage illisible : ni UTF-8 ni Windows-1252", line=line
            ) from utf8_error
        return text


def _normalise(name: str) -> str:
    return name.strip().strip('"').upper()


def iter_csv(path, required: Iterable[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a delimited file as (line number, {UPPER-CASE column: text}).

    The separator is the one among `SEPARATORS` that makes the header hold every required
    column. A row whose field count differs from the header's is an error (a truncated file or
    a wrong separator), never guessed at.
    """
    path = Path(path)
    text = read_text(path)
    required = [_normalise(c) for c in required]
    first_line = text.split("\n", 1)[0]
    separator = next(
        (
            sep
            for sep in SEPARATORS
            if set(required) <= {_normalise(c) for c in first_line.split(sep)}
        ),
        None,
    )
    if separator is None:
        found = max(SEPARATORS, key=first_line.count)
        header = [_normalise(c) for c in first_line.split(found)]
        missing = [c for c in required if c not in header]
        raise ImportFileError(
            path,
            f"colonnes attendues absentes de l'en-tête : {', '.join(missing)} "
            f"(séparateur vu : « {found} », en-tête lu : {', '.join(header[:8])}…)",
            line=1,
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    header = [_normalise(c) for c in next(reader)]
    for row in reader:
        if not row or row == [""]:
            continue
        if len(row) != len(header):
            raise ImportFileError(
                path,
                f"{len(row)} champ(s) au lieu de {len(header)} "
                f"(ligne tronquée ou séparateur autre que « {separator} »)",
                line=reader.line_num,
            )
        yield reader.line_num, dict(zip(header, (v.strip() for v in row), strict=True))


def iter_xlsx(path, required: Iterable[str]) -> Iterator[tuple[int, dict[str, object]]]:
    """Rows of the first sheet of a workbook as (row number, {UPPER-CASE column: value})."""
    from openpyxl import load_workbook

    path = Path(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(
            path, f"classeur XLSX illisible (fichier tronqué ou d'un autre format) : {exc}"
        ) from exc
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = [_normalise(str(c or "")) for c in next(rows, ())]
        missing = [c for c in (_normalise(r) for r in required) if c not in header]
        if missing:
            raise ImportFileError(
                path, f"colonnes attendues absentes de l'en-tête : {', '.join(missing)}", line=1
            )
        for number, row in enumerate(rows, start=2):
            if not any(v not in (None, "") for v in row):
                continue
            yield number, dict(zip(header, row, strict=False))
    except zipfile.BadZipFile as exc:
        raise ImportFileError(path, f"classeur XLSX tronqué : {exc}") from exc
    finally:
        workbook.close()


def read_json(path):
    path = Path(path)
    try:
        return json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            path, f"JSON invalide ({exc.msg}, colonne {exc.colno})", line=exc.lineno
        ) from exc


def same_value(old, new) -> bool:
    if isinstance(old, GEOSGeometry) or isinstance(new, GEOSGeometry):
        if old is None or new is None:
            return old is new
        return old.srid == new.srid and old.equals_exact(new, tolerance=1e-9)
    return old == new


def sync_rows(model, key_field: str, rows: dict, counts: Counts) -> dict:
    """Create or update `model` rows keyed on `key_field`, writing only changed fields.

    `rows` maps each key to its field values (use `<fk>_id` names for foreign keys).
    """
    existing = model.objects.in_bulk(list(rows), field_name=key_field)
    result, new = {}, []
    for key, values in rows.items():
        obj = existing.get(key)
        if obj is None:
            obj = model(**{key_field: key}, **values)
            new.append(obj)
        else:
            changed = [f for f, v in values.items() if not same_value(getattr(obj, f), v)]
            if changed:
                for f in changed:
                    setattr(obj, f, values[f])
                obj.save(update_fields=changed)
                counts.updated += 1
            else:
                counts.unchanged += 1
        result[key] = obj
    model.objects.bulk_create(new, batch_size=1000)  # PostgreSQL gives the new ids back
    counts.created += len(new)
    return result


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
    _copy(
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
        _copy(hmeta.db_table, [f.column for f in hfields], rows)
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


def _copy(table: str, columns: list[str], rows) -> None:
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
