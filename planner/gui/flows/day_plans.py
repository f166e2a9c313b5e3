"""Flows of the day optimiser: the unit's coming sessions booked day by day, the day shown
placed again, and how many chairs and nurses each weekday needs.

The optimiser takes about a second a day: each runs in a worker thread behind a progress
dialog that can cancel it (:mod:`planner.gui.working`). The worker is handed the plans, the
port rules and the unit's bookings as they are when asked, and places the days in a copy
of the bookings (:func:`planner.day_hospital.bookings.place`): cancelled or failed, nothing
changed; done, what it proposes is pushed as one undoable command, as a plan's booking is.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt

from planner.gui.desk import Desk
from planner.gui.flows.day_hospital import push_bookings
from planner.i18n import _, error_text, format_date, ngettext

if TYPE_CHECKING:
    from planner.day_hospital.bookings import WeekdayNeeds
    from planner.gui.dialogs.capacity import CapacityDialog
    from planner.gui.working import Tell

BOOK_SECONDS = 1.0
"""Seconds the optimiser may take for one day when the unit's coming sessions are booked."""
OPTIMISED_WEEKS = 12
"""The unit's coming sessions are placed by the optimiser over these weeks (as far as the
day hospital page's load chart looks: some sixty open days, a minute); those after, session
by session, at once (they will move before they come: a delay, a closure)."""
DAY_SECONDS = 2.0
"""...when the day shown is placed again."""
NEEDS_SECONDS = 1.0
"""...for one day, when counting the chairs and nurses each weekday needs."""


