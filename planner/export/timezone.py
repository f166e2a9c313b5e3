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


def paris_timezone() -> Timezone:
    zone = Timezone()
    zone.add("TZID", TZID)
    zone.add("X-LIC-LOCATION", TZID)
    summer = TimezoneDaylight()
    summer.add("TZNAME", "CEST")
    summer.add("TZOFFSETFROM", timedelta(hours=1))
    summer.add("TZOFFSETTO", timedelta(hours=2))
    summer.add("DTSTART", datetime(1970, 3, 29, 2, 0))  # noqa: DTZ001 - local by RFC
    summer.add("RRULE", vRecur(FREQ="YEARLY", BYMONTH=3, BYDAY="-1SU"))
    winter = TimezoneStandard()
    winter.add("TZNAME", "CET")
    winter.add("TZOFFSETFROM", timedelta(hours=2))
    winter.add("TZOFFSETTO", timedelta(hours=1))
    winter.add("DTSTART", datetime(1970, 10, 25, 3, 0))  # noqa: DTZ001 - local by RFC
    winter.add("RRULE", vRecur(FREQ="YEARLY", BYMONTH=10, BYDAY="-1SU"))
    zone.add_component(summer)
    zone.add_component(winter)
    return zone
