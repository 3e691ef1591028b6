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
    return bool(_open_slots(hours, day))


def next_weekday(weekday: int, today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=(weekday - today.weekday()) % 7)


def hour(moment: datetime.datetime | datetime.time) -> str:
    return f"{moment.hour} h" if moment.minute == 0 else f"{moment.hour} h {moment.minute:02d}"


def _open_slots(
    hours: OpeningHours, day: datetime.date
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    start = datetime.datetime.combine(day, datetime.time())
    return [
        (a, b)
        for a, b, state, _ in hours.intervals(start, start + datetime.timedelta(days=1))
        if state == State.OPEN
    ]


def _slots_text(slots) -> str:
    """ "9 h – 12 h, 14 h – 17 h"; a slot running past midnight ends at "24 h"."""
    return ", ".join(f"{hour(a)} – {hour(b) if b.date() == a.date() else '24 h'}" for a, b in slots)


# A week without public holidays: what an expression says of an ordinary week.
PLAIN_MONDAY = datetime.date(2030, 1, 7)


def plain_week(hours: OpeningHours) -> list[list[tuple[datetime.time, datetime.time]]]:
    """Each day's open slots, Monday first, over an ordinary week (23:59 for midnight)."""
    week = []
    for offset in range(7):
        slots = _open_slots(hours, PLAIN_MONDAY + datetime.timedelta(days=offset))
        week.append(
            [
                (a.time(), b.time() if b.date() == a.date() else datetime.time(23, 59))
                for a, b in slots
            ]
        )
    return week


def in_words(text: str) -> str:
    """An expression as people read it: "du lundi au vendredi 9 h – 12 h, 14 h – 17 h ;
    samedi 10 h – 12 h". Kept as written when it is unreadable or says nothing of an ordinary
    week (dates, holidays only)."""
    hours = parse(text)
    if hours is None:
        return text
    texts = [
        _slots_text(_open_slots(hours, PLAIN_MONDAY + datetime.timedelta(days=offset)))
        for offset in range(7)
    ]
    if not any(texts):
        return text
    parts, i = [], 0
    while i < 7:
        j = i
        while j + 1 < 7 and texts[j + 1] == texts[i]:
            j += 1
        if texts[i]:
            if j == i:
                days = DAYS[i]
            elif j == i + 1:
                days = f"{DAYS[i]} et {DAYS[j]}"
            else:
                days = f"du {DAYS[i]} au {DAYS[j]}"
            parts.append(f"{days} {texts[i]}")
        i = j + 1
    return " ; ".join(parts)


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
        days.append((DAYS[offset], _slots_text(_open_slots(hours, day)) or "fermé"))
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
