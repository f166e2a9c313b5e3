"""The unit's time zone as an iCalendar VTIMEZONE.

Times in the exports are wall-clock times in Europe/Paris (``DTSTART;TZID=Europe/Paris``),
so every file carries the zone's definition (RFC 5545 section 3.2.19). The definition is
written with the two yearly rules in force since 1996 (last Sunday of March and of October,
at 01:00 UTC) rather than with a list of dates: Outlook fits every VTIMEZONE to one pair of
yearly rules, and a list of dates would stop at its last year (``tools/ICS_CHECK.md``).
``tests/export/test_timezone.py`` checks it against the system's zone database day by day.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

TZID = "Europe/Paris"
ZONE = ZoneInfo(TZID)


def _rule(
    part: TimezoneDaylight | TimezoneStandard, name: str, hours: tuple[int, int], start: datetime
) -> TimezoneDaylight | TimezoneStandard:
    """One yearly change: on the last Sunday of ``start``'s month, from UTC+h to UTC+h'."""
    part.add("TZNAME", name)
    part.add("TZOFFSETFROM", timedelta(hours=hours[0]))
    part.add("TZOFFSETTO", timedelta(hours=hours[1]))
    part.add("DTSTART", start)
    part.add("RRULE", vRecur(FREQ="YEARLY", BYMONTH=start.month, BYDAY="-1SU"))
    return part


def paris_timezone() -> Timezone:
    zone = Timezone()
    zone.add("TZID", TZID)
    zone.add("X-LIC-LOCATION", TZID)
    # Local times, as RFC 5545 wants them in a VTIMEZONE.
    zone.add_component(
        _rule(TimezoneDaylight(), "CEST", (1, 2), datetime(1970, 3, 29, 2, 0))  # noqa: DTZ001
    )
    zone.add_component(
        _rule(TimezoneStandard(), "CET", (2, 1), datetime(1970, 10, 25, 3, 0))  # noqa: DTZ001
    )
    return zone
