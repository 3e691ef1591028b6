"""Opening hours (OpenStreetMap syntax) read for people: open now, the week in plain French."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

from opening_hours import OpeningHours, State  # noqa: F401 - State used by callers

PARIS = ZoneInfo("Europe/Paris")
DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


@lru_cache(maxsize=4096)
def parse(text: str) -> OpeningHours | None:
    """The parsed expression, or None when the text is empty or unreadable."""
    if not text:
        return None
    try:
        return OpeningHours(text)
    except Exception:  # noqa: BLE001 - any parser error means "cannot tell"
        return None


def local_now() -> datetime.datetime:
    return datetime.datetime.now(PARIS).replace(tzinfo=None, second=0, microsecond=0)


def is_open(text: str, at: datetime.datetime) -> bool:
    hours = parse(text)
    return bool(hours) and hours.is_open(at)


def open_on(text: str, day: datetime.date) -> bool:
    """Open at some time of `day`."""
    hours = parse(text)
    if hours is None:
        return False
    start = datetime.datetime.combine(day, datetime.time())
    return any(
        state == State.OPEN
        for _, _, state, _ in hours.intervals(start, start + datetime.timedelta(days=1))
    )


def next_weekday(weekday: int, today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=(weekday - today.weekday()) % 7)


def hour(moment: datetime.datetime) -> str:
    return f"{moment.hour} h" if moment.minute == 0 else f"{moment.hour} h {moment.minute:02d}"


@dataclass
class Week:
    days: list[tuple[str, str]]
    now: str | None
    open_now: bool | None

    @property
    def open_days(self) -> str:
        """ "mardi 9 h – 12 h ; jeudi 14 h – 17 h": the days with opening hours only."""
        return " ; ".join(f"{day} {slots}" for day, slots in self.days if slots != "fermé")


def describe(text: str, now: datetime.datetime | None = None) -> Week | None:
    """The coming seven days, Monday first, and a sentence on now; None if unreadable."""
    hours = parse(text)
    if hours is None:
        return None
    now = now or local_now()
    monday = now.date() - datetime.timedelta(days=now.weekday())
    days = []
    for offset in range(7):
        day = monday + datetime.timedelta(days=offset)
        if day < now.date():
            day += datetime.timedelta(days=7)
        start = datetime.datetime.combine(day, datetime.time())
        slots = [
            f"{hour(a)} – {hour(b) if b.date() == day else '24 h'}"
            for a, b, state, _ in hours.intervals(start, start + datetime.timedelta(days=1))
            if state == State.OPEN
        ]
        days.append((DAYS[offset], ", ".join(slots) or "fermé"))
    open_now = hours.is_open(now)
    change = hours.next_change(now)
    if change is None:
        sentence = "Ouvert" if open_now else "Fermé"
    elif open_now:
        sentence = f"Ouvert maintenant, jusqu’à {hour(change)}"
    else:
        when = "aujourd’hui" if change.date() == now.date() else DAYS[change.weekday()]
        sentence = f"Fermé maintenant, ouvre {when} à {hour(change)}"
    return Week(days, sentence, open_now)
