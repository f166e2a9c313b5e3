"""Flows of the day hospital: booking sessions into chairs (a plan, a block moved on the
day's grid; the whole unit and a day placed by the optimiser are in
:mod:`planner.gui.flows.day_plans`), the nurses' day sheet, and closing the unit on a day."""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog

from planner.gui.desk import Desk
from planner.gui.flows.common import busy, give_pages, step_failed
from planner.gui.plain import Icon, message_box
from planner.i18n import _, error_text, format_date, language, ngettext

if TYPE_CHECKING:
    from planner.gui.commands import Together


def book_plan(desk: Desk) -> bool:
    """Book the shown plan's coming sessions (one undoable command)."""
    ps, unit = desk.current_schedule(), desk.unit
    if ps is None or unit is None:
        return False
    return book(desk, [ps], ps.plan.patient.name, patient_id=ps.plan.patient.id)


def find_place(desk: Desk) -> bool:
    """Book again the shown plan's bookings to redo (one undoable command); what finds no
    place on its day, the day hospital page shows, on the first such day."""
    from planner import explain

    ps, unit = desk.current_schedule(), desk.unit
    if ps is None or unit is None:
        return False
    unplaced: list[Any] = []
    booked = book(
        desk,
        [ps],
        ps.plan.patient.name,
        patient_id=ps.plan.patient.id,
        booked_only=True,
        unplaced=unplaced,
    )
    if not unplaced:
        return booked
    _plan, session = unplaced[0]
    desk.show_day(session.date)
    desk.statusBar().showMessage(
        _(
            "No chair is free long enough on {date} for {session}: move a booking, open "
            "longer or add a chair, then Find a place again."
        ).format(
            date=format_date(session.date),
            session=explain.short_session_name(ps.plan.regimen, session.key),
        ),
        30000,
    )
    return booked


def book(
    desk: Desk,
    schedules: list[Any],
    who: str | None,
    *,
    patient_id: str | None,
    quiet: bool = False,
    booked_only: bool = False,
    unplaced: list[Any] | None = None,
) -> bool:
    """Book the plans' coming sessions as one undoable command, on the undo stack of the
    patient (``patient_id``) or of the day hospital page (None): a patient's (``who``, their
    name) or the whole unit's (``who`` None). Each session takes the place that costs its
    day least, at once (the whole unit's, placed day by day by the optimiser, is
    :func:`planner.gui.flows.day_plans.book_unit`). What finds no place is said in a
    message, or handed to the caller in ``unplaced`` (then the caller says it)."""
    unit = desk.unit
    assert unit is not None
    with busy():
        proposal = unit.propose_bookings(schedules, booked_only=booked_only)
    return push_bookings(desk, proposal, who, patient_id=patient_id, quiet=quiet, unplaced=unplaced)


