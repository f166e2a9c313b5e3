"""When can a new plan start? What its start would put before today, and the earliest start
at which nothing that prepares a session falls in the past.

A plan started today has its blood test one to three days before C1, its baseline checks
and scan a week or more before (a check whose result is needed before C1 as many days
before as its result takes: the DPD test ten), its port placed a week before: all already
gone. Those dates cannot be kept, so the new-plan dialog says which they are and proposes
the first start at which every one of them is today or later.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from planner.core.plan_schedule import PlanSchedule
from planner.core.schedule import Event, EventKind

PREPARATION = frozenset(
    {
        EventKind.LAB,
        EventKind.PREMEDICATION,
        EventKind.MONITORING,
        EventKind.IMAGING,
        EventKind.PORT_PLACEMENT,
        EventKind.CONSULTATION,
    }
)
"""What is done before a session, for it: a blood test, premedication, checks, scans, the
port, the consultation."""

SEARCH_DAYS = 120
"""How far the earliest start is looked for (far beyond any preparation's lead time)."""


def in_the_past(ps: PlanSchedule, today: date) -> list[Event]:
    """The plan's preparations dated before ``today``, in date order."""
    return [e for e in ps.events if e.kind in PREPARATION and e.date < today]


def earliest_start_from_today(
    schedule: Callable[[date], PlanSchedule], start: date, today: date
) -> date | None:
    """The first start on or after ``start`` (and ``today``) at which no preparation falls
    before ``today``; ``schedule(day)`` is the plan's calendar started on ``day``. None when
    there is none within :data:`SEARCH_DAYS` days."""
    candidate = max(start, today)
    limit = candidate + timedelta(days=SEARCH_DAYS)
    while candidate <= limit:
        ps = schedule(candidate)
        calendar = ps.plan.calendar
        if not calendar.is_open(candidate):
            candidate = calendar.next_open(candidate)  # a start the unit is open on
            continue
        if not in_the_past(ps, today):
            return candidate
        # Day by day: preparations do not keep fixed distances to C1 (a blood test goes to
        # the last open day before it), so a jump could step over the earliest start.
        candidate += timedelta(days=1)
    return None