def _told(tell: Tell, words: str, stop: threading.Event) -> Callable[[int, int], None]:
    """A ``progress(done, total)`` that tells ``words`` (with {done} and {total}) now and
    then, and stops the work once ``stop`` is set."""

    def progress(done: int, total: int) -> None:
        from planner.core.optimiser import Cancelled

        if stop.is_set():
            raise Cancelled
        if done == total or done % max(1, total // 100) == 0:
            tell(words.format(done=done, total=total), done, total)

    return progress


def _schedules(plans: list[Any], port_rules: Any, tell: Tell, stop: threading.Event) -> Any:
    from planner.core.batch import plan_schedules

    words = _("Computing the plans: {done} of {total}")
    return plan_schedules(plans, port_rules, progress=_told(tell, words, stop))


def book_unit(desk: Desk, *, time_limit: float = BOOK_SECONDS) -> bool:
    """Book every plan's coming sessions, each day of the next :data:`OPTIMISED_WEEKS` with
    something to book placed whole by the optimiser, the later ones session by session (one
    undoable command, on the day hospital page's stack)."""
    from planner.day_hospital import bookings
    from planner.gui.working import run_with_progress

    unit = desk.unit
    if unit is None:
        return False
    plans = list(unit.plans_by_id().values())
    port_rules, today, occupancy = unit.catalog.port_rules, unit.today, unit.occupancy

    def job(tell: Tell, stop: threading.Event) -> bookings.Placement:
        schedules = _schedules(plans, port_rules, tell, stop)
        tell(_("Placing the days…"), 0, 0)
        return bookings.place(
            occupancy,
            schedules,
            today,
            optimise=bookings.Optimising(today, time_limit=time_limit, stop=stop),
            optimise_until=today + timedelta(weeks=OPTIMISED_WEEKS),
            progress=_told(tell, _("Placing the days: {done} of {total}"), stop),
            later_progress=_told(tell, _("Booking the later weeks: {done} of {total}"), stop),
        )

    outcome = run_with_progress(
        desk.widget, _("Book the coming sessions"), _("Computing the plans…"), job
    )
    if outcome.cancelled:
        desk.statusBar().showMessage(_("Booking cancelled: nothing was changed."), 15000)
        return False
    if outcome.error is not None:
        desk.show_error(_("The sessions were not booked"), error_text(outcome.error))
        return False
    proposal = unit.proposal(outcome.result)
    said = ""
    if proposal.days:
        said = " — " + ngettext(
            "{n} day placed by the optimiser",
            "{n} days placed by the optimiser",
            len(proposal.days),
        ).format(n=len(proposal.days))
    return push_bookings(desk, proposal, None, patient_id=None, said=said)


def optimise_day(desk: Desk, day: date | None = None, *, time_limit: float = DAY_SECONDS) -> bool:
    """Place ``day`` (the day shown on the day hospital page) again with the optimiser, its
    sessions without a booking with them: the bookings already given to patients move by at
    most the unit's limit, today's not at all (one undoable command)."""
    from planner.day_hospital import bookings
    from planner.gui.working import run_with_progress

    unit = desk.unit
    if unit is None:
        return False
    day = day or desk.shown_day()
    status = desk.statusBar()
    if day is None:
        status.showMessage(_("Open the day hospital page on the day to optimise."), 10000)
        return False
    if day < unit.today:
        status.showMessage(
            _("{date} is past: its bookings are not placed again.").format(date=format_date(day)),
            10000,
        )
        return False
    occupancy = unit.occupancy
    was = occupancy.figures(day)
    if was is None:
        status.showMessage(_("The unit is closed on {date}.").format(date=format_date(day)), 10000)
        return False
    plans = list(unit.plans_by_id().values())
    port_rules, today = unit.catalog.port_rules, unit.today
    placing = _("Placing {date}…").format(date=format_date(day))

    def job(tell: Tell, stop: threading.Event) -> bookings.Placement:
        schedules = _schedules(plans, port_rules, tell, stop)
        tell(placing, 0, 0)
        return bookings.place(
            occupancy,
            schedules,
            day,
            until=day,
            optimise=bookings.Optimising(today, time_limit=time_limit, stop=stop, every_day=True),
        )

    text = _("Optimise {date}").format(date=format_date(day))
    outcome = run_with_progress(desk.widget, text, _("Computing the plans…"), job)
    if outcome.cancelled:
        status.showMessage(
            _("Optimising {date} cancelled: nothing was changed.").format(date=format_date(day)),
            15000,
        )
        return False
    if outcome.error is not None:
        desk.show_error(_("The day was not placed again"), error_text(outcome.error))
        return False
    proposal = unit.proposal(outcome.result)
    if not proposal.after and not proposal.unplaced:
        status.showMessage(
            _("The optimiser found no better placement for {date}: nothing was changed.").format(
                date=format_date(day)
            ),
            15000,
        )
        return False
    pushed = push_bookings(desk, proposal, None, patient_id=None, text=text, quiet=True)
    now = unit.occupancy.figures(day)
    if pushed and now is not None:
        moved = sum(d.moved for d in proposal.days)
        status.showMessage(
            text
            + " — "
            + _(
                "peak {before} → {after} chairs; at most {starts_before} → {starts_after} "
                "infusions start together"
            ).format(
                before=was.peak,
                after=now.peak,
                starts_before=was.busiest_slot,
                starts_after=now.busiest_slot,
            )
            + " — "
            + ngettext(
                "{n} booking given to a patient moved",
                "{n} bookings given to patients moved",
                moved,
            ).format(n=moved),
            20000,
        )
    return pushed


def chairs_needed(desk: Desk, *, time_limit: float = NEEDS_SECONDS) -> CapacityDialog | None:
    """ "How many chairs do we need?": a dialog beside the window that places, for a period
    it asks, every session afresh and says what each weekday needs at least."""
    from planner.gui.dialogs.capacity import CapacityDialog

    unit = desk.unit
    if unit is None:
        return None
    dialog = CapacityDialog(
        unit.today,
        unit.resources,
        lambda first, last: _count_needs(desk, first, last, time_limit, dialog),
        desk.widget,
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def _count_needs(
    desk: Desk, first: date, last: date, time_limit: float, parent: Any
) -> list[WeekdayNeeds] | None:
    """What each weekday needs from ``first`` to ``last`` (None: cancelled or failed, said
    in words), counted in a worker thread."""
    from planner.core.chairs import Occupancy
    from planner.day_hospital import bookings
    from planner.gui.working import run_with_progress

    unit = desk.unit
    if unit is None:
        return None
    plans = list(unit.plans_by_id().values())
    port_rules = unit.catalog.port_rules
    # The sessions are placed afresh: an empty unit with the same chairs, hours and days.
    empty = Occupancy(unit.resources, unit.settings.calendar())

    def job(tell: Tell, stop: threading.Event) -> list[WeekdayNeeds]:
        schedules = _schedules(plans, port_rules, tell, stop)
        return bookings.capacity(
            empty,
            schedules,
            first,
            last,
            time_limit=time_limit,
            progress=_told(tell, _("Placing the days: {done} of {total}"), stop),
            stop=stop,
        )

    outcome = run_with_progress(
        parent, _("How many chairs do we need?"), _("Computing the plans…"), job
    )
    if outcome.cancelled:
        return None
    if outcome.error is not None:
        desk.show_error(_("The needs were not counted"), error_text(outcome.error))
        return None
    result: list[WeekdayNeeds] = outcome.result
    return result