def push_bookings(
    desk: Desk,
    proposal: Any,
    who: str | None,
    *,
    patient_id: str | None,
    quiet: bool = False,
    unplaced: list[Any] | None = None,
    text: str | None = None,
    said: str = "",
) -> bool:
    """Push ``proposal`` (a :class:`planner.gui.unit.Proposal`) as one undoable command (see
    :func:`book`), named ``text`` ("Book 3 sessions for ``who``" by default); the status
    bar says it, and ``said`` after it. False when there is nothing to change."""
    from planner import explain
    from planner.gui.commands import ChangeBookings

    unit = desk.unit
    assert unit is not None
    if unplaced is not None:
        unplaced.extend(proposal.unplaced)
    if not proposal.after and not proposal.unplaced:
        if quiet:
            return False
        if who is None:
            done = _("Every coming session of the unit already has a chair and a time.")
        else:
            done = _("Every coming session of {who} already has a chair and a time.").format(
                who=who
            )
        desk.statusBar().showMessage(done, 10000)
        return False
    if text is None:
        text = ngettext(
            "Book {n} session for {who}", "Book {n} sessions for {who}", proposal.booked
        ).format(n=proposal.booked, who=who or _("the unit"))
    if proposal.after:
        desk.undo_stack_for(patient_id).push(
            ChangeBookings(
                unit,
                proposal.before,
                proposal.after,
                text,
                failed=lambda exc: desk.show_error(
                    _("The sessions were not booked"), error_text(exc)
                ),
            )
        )
    # Quietly, only the status bar says nothing: what finds no chair is always said.
    if proposal.unplaced and unplaced is None:
        lines = [
            _("{date}: {patient} ({regimen}, {session})").format(
                date=format_date(session.date),
                patient=plan.patient.name,
                regimen=plan.regimen.name.get(language()),
                session=explain.cycle_day(session.cycle, session.day),
            )
            for plan, session in proposal.unplaced
        ]
        box = message_box(
            Icon.Warning,
            _("Some sessions have no place"),
            ngettext(
                "{n} session finds no free chair on its day: move other bookings, open "
                "longer or add a chair, then book again.",
                "{n} sessions find no free chair on their day: move other bookings, open "
                "longer or add a chair, then book again.",
                len(lines),
            ).format(n=len(lines)),
            desk.widget,
        )
        box.setDetailedText("\n".join(lines))
        box.setModal(False)
        box.show()
    if not quiet:
        desk.statusBar().showMessage(text + said, 15000)
    return True


def rebook_moved(desk: Desk, schedules: list[Any], text: str, command: Together) -> Any:
    """Add to ``command`` the bookings of the sessions these plans moved, on their new day
    (what was never booked stays so); what finds no place stays flagged, with its reason in
    the plan's warnings. The proposal (for :func:`rebooked_text`, once pushed)."""
    from planner.gui.commands import ChangeBookings

    unit = desk.unit
    assert unit is not None
    with busy():
        proposal = unit.propose_bookings(schedules, booked_only=True)
    if proposal.after:
        command.add(
            ChangeBookings(
                unit,
                proposal.before,
                proposal.after,
                text,
                failed=lambda e: desk.show_error(_("The sessions were not booked"), error_text(e)),
            )
        )
    return proposal


def rebooked_text(proposal: Any, command: Together) -> str:
    """What the status bar adds about the bookings, once ``command`` was pushed: what it
    really did (bookings refused by the database are to redo, never said moved)."""
    from planner.gui.commands import ChangeBookings

    if any(isinstance(step, ChangeBookings) for step in command.dropped):
        return " — " + _("the bookings of the sessions it moved are to redo: see the warnings")
    said = ""
    if proposal.booked:
        said += " — " + ngettext(
            "{n} booking moved with it", "{n} bookings moved with it", proposal.booked
        ).format(n=proposal.booked)
    if proposal.unplaced:
        said += " — " + ngettext(
            "{n} session finds no free chair on its new day: see the warnings",
            "{n} sessions find no free chair on their new day: see the warnings",
            len(proposal.unplaced),
        ).format(n=len(proposal.unplaced))
    return said


def day_sheet(
    desk: Desk,
    day: date | None = None,
    kind: str | None = None,
    path: Path | None = None,
    *,
    numbers: bool = False,
) -> Path | bool:
    """Print or save a day's bookings for the nurses; the file written (or True printed).
    Hospital numbers only when asked for (``numbers``, or the dialog's box)."""
    from planner.core.batch import plan_schedules
    from planner.day_hospital import bookings
    from planner.gui.dialogs.unit_day import DaySheetDialog
    from planner.gui.exporting import day_sheet_name
    from planner.i18n import format_date

    unit = desk.unit
    if unit is None:
        return False
    if day is None or kind is None:
        shown = desk.shown_day() or unit.today
        dialog = DaySheetDialog(shown, desk.widget)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        day, kind = dialog.chosen_day(), dialog.kind.currentData()
        numbers = dialog.numbers.isChecked()
    occupancy, _editable = unit.occupancy_for(day)
    on_day = unit.plans_with_ids([key[0] for key, _b in occupancy.on_day(day)])
    lines = bookings.day_sheet(
        occupancy, plan_schedules(on_day, unit.catalog.port_rules), day, today=unit.today
    )
    title = _("Day sheet — {date}").format(date=format_date(day))
    return give_pages(
        desk,
        kind,
        title,
        "",
        lambda: bookings.day_sheet_html(lines, day, unit.settings, numbers=numbers),
        lambda: bookings.day_sheet_csv(lines, numbers=numbers),
        path,
        file_name=day_sheet_name(day, "{suffix}"),
    )


