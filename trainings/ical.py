"""Sessions as iCalendar (RFC 5545), through the `icalendar` package (escaping, folding, CRLF):
one event per session, times in Europe/Paris (TZID), a stable UID per session."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vText

MAX_EVENTS = 500


def _where(session) -> str:
    if session.is_online:
        return "En ligne"
    venue = session.venue
    if session.place_id:
        parts = [venue.name, venue.address, f"{venue.postal_code} {venue.commune_name}"]
    else:
        parts = [venue.name, venue.commune.name if venue.commune else ""]
    if session.room:
        parts.insert(1, session.room)
    return ", ".join(p for p in parts if p)


def calendar(sessions, absolute_url, host: str) -> bytes:
    """The sessions as a calendar; `absolute_url(path)` makes each event's link absolute,
    `host` (the site's) makes each UID unique in the world and stable."""
    cal = Calendar()
    cal.add("prodid", "-//Hub de l’inclusion numérique//Ateliers//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Ateliers et formations")
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    for session in sessions:
        training = session.training
        event = Event()
        event.add("uid", f"session-{session.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", timezone.localtime(session.starts_at))
        event.add("dtend", timezone.localtime(session.ends_at))
        event.add("summary", training.title)
        url = absolute_url(reverse("trainings:session", args=[session.pk]))
        event.add(
            "description", f"{training.summary}\n\nOrganisé par {training.organiser_name}.\n{url}"
        )
        event.add("location", vText(_where(session)))
        event.add("url", url)
        if session.cancelled:
            event.add("status", "CANCELLED")
        cal.add_component(event)
    if settings.TIME_ZONE == "Europe/Paris":
        cal.add_component(paris())
    else:
        cal.add_missing_timezones()
    return cal.to_ical()


def paris() -> Timezone:
    """Europe/Paris as the EU rules have stated it since 1996 (last Sundays of March and
    October): two rules rather than the hundred dates `add_missing_timezones` lists."""
    zone = Timezone()
    zone.add("tzid", "Europe/Paris")
    for part, name, start, month, before, after in (
        (TimezoneDaylight(), "CEST", datetime.datetime(1970, 3, 29, 2), 3, "+0100", "+0200"),
        (TimezoneStandard(), "CET", datetime.datetime(1970, 10, 25, 3), 10, "+0200", "+0100"),
    ):
        part.add("tzname", name)
        part.add("dtstart", start)
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1SU"})
        part.add("tzoffsetfrom", datetime.timedelta(hours=int(before[:3])))
        part.add("tzoffsetto", datetime.timedelta(hours=int(after[:3])))
        zone.add_component(part)
    return zone
