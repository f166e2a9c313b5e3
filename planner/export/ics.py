"""Writing iCalendar files: the calendar's head, one VEVENT per entry, all in pieces.

Every line of an event goes through the ``icalendar`` library's own value types and content
lines (escaping, parameters, folding at 75 octets). Building a whole ``icalendar.Event`` and
serializing it costs about 0.5 ms here, too slow for a unit's 100,000 sessions, so each
line is made on its own and the lines that repeat (dates, places, descriptions, status) are
remembered. tests/export/test_calendar.py reads the files back with the library.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from icalendar import Calendar
from icalendar.parser import Contentline, Parameters
from icalendar.prop import vCategory, vDDDTypes, vDuration, vInt, vText

from planner import __version__
from planner.export.timezone import TZID, ZONE, paris_timezone

PRODID = f"-//Infusion Planner//Infusion Planner {__version__}//EN"
UID_DOMAIN = "infusion-planner"


@dataclass(frozen=True, slots=True)
class Entry:
    """One appointment, ready to be written as a VEVENT."""

    identity: str
    start: date | datetime
    """A date (all-day) or a naive wall-clock time in Europe/Paris."""
    end: date | datetime
    """Exclusive end: the day after for an all-day event."""
    summary: str
    description: str = ""
    location: str = ""
    category: str = ""
    reminder: datetime | None = None
    """When to remind (naive local time), or None."""
    cancelled: bool = False

    @property
    def timed(self) -> bool:
        return isinstance(self.start, datetime)

    def fingerprint(self) -> str:
        content = [
            iso(self.start),
            iso(self.end),
            self.summary,
            self.description,
            self.location,
            self.category,
            iso(self.reminder) if self.reminder else "",
            self.cancelled,
        ]
        return hashlib.sha256(json.dumps(content).encode("utf-8")).hexdigest()[:32]


def iso(moment: date | datetime) -> str:
    return moment.isoformat()


def from_iso(text: str) -> date | datetime:
    return datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)


def event_uid(namespace: uuid.UUID, owner: str, identity: str) -> str:
    return f"{uuid.uuid5(namespace, f'{owner}/{identity}')}@{UID_DOMAIN}"


_TYPES: dict[str, Callable[[Any], Any]] = {
    "date": vDDDTypes,
    "text": vText,
    "int": vInt,
    "category": lambda value: vCategory([value]),
    "duration": vDuration,
}


def _content_line(name: str, kind: str, value: object) -> bytes:
    if kind == "text" and isinstance(value, str) and _STRUCTURE.search(value):
        value = _STRUCTURE.sub(lambda m: f"{m.group(1)}\u2060:", value)
    typed = _TYPES[kind](value)
    params = Parameters(getattr(typed, "params", {}))
    line: bytes = Contentline.from_parts(name, params, typed).to_ical()
    return line + b"\r\n"


_STRUCTURE = re.compile(r"(?i)(BEGIN|END):")
"""A component's first or last line ("BEGIN:VEVENT") written inside a text, by someone's
typing in a unit's name or address. Escaped, it is only text to a calendar program, but a
program that splits a file at "BEGIN:VEVENT" without parsing it (khal's store, mail
filters, scripts) would take it for an event: a word joiner (U+2060, invisible) goes
before its colon."""


_line = functools.lru_cache(maxsize=1 << 16)(_content_line)
"""The same, remembered: for the lines many events share."""


def _local(moment: date | datetime) -> date | datetime:
    return moment.replace(tzinfo=ZONE) if isinstance(moment, datetime) else moment


def vevent(
    entry: Entry, uid: str, sequence: int, stamp: datetime, *, alarm_text: str = ""
) -> bytes:
    """The VEVENT of an entry, serialized; timed entries are written in Europe/Paris."""
    lines = [
        b"BEGIN:VEVENT\r\n",
        _content_line("UID", "text", uid),
        _line("DTSTAMP", "date", stamp),
        _line("DTSTART", "date", _local(entry.start)),
        _line("DTEND", "date", _local(entry.end)),
        _line("SEQUENCE", "int", sequence),
        _content_line("SUMMARY", "text", entry.summary),
    ]
    if entry.description:
        lines.append(_line("DESCRIPTION", "text", entry.description))
    if entry.location:
        lines.append(_line("LOCATION", "text", entry.location))
    if entry.category:
        lines.append(_line("CATEGORIES", "category", entry.category))
    if entry.cancelled:
        lines.append(b"STATUS:CANCELLED\r\n")
    else:
        lines.append(b"STATUS:CONFIRMED\r\n")
        lines.append(b"TRANSP:OPAQUE\r\n" if entry.timed else b"TRANSP:TRANSPARENT\r\n")
        if entry.reminder is not None:
            start = entry.start if isinstance(entry.start, datetime) else _midnight(entry.start)
            lines += (
                b"BEGIN:VALARM\r\n",
                b"ACTION:DISPLAY\r\n",
                _line("DESCRIPTION", "text", alarm_text or entry.summary),
                _line("TRIGGER", "duration", entry.reminder - start),
                b"END:VALARM\r\n",
            )
    lines.append(b"END:VEVENT\r\n")
    return b"".join(lines)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time())


def calendar_head(name: str) -> Calendar:
    """The calendar's own properties and the time zone, without events."""
    head = Calendar()
    head.add("PRODID", PRODID)
    head.add("VERSION", "2.0")
    head.add("CALSCALE", "GREGORIAN")
    head.add("METHOD", "PUBLISH")
    head.add("X-WR-CALNAME", name)
    head.add("NAME", name)
    head.add("X-WR-TIMEZONE", TZID)
    head.add_component(paris_timezone())
    return head


def write_calendar(head: Calendar, events: Iterable[bytes]) -> Iterator[bytes]:
    """The file in pieces: the head, each event, the end (a unit's 100,000 events never
    make one tree)."""
    whole = head.to_ical()
    end = b"END:VCALENDAR\r\n"
    assert whole.endswith(end)
    yield whole[: -len(end)]
    yield from events
    yield end
