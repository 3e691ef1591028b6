"""What an import says: the error that refuses a file, and the report of what it did."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

Progress = Callable[[Iterable, str, int | None], Iterable]


def no_progress(iterable: Iterable, description: str = "", total: int | None = None) -> Iterable:
    return iterable


class ImportFileError(Exception):
    """A file that cannot be imported; says where and why, in French for the person importing.

    `path` may be None for a refusal about the database rather than one file (something that
    vanished from the source but is still referenced)."""

    def __init__(self, path, reason: str, line: int | None = None, column: str | None = None):
        self.path = Path(path) if path is not None else None
        self.reason = reason
        self.line = line
        self.column = column
        super().__init__(str(self))

    def __str__(self):
        where = [self.path.name] if self.path is not None else []
        if self.line is not None:
            where.append(f"ligne {self.line}")
        if self.column:
            where.append(f"colonne « {self.column} »")
        return f"{', '.join(where)} : {self.reason}" if where else self.reason


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
    rows_read: int = 0  # data rows of the file, to tell "nothing imported" from "empty file"

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

    @property
    def imported_nothing(self) -> bool:
        """Rows were read, yet not one was written or found already as it is: every row was
        rejected or skipped. A command says so with a non-zero exit status."""
        written = sum(c.created + c.updated + c.unchanged for c in self.counts.values())
        return self.rows_read > 0 and written == 0

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
