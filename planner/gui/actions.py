"""Every action of the main window: its words, shortcut, tooltip and icon, in one place.

The window connects them; :meth:`Actions.update` enables each one only when it can act
(a plan chosen, a session selected, an immunotherapy plan...).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence, QUndoGroup
from PySide6.QtWidgets import QStyle, QWidget

from planner.i18n import _, pgettext

if TYPE_CHECKING:  # the window shows before the core is imported
    from planner.core.plan_schedule import PlanSchedule
    from planner.core.schedule import Session


def _action(
    parent: QWidget,
    text: str,
    tooltip: str,
    shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    icon: QStyle.StandardPixmap | None = None,
    short: str | None = None,
) -> QAction:
    """An action; ``short`` is its toolbar label (the menu says ``text`` whole)."""
    action = QAction(text, parent)
    if short is not None:
        action.setIconText(short)
    action.setToolTip(tooltip)
    action.setStatusTip(tooltip)
    if isinstance(shortcut, QKeySequence.StandardKey):
        action.setShortcuts(shortcut)  # every key the platform gives it
    elif shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if icon is not None:
        action.setIcon(parent.style().standardIcon(icon))
    return action


def redo_keys() -> list[QKeySequence]:
    """Redo answers the platform's own keys and both usual ones, Ctrl+Shift+Z and Ctrl+Y,
    each once (X11's standard Redo is Ctrl+Shift+Z already: listing it twice makes Qt call
    the shortcut ambiguous and fire nothing)."""
    keys: list[QKeySequence] = []
    for key in [
        *QKeySequence.keyBindings(QKeySequence.StandardKey.Redo),
        QKeySequence("Ctrl+Shift+Z"),
        QKeySequence("Ctrl+Y"),
    ]:
        if key not in keys:
            keys.append(key)
    return keys


def on_screen(text: str) -> str:
    """A menu's or an action's label as read on screen: no "&" mnemonic, no "…"."""
    return text.replace("&", "").removesuffix("…").strip()


class Actions:
    """The main window's actions (built once, translated when built)."""

    def __init__(self, parent: QWidget, undo_group: QUndoGroup) -> None:
        pix = QStyle.StandardPixmap
        self.new_plan = _action(
            parent,
            _("&New plan…"),
            _("Plan a treatment for a patient: choose the regimen, the start and the options"),
            QKeySequence.StandardKey.New,
            pix.SP_FileIcon,
            short=_("New plan"),
        )
        self.export_calendar = _action(
            parent,
            _("&Export the patient's calendar…"),
            _("Write the patient's appointments as an iCalendar file for their phone or mail"),
            "Ctrl+E",
            pix.SP_DialogSaveButton,
            short=_("Calendar"),
        )
        self.patient_calendar = _action(
            parent,
            _("Patient's calendar by &link…"),
            _(
                "A link the patient subscribes to once in their phone's calendar: every "
                "change to their appointments then reaches it by itself"
            ),
        )
        self.export_unit = _action(
            parent,
            _("Export the &unit's sessions…"),
            _("Write every session of the unit over a period (iCalendar or CSV spreadsheet)"),
        )
        self.save_handout = _action(
            parent,
            _("Save the &handout as PDF…"),
            _("The patient's printed calendar and advice, as a PDF file"),
            "Ctrl+Shift+P",
        )
        self.print_handout = _action(
            parent,
            _("&Print the handout…"),
            _("Print the patient's calendar and advice"),
            QKeySequence.StandardKey.Print,
            short=_("Handout"),
        )
        self.settings = _action(
            parent,
            _("Unit &settings…"),
            _("Unit name and contact, closures, blood-test rule, reminders, port rules, language"),
            "Ctrl+,",
        )
        self.open_demo = _action(
            parent,
            _("Open the de&mo unit"),
            _("A realistic day hospital with made-up patients, to try the program"),
        )
        self.open_database = _action(
            parent,
            _("Open a &database…"),
            _("Open another unit's database file"),
            QKeySequence.StandardKey.Open,
        )
        self.connect_server = _action(
            parent,
            _("C&onnect to a shared unit…"),
            _("Open a unit several coordinators share, on a PostgreSQL server"),
        )
        self.calendar_server = _action(
            parent,
            _("Calendar ser&ver…"),
            _(
                "The server where the unit publishes the patients' calendars for "
                "subscription (CalDAV), its account and password"
            ),
        )
        self.open_own = _action(
            parent, _("&Back to my unit"), _("Leave the demo unit and open your own database")
        )
        self.open_own.setVisible(False)
        self.quit = _action(
            parent, _("&Quit"), _("Close Infusion Planner"), QKeySequence.StandardKey.Quit
        )
        # Undo and redo act on what is on screen: the patient shown (each patient has their
        # own undo stack) or the day hospital page. The menu says the whole change and whose
        # it is ("Undo Delay C3 D1 … — DUPONT Marie"), and so does the tooltip (Qt's default
        # tooltip is the text); the toolbar button keeps a short label.
        self.undo = undo_group.createUndoAction(parent, _("&Undo"))
        self.undo.setIconText(_("Undo"))
        self.undo.setShortcuts(QKeySequence.StandardKey.Undo)
        self.redo = undo_group.createRedoAction(parent, _("&Redo"))
        self.redo.setIconText(_("Redo"))
        self.redo.setShortcuts(redo_keys())
        self.find_patient = _action(
            parent, _("&Find a patient"), _("Search the list by name, number or regimen"), "Ctrl+F"
        )
        self.delay = _action(
            parent,
            _("&Delay the session…"),
            _("Move the selected session later, for a reason; see every date that moves first"),
            "Ctrl+D",
            short=_("Delay"),
        )
        self.omit = _action(
            parent,
            _("&Omit doses…"),
            _("Leave drugs out of the selected session without moving anything"),
            "Ctrl+Shift+O",
            short=_("Omit"),
        )
        self.give = _action(
            parent,
            _("Mark as &given…"),
            _("Record that the selected session was given, on its date or another"),
            "Ctrl+G",
            short=_("Given"),
        )
        self.stop = _action(
            parent,
            _("&Stop the treatment…"),
            _("End the plan on a date, with the reason"),
            short=pgettext("toolbar", "Stop"),
        )
        self.progression = _action(
            parent,
            _("Suspected p&rogression…"),
            _(
                "Imaging suggests progression but immunotherapy continues (possible "
                "pseudo-progression): plan the confirmation scan"
            ),
            short=_("Progression"),
        )
        self.edit_patient = _action(
            parent,
            _("Patient's de&tails…"),
            _("Correct the patient's names, hospital number, language, contact or preferred time"),
        )
        self.port_in_place = _action(
            parent,
            _("Patient has a &port"),
            _("The patient already has an implantable port: no placement is planned"),
        )
        self.port_in_place.setCheckable(True)
        self.confirm_port = _action(
            parent,
            _("Re&quest a port"),
            _("Plan a port placement where the advice recommends one without requiring it"),
        )
        self.confirm_port.setCheckable(True)
        self.about = _action(parent, _("&About Infusion Planner"), _("Version and licence"))
        self.open_log_folder = _action(
            parent,
            _("Open the &log folder"),
            _("Show the folder holding the program's log, to send it to support"),
        )
        self.restore_backup = _action(
            parent,
            _("Restore a daily &copy…"),
            _("Put back the database as it was on an earlier day (a copy is made every day)"),
        )
        self.show_patients = _action(
            parent, _("&Patients"), _("The patients and their plans"), "Ctrl+1"
        )
        self.show_unit = _action(
            parent,
            _("&Day hospital"),
            _("Chairs and hours: the load of the coming weeks and each day's bookings"),
            "Ctrl+2",
        )
        self.book_plan = _action(
            parent,
            _("&Book the sessions"),
            _(
                "Give a chair and a time to the plan's coming sessions: those without one, "
                "and those whose booking no longer fits (the session moved, the day closed)"
            ),
            "Ctrl+B",
        )
        self.day_sheet = _action(
            parent,
            _("Day &sheet…"),
            _("Print or save a day's bookings for the nurses (PDF or CSV)"),
        )
        self.optimise_day = _action(
            parent,
            _("&Optimise the day shown"),
            _(
                "Place the day shown on the day hospital page again with the optimiser: fewer "
                "chairs at the peak, fewer infusions starting together"
            ),
        )
        self.chairs_needed = _action(
            parent,
            _("How many c&hairs do we need?…"),
            _(
                "For a period, the fewest chairs and nurses with which every session of each "
                "weekday fits, under the unit's rules"
            ),
        )
        self.close_day = _action(
            parent,
            _("&Close the unit on a day…"),
            _("A training day, a strike, works: see which sessions move and who to call"),
        )
        # The day's work lists (planner.gui.flows.worklists).
        self.week_sessions = _action(
            parent,
            _("&Week's sessions…"),
            _(
                "Print or save a week's booked sessions for the nurses and the pharmacy: "
                "drugs, pumps, chair time (PDF or CSV)"
            ),
        )
        self.patients_to_call = _action(
            parent,
            _("&Patients to call…"),
            _(
                "The patients whose coming sessions a delay, a stop or a closure moved since "
                "a day, with their contact: print or save the list"
            ),
        )

    @property
    def settings_place(self) -> str:
        """Where the unit's settings are, as the menus read: "File › Unit settings (Ctrl+,)"."""
        return _("{menu} › {action} ({shortcut})").format(
            menu=on_screen(_("&File")),
            action=on_screen(self.settings.text()),
            shortcut=self.settings.shortcut().toString(QKeySequence.SequenceFormat.NativeText),
        )

    @property
    def plan_actions(self) -> list[QAction]:
        return [self.delay, self.omit, self.give, self.stop, self.progression]

    def update(
        self,
        ps: PlanSchedule | None,
        session: Session | None,
        has_unit: bool,
        *,
        optimisable: bool = False,
    ) -> None:
        """Enable what can act on the plan and session shown; ``optimisable``: the day
        hospital page shows a day from today on."""
        self.optimise_day.setEnabled(has_unit and optimisable)
        self.chairs_needed.setEnabled(has_unit)
        self.new_plan.setEnabled(has_unit)
        self.find_patient.setEnabled(has_unit)
        self.export_unit.setEnabled(has_unit)
        self.settings.setEnabled(has_unit)
        self.calendar_server.setEnabled(has_unit)
        for action in (self.show_unit, self.day_sheet, self.close_day, self.restore_backup):
            action.setEnabled(has_unit)
        self.week_sessions.setEnabled(has_unit)
        self.patients_to_call.setEnabled(has_unit)
        self.book_plan.setEnabled(ps is not None and not ps.stopped)
        for action in (
            self.export_calendar,
            self.patient_calendar,
            self.save_handout,
            self.print_handout,
        ):
            action.setEnabled(ps is not None)
        going = ps is not None and not ps.stopped
        can_touch = going and session is not None and session.given_on is None
        self.delay.setEnabled(can_touch and bool(session and session.doses))
        self.omit.setEnabled(can_touch and bool(session and session.doses))
        self.give.setEnabled(going and session is not None and bool(session.doses))
        self.stop.setEnabled(going)
        # Enabled for every plan: on one without immunotherapy the dialog says why it can't be.
        self.progression.setEnabled(going)
        self.port_in_place.setEnabled(ps is not None)
        self.edit_patient.setEnabled(ps is not None)
        if ps is None:
            self.port_in_place.setChecked(False)
            self.confirm_port.setEnabled(False)
            self.confirm_port.setChecked(False)
            return
        from planner.core.port import PortLevel

        self.port_in_place.setChecked(ps.plan.patient.port_in_place)
        self.confirm_port.setEnabled(going and ps.port.level is not PortLevel.REQUIRED)
        self.confirm_port.setChecked(ps.state.port_confirmed)
