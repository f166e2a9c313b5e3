"""Flows of the day's work lists: the week's sessions for the nurses and the pharmacy, and
the patients to call after a delay, a stop or a closure (Unit menu; the list is offered
again right after closing the unit on a day). Printed, or saved as PDF or CSV."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from planner.gui.desk import Desk
from planner.gui.flows.common import busy, give_pages
from planner.i18n import _


def week_sessions(
    desk: Desk,
    day: date | None = None,
    kind: str | None = None,
    path: Path | None = None,
    *,
    numbers: bool = False,
) -> Path | bool:
    """Print or save the booked sessions of the week of ``day`` (Monday to Sunday), asked
    for in a dialog when not given; the file written (or True printed). Hospital numbers
    only when asked for."""
    from planner import worklists
    from planner.core.batch import plan_schedules
    from planner.core.chairs import Occupancy
    from planner.gui.dialogs.worklists import WeekSessionsDialog
    from planner.gui.exporting import file_stem

    unit = desk.unit
    if unit is None:
        return False
    if day is None or kind is None:
        dialog = WeekSessionsDialog(desk.shown_day() or unit.today, desk.widget)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        day, kind = dialog.monday(), dialog.kind.currentData()
        numbers = dialog.numbers.isChecked()
    monday = worklists.monday_of(day)
    sunday = monday + timedelta(days=6)
    with busy():
        if monday >= unit.bookings_from:
            occupancy = unit.occupancy
        else:  # a week long past: its bookings are read from the database
            occupancy = Occupancy(unit.resources, unit.settings.calendar())
            occupancy.adopt(unit.store.bookings(monday, sunday))
        booked = worklists.week_plan_ids(occupancy, monday)
        plans = [p for p in unit.plans_by_id().values() if p.id in booked]
        week = worklists.week_sessions(
            occupancy, plan_schedules(plans, unit.catalog.port_rules), monday
        )
    title = worklists.week_title(week)
    return give_pages(
        desk,
        kind,
        title,
        file_stem(_("Sessions of the week"), monday.isoformat()),
        lambda: worklists.week_html(week, unit.settings, numbers=numbers),
        lambda: worklists.week_csv(week, numbers=numbers),
        path,
    )


def give_calls(
    desk: Desk, calls: list[Any], title: str, kind: str, path: Path | None = None
) -> Path | bool:
    """Print or save a list of patients to call (:class:`planner.worklists.Call`)."""
    from planner import worklists
    from planner.gui.exporting import file_stem

    unit = desk.unit
    if unit is None:
        return False
    return give_pages(
        desk,
        kind,
        title,
        file_stem(_("Patients to call"), unit.today.isoformat()),
        lambda: worklists.calls_html(calls, title, unit.settings),
        lambda: worklists.calls_csv(calls),
        path,
    )


def calls_since(desk: Desk, since: date) -> tuple[list[Any], str]:
    """The patients to call for what was recorded since ``since``, and the list's title."""
    from planner import worklists

    unit = desk.unit
    assert unit is not None
    with busy():
        calls = worklists.calls_since(
            list(unit.plans_by_id().values()),
            unit.settings,
            unit.catalog.port_rules,
            since=since,
            today=unit.today,
        )
    return calls, worklists.calls_title(since)


def patients_to_call(desk: Desk, since: date | None = None) -> Any:
    """Unit › Patients to call: the list for what was recorded since ``since`` (today by
    default), which the coordinator may change, print or save. The list stays open beside
    the window while the calls are made; the dialog shown."""
    from planner.gui.dialogs.worklists import PatientsToCallDialog

    unit = desk.unit
    if unit is None:
        return None
    since = since or unit.today
    calls, title = calls_since(desk, since)
    dialog = PatientsToCallDialog(
        calls, title, since, desk.widget, compute=lambda day: calls_since(desk, day)
    )
    return _show(desk, dialog)


def offer_calls(desk: Desk, calls: list[Any], title: str) -> Any:
    """The patients to call after a change (a closure), to print or save; the dialog shown
    (None: nobody to call)."""
    from planner.gui.dialogs.worklists import PatientsToCallDialog

    unit = desk.unit
    if unit is None or not calls:
        return None
    return _show(desk, PatientsToCallDialog(calls, title, unit.today, desk.widget))


def _show(desk: Desk, dialog: Any) -> Any:
    dialog.output_requested.connect(lambda kind: give_calls(desk, dialog.calls, dialog.title, kind))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.setModal(False)
    dialog.show()
    return dialog