def close_day(desk: Desk) -> bool:
    """Close the unit on a day: see the sessions it moves, then save and list who to call."""
    from planner.core.closures import UnitClosure
    from planner.day_hospital import bookings
    from planner.gui.commands import CloseOnDay, Together
    from planner.gui.dialogs.unit_day import CloseDayDialog
    from planner.i18n import format_date

    unit = desk.unit
    if unit is None:
        return False
    plans = list(unit.plans_by_id().values())
    calendar = unit.settings.calendar()

    def closed(day: date) -> str | None:
        closure = calendar.closure(day)
        if closure is None:
            return None
        return closure.name.get(language()) if closure.name else _("weekend")

    def preview(day: date, label: str) -> list[Any]:
        with busy():
            return bookings.closure_calls(
                plans, unit.settings, UnitClosure(day, label), unit.catalog.port_rules, unit.today
            )[1]

    dialog = CloseDayDialog(unit.today, closed, preview, desk.widget)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    day, label = dialog.chosen()
    closure = UnitClosure(day, label, unit.now(), unit.author)  # who closed it, and when
    plans = list(unit.plans_by_id().values())  # as they are now (others may have changed them)
    new_settings, calls = bookings.closure_calls(
        plans, unit.settings, closure, unit.catalog.port_rules, unit.today
    )
    try:
        unit.save_settings(new_settings)
    except Exception as exc:
        desk.show_error(_("The closure was not saved"), error_text(exc))
        return False
    # The closure and the bookings of the sessions it moved, on their new days: one undo
    # step, on the day hospital page's stack (shown now, on the day closed).
    text = _("Close the unit on {date}").format(date=format_date(day))
    failed = functools.partial(step_failed, desk)
    command = Together(text, failed=failed)
    command.add(CloseOnDay(unit, closure, text, failed=failed))
    moved = {call.plan_id for call in calls}
    now = [p for p in unit.plans_by_id().values() if p.id in moved]
    proposal = rebook_moved(desk, [unit.schedule(p) for p in now], text, command)
    desk.undo_stack_for(None).push(command)
    said = rebooked_text(proposal, command)
    desk.show_day(day)
    desk.statusBar().showMessage(
        ngettext(
            "Unit closed on {date}: {n} session moved",
            "Unit closed on {date}: {n} sessions moved",
            len(calls),
        ).format(date=format_date(day), n=len(calls))
        + said,
        20000,
    )
    from planner import worklists
    from planner.gui.flows.worklists import offer_calls

    offer_calls(
        desk,
        worklists.closure_calls(calls, closure),
        _("Patients to call after the closure of {date}").format(date=format_date(day)),
    )
    return True


def move_booking(desk: Desk, key: Any, before: Any, after: Any) -> None:
    """A block dragged on the day's grid: one undoable command."""
    from planner.gui.commands import ChangeBookings

    unit = desk.unit
    plan = unit.plan_heads([key[0]]).get(key[0]) if unit is not None else None
    if unit is None or plan is None:
        return  # a block of another unit, or of a plan gone meanwhile: nothing to move
    text = _("Move {who} to {start} on {chair}").format(
        who=plan.patient.name,
        start=after.start.isoformat(timespec="minutes"),
        chair=after.chair,
    )
    desk.undo_stack_for(None).push(
        ChangeBookings(
            unit,
            {key: before},
            {key: after},
            text,
            failed=lambda exc: desk.show_error(_("The booking was not moved"), error_text(exc)),
        )
    )
    desk.statusBar().showMessage(text, 10000)
