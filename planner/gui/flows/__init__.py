"""What the window's actions do: open a dialog, then hand its values to the unit, an undo
command or an exporter, and say the outcome in the status bar.

One module per kind of work: plans (new plan, a change, the port), documents (calendars,
handouts, the unit's export), patients' live calendars and the calendar server, the unit's
settings, the day hospital (bookings, the day
sheet, closures), the day optimiser (the unit's coming sessions, a day placed again, the
chairs needed) and the day's work lists (the week's sessions, the patients to call).
They act on a :class:`~planner.gui.desk.Desk`, never on the window itself. Dialogs and
exporters are imported when first used: the window shows faster without them.
"""

from __future__ import annotations

from planner.gui.desk import Desk
from planner.gui.flows.calendars import calendar_server, patient_calendar
from planner.gui.flows.day_hospital import (
    book_plan,
    close_day,
    day_sheet,
    find_place,
    move_booking,
)
from planner.gui.flows.day_plans import book_unit, chairs_needed, optimise_day
from planner.gui.flows.documents import (
    export_calendar,
    export_unit,
    print_handout,
    save_handout,
)
from planner.gui.flows.plans import (
    Outcome,
    apply_change,
    change,
    edit_patient,
    new_plan,
    request_port,
    set_port_in_place,
)
from planner.gui.flows.unit_settings import unit_settings
from planner.gui.flows.worklists import patients_to_call, week_sessions

__all__ = [
    "Outcome",
    "apply_change",
    "book_plan",
    "book_unit",
    "calendar_server",
    "chairs_needed",
    "change",
    "close_day",
    "connect",
    "day_sheet",
    "edit_patient",
    "export_calendar",
    "export_unit",
    "find_place",
    "move_booking",
    "new_plan",
    "optimise_day",
    "patient_calendar",
    "patients_to_call",
    "print_handout",
    "request_port",
    "save_handout",
    "set_port_in_place",
    "unit_settings",
    "week_sessions",
]


def connect(desk: Desk) -> None:
    """Give each of the desk's actions its flow."""
    a = desk.act
    a.new_plan.triggered.connect(lambda: new_plan(desk))
    a.delay.triggered.connect(lambda: change(desk, "delay"))
    a.omit.triggered.connect(lambda: change(desk, "omit"))
    a.give.triggered.connect(lambda: change(desk, "give"))
    a.stop.triggered.connect(lambda: change(desk, "stop"))
    a.progression.triggered.connect(lambda: change(desk, "progression"))
    a.port_in_place.triggered.connect(lambda checked: set_port_in_place(desk, checked))
    a.edit_patient.triggered.connect(lambda: edit_patient(desk))
    a.confirm_port.triggered.connect(lambda checked: request_port(desk, checked))
    a.export_calendar.triggered.connect(lambda: export_calendar(desk))
    a.export_unit.triggered.connect(lambda: export_unit(desk))
    a.patient_calendar.triggered.connect(lambda: patient_calendar(desk))
    a.calendar_server.triggered.connect(lambda: calendar_server(desk))
    a.save_handout.triggered.connect(lambda: save_handout(desk))
    a.print_handout.triggered.connect(lambda: print_handout(desk))
    a.settings.triggered.connect(lambda: unit_settings(desk))
    a.book_plan.triggered.connect(lambda: book_plan(desk))
    a.day_sheet.triggered.connect(lambda: day_sheet(desk))
    a.close_day.triggered.connect(lambda: close_day(desk))
    a.optimise_day.triggered.connect(lambda: optimise_day(desk))
    a.chairs_needed.triggered.connect(lambda: chairs_needed(desk))
    a.week_sessions.triggered.connect(lambda: week_sessions(desk))
    a.patients_to_call.triggered.connect(lambda: patients_to_call(desk))
