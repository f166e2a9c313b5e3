"""Exports shared by the command line and the desktop application.

A patient's calendar: the file is written whole (never half), and only then is what the
patient's calendar now holds saved with the plan, so a failed export changes nothing and the
next one still updates instead of duplicating. The unit's sessions: one calendar or table of
every plan's sessions in a period.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from planner.core.batch import plan_schedules
from planner.core.booking import Booking
from planner.core.plan_schedule import PlanSchedule
from planner.core.port import PortRule
from planner.core.schedule import SessionKey
from planner.core.settings import UnitSettings
from planner.export.calendar import (
    Export,
    ExportOptions,
    patient_calendar,
    state_from_json,
    state_to_json,
)
from planner.export.files import write_atomically
from planner.export.unit import unit_calendar, unit_csv, unit_sessions
from planner.i18n import _, format_date
from planner.store import Store


def export_patient_calendar(
    store: Store,
    scheduled: PlanSchedule,
    path: Path,
    *,
    options: ExportOptions,
    exported_at: datetime,
    author: str,
) -> tuple[Export, int]:
    """Write the plan's calendar to ``path``; the export and its size in bytes.

    Raises :class:`planner.export.files.ExportError` (nothing written, nothing remembered)
    or :class:`planner.store.StoreError`.
    """
    plan = scheduled.plan
    previous = state_from_json(store.calendar_state(plan.id))
    export = patient_calendar(
        scheduled,
        settings=store.settings(),
        options=options,
        exported_at=exported_at,
        previous=previous,
        bookings=plan_bookings(store, scheduled),
    )
    size = write_atomically(path, [export.content])
    store.save_calendar_state(plan.id, state_to_json(export.state), author=author, at=exported_at)
    return export, size


UNIT_CHUNK = 500
"""Plans whose calendars are computed at once for the unit's export: only their sessions of
the period are kept, so that a large centre's export does not hold every calendar (600 MB
for 20,000 patients)."""


def unit_schedules(
    store: Store,
    port_rules: tuple[PortRule, ...],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[PlanSchedule]:
    """Every plan's calendar, read and computed :data:`UNIT_CHUNK` plans at a time, for
    :func:`unit_export` to keep only what it needs of each. ``progress(done, total)`` is told
    after each plan; it may raise to stop."""
    ids = store.plan_ids()
    total = len(ids)
    for start in range(0, total, UNIT_CHUNK):
        plans = store.plans_with_ids(ids[start : start + UNIT_CHUNK])

        def told(done: int, _total: int, start: int = start) -> None:
            if progress is not None:
                progress(start + done, total)

        yield from plan_schedules(plans, port_rules, progress=told)


def unit_export(
    schedules: Iterable[PlanSchedule],
    *,
    settings: UnitSettings,
    first: date,
    last: date,
    kind: Literal["ics", "csv"],
    exported_at: datetime,
    bookings: Mapping[tuple[str, SessionKey], Booking] | None = None,
) -> tuple[int, Iterable[bytes]]:
    """The unit's sessions from ``first`` to ``last``: how many, and the file's pieces (an
    iCalendar file for a shared calendar, or a CSV table), to write with write_atomically.
    Booked sessions have their time and chair."""
    rows = unit_sessions(schedules, first, last, bookings)
    if kind == "csv":
        return len(rows), unit_csv(rows)
    name = _("{unit} — sessions from {first} to {last}").format(
        unit=settings.name or _("Day hospital"),
        first=format_date(first),
        last=format_date(last),
    )
    return len(rows), unit_calendar(rows, settings=settings, exported_at=exported_at, name=name)


def plan_bookings(store: Store, scheduled: PlanSchedule) -> dict[SessionKey, Booking]:
    """The plan's bookings still on their session's day: those sessions get a start and an
    end in the patient's calendar; the others stay all-day until booked again."""
    own = store.bookings(plan_id=scheduled.plan.id)
    found = {}
    for session in scheduled.sessions:
        booking = own.get((scheduled.plan.id, session.key))
        if booking is not None and booking.day == session.date:
            found[session.key] = booking
    return found
