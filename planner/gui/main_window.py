"""The main window: the patient list beside the chosen patient's plan, menus and toolbar.

Composition and wiring: what an action does to a plan is in the core (through the unit and
its undo commands), what it asks is in the dialogs, what it writes is in planner.export.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QCloseEvent, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from planner import __version__
from planner.gui.actions import Actions
from planner.gui.calendars import CalendarPublisher
from planner.gui.dialogs import down_into
from planner.gui.models.patient_list import SUMMARY_ROLE, PatientListModel
from planner.gui.plain import warn
from planner.gui.settings import Settings
from planner.gui.undoing import Undoing
from planner.gui.views.patient_table import PatientTable
from planner.gui.watching import UnitWatch
from planner.i18n import _, ngettext

if TYPE_CHECKING:
    # The window paints before these are imported (the core, the database layer): they
    # are imported when the unit opens (start-up benchmark, bench/README.md).
    from collections.abc import Sequence
    from datetime import date

    from planner.core.plan_schedule import PlanSchedule
    from planner.core.schedule import Session
    from planner.core.summary import PatientSummary
    from planner.gui.unit import Unit
    from planner.gui.views.plan_view import PlanView
    from planner.gui.views.unit_view import UnitView


class MainWindow(QMainWindow):
    """Patients on the left, the chosen patient's plan on the right."""

    def __init__(self, today: Any, settings: Settings, parent: Any = None) -> None:
        super().__init__(parent)
        self.today = today
        self.settings = settings
        self.unit: Unit | None = None
        # One undo stack per patient and one for the day hospital page: undo and redo act
        # on what is on screen, never on a patient the coordinator is not looking at.
        self.undoing = Undoing(self, lambda text: self.statusBar().showMessage(text, 15000))
        self.undo_group = self.undoing.group
        self.act = Actions(self, self.undo_group)
        # Other coordinators' changes (another window, another computer), as they happen.
        self.watch = UnitWatch(self)
        # Patients' live calendars, sent to the unit's calendar server as they change.
        self.calendars = CalendarPublisher(self)
        self.setWindowTitle("")  # the system shows the program's name
        # The whole screen's room at first (1366×768 and 1280×720 screens are common in
        # hospitals); then the size the user left it at.
        room = QApplication.primaryScreen().availableGeometry()
        self.resize(min(1366, room.width()), min(840, room.height()))

        self.search = QLineEdit(placeholderText=_("Search a patient, a number or a regimen…"))
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip(_("Type part of a name, a hospital number or a regimen"))
        self.patients_model = PatientListModel(self)
        self.patients = PatientTable(self.patients_model)
        self._plan_view: PlanView | None = None
        self.placeholder = QLabel(_("Opening the unit…"))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 0, 6)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.patients)
        splitter = self.splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.placeholder)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([420, 946])
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(splitter, _("Patients"))
        self._unit_view: UnitView | None = None
        self.unit_placeholder = QLabel(_("The day hospital's chairs and hours"))
        self.unit_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.tabs.addTab(self.unit_placeholder, _("Day hospital"))
        self.setCentralWidget(self.tabs)
        self._build_menus()
        self._connect()
        self._update_actions()
        self.statusBar().showMessage(_("Opening the unit…"))

    # ------------------------------------------------------------------ building
    def _build_menus(self) -> None:
        a = self.act
        file_menu = self.menuBar().addMenu(_("&File"))
        file_menu.addActions([a.new_plan])
        file_menu.addSeparator()
        file_menu.addActions(
            [a.export_calendar, a.patient_calendar, a.save_handout, a.print_handout, a.export_unit]
        )
        file_menu.addSeparator()
        file_menu.addActions(
            [
                a.settings,
                a.open_database,
                a.connect_server,
                a.calendar_server,
                a.open_demo,
                a.open_own,
                a.restore_backup,
            ]
        )
        file_menu.addSeparator()
        file_menu.addAction(a.quit)
        edit_menu = self.menuBar().addMenu(_("&Edit"))
        edit_menu.addActions([a.undo, a.redo])
        edit_menu.addSeparator()
        edit_menu.addAction(a.find_patient)
        plan_menu = self.menuBar().addMenu(_("&Plan"))
        plan_menu.addActions(a.plan_actions)
        plan_menu.addSeparator()
        plan_menu.addActions([a.edit_patient, a.port_in_place, a.confirm_port])
        plan_menu.addSeparator()
        plan_menu.addAction(a.book_plan)
        view_menu = self.menuBar().addMenu(_("V&iew"))
        view_menu.addActions([a.show_patients, a.show_unit])
        unit_menu = self.menuBar().addMenu(_("&Unit"))
        unit_menu.addActions([a.day_sheet, a.week_sessions, a.patients_to_call, a.close_day])
        unit_menu.addSeparator()
        unit_menu.addActions([a.optimise_day, a.chairs_needed])
        help_menu = self.menuBar().addMenu(_("&Help"))
        help_menu.addAction(a.open_log_folder)
        help_menu.addSeparator()
        help_menu.addAction(a.about)
        toolbar = QToolBar(_("Main toolbar"))
        toolbar.setObjectName("main-toolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addActions([a.new_plan, a.undo, a.redo])
        toolbar.addSeparator()
        toolbar.addActions(a.plan_actions)
        toolbar.addSeparator()
        toolbar.addActions([a.export_calendar, a.print_handout])
        self.addToolBar(toolbar)

    @property
    def plan_view(self) -> PlanView:
        """The plan of the chosen patient (made when first needed, after the first paint)."""
        if self._plan_view is None:
            from planner.gui import flows
            from planner.gui.views.plan_view import PlanView

            view = self._plan_view = PlanView(self.today)
            view.table.addActions([self.act.delay, self.act.omit, self.act.give])
            view.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            view.selection_changed.connect(self._update_actions)
            view.find_place_requested.connect(lambda: flows.find_place(self))
            view.set_legend_shown(self.settings.legend_shown)
            view.legend_toggled.connect(self._on_plan_view_legend_toggled)
            view.history.read_records = lambda patient: (
                self.unit.store.audit(patient) if self.unit is not None else []
            )
            self.splitter.replaceWidget(1, view)
            self.placeholder.deleteLater()
        return self._plan_view

    @property
    def unit_view(self) -> UnitView:
        """The day hospital page (made when first shown)."""
        if self._unit_view is None:
            from planner.gui import flows
            from planner.gui.views.unit_view import UnitView

            view = self._unit_view = UnitView(self.today)
            view.day_changed.connect(lambda _day: self.refresh_unit_view())
            view.grid.move_requested.connect(
                lambda key, before, after: flows.move_booking(self, key, before, after)
            )
            view.book_button.clicked.connect(lambda: flows.book_unit(self))
            view.sheet_button.clicked.connect(self.act.day_sheet.trigger)
            view.optimise_button.clicked.connect(self.act.optimise_day.trigger)
            optimise = self.act.optimise_day
            optimise.changed.connect(lambda: view.optimise_button.setEnabled(optimise.isEnabled()))
            view.day_changed.connect(lambda _day: self._update_actions())
            index = self.tabs.indexOf(self.unit_placeholder)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, view, _("Day hospital"))
            self.unit_placeholder.deleteLater()
        return self._unit_view

    def refresh_unit_view(self) -> None:
        """Show the unit's bookings again (after a change, a move, new settings)."""
        if self._unit_view is not None and self.unit is not None:
            self._unit_view.show_unit(self.unit)

    def show_day(self, day: date) -> None:
        self.tabs.setCurrentIndex(1)
        self.unit_view.show_day(day)

    def _on_tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.unit_placeholder and self.unit is not None:
            self.unit_view  # noqa: B018 - made now; it replaces the placeholder
            self.tabs.setCurrentWidget(self.unit_view)
            self.refresh_unit_view()
        elif self.tabs.widget(index) is self._unit_view:
            self.refresh_unit_view()
        self._update_actions()

    def _connect(self) -> None:
        a = self.act
        self.search.textChanged.connect(self.patients_model.set_filter)
        down_into(self.search, self.patients)
        self.patients.selectionModel().selectionChanged.connect(self._on_patients_selection_changed)
        self.patients_model.modelReset.connect(self._on_patients_model_reset)
        self.patients_model.rowsInserted.connect(self._on_patients_model_reset)
        self.patients_model.layoutChanged.connect(self._on_patients_layout_changed)
        a.quit.triggered.connect(self.close)
        self.undoing.connect(a.undo, a.redo)
        a.find_patient.triggered.connect(self.search.setFocus)
        a.about.triggered.connect(self._on_about_triggered)
        a.open_log_folder.triggered.connect(self._on_open_log_folder_triggered)
        a.show_patients.triggered.connect(lambda: self.tabs.setCurrentIndex(0))
        a.show_unit.triggered.connect(lambda: self.tabs.setCurrentIndex(1))
        self.tabs.currentChanged.connect(self._on_tab_changed)
        # Flows that open dialogs live in planner.gui.flows (kept out of the composition).
        from planner.gui import flows

        flows.connect(self)

    # ------------------------------------------------------------------ the unit
    def open_unit(self, unit: Unit, summaries: list[PatientSummary]) -> None:
        """Show ``unit``'s patients."""
        if self.unit is not None and self.unit is not unit:
            self.unit.store.close()
        self.unit = unit
        self.undoing.clear()  # another unit: nothing of the last to undo
        # Nothing of the last unit stays on screen: its lists left open beside the window
        # (patients to call) close, and the day hospital page shows this unit's day.
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible() and not dialog.isModal():
                dialog.close()
        unit.plan_changed.connect(self._on_unit_plan_changed)
        unit.patient_changed.connect(self._on_unit_patient_changed)
        unit.settings_changed.connect(self._on_unit_settings_changed)
        unit.bookings_changed.connect(self._on_unit_bookings_changed)
        self.watch.start(unit)
        self.calendars.start(unit)
        if not self.patients_model.adopt(summaries):
            self.patients_model.set_summaries(summaries, by_name=True)
            self.patients.fit_columns(grow_only=False)
        shown = self.current_summary()
        if shown is None:
            # The unit is open: the right side invites a choice instead of "Opening…".
            self.plan_view.set_schedule(None)
        else:  # chosen in the list read before the unit opened
            self.show_patient(shown.patient.id)
        self.refresh_unit_view()
        # The unit and where it is; the system adds the program's name after it.
        name = unit.settings.name
        self.setWindowTitle(f"{name} — {unit.location}" if name else unit.location)
        self.statusBar().showMessage(
            ngettext("{n} patient", "{n} patients", len(summaries)).format(n=len(summaries))
        )
        self._update_actions()

    def show_early_list(self, summaries: Sequence[PatientSummary]) -> None:
        """The patient list of the unit being opened, read before the unit is open
        (planner.store.quick); a patient chosen meanwhile is shown once it is. (Its columns
        are fitted as the list is filled: the list was empty.)"""
        self.patients_model.set_summaries(summaries, by_name=True)
        if summaries:
            self.statusBar().showMessage(
                ngettext(
                    "{n} patient — opening the unit…",
                    "{n} patients — opening the unit…",
                    len(summaries),
                ).format(n=len(summaries))
            )

    def restore_geometry(self, saved: bytes) -> None:
        """The size and place the user left the window at, within this screen: saved on a
        larger screen (or before a laptop left its dock), it was wider than a 1280×720
        screen, its right side and status bar out of reach."""
        self.restoreGeometry(QByteArray(saved))
        room = self.screen().availableGeometry()
        if self.width() > room.width() or self.height() > room.height():
            self.resize(min(self.width(), room.width()), min(self.height(), room.height()))
            self.move(room.topLeft())

    # ------------------------------------------------------------------ the desk
    @property
    def widget(self) -> QMainWindow:
        return self

    def undo_stack_for(self, patient_id: str | None) -> QUndoStack:
        stack = self.undoing.stack_for(patient_id)
        self._activate_undo()
        return stack

    def _activate_undo(self) -> None:
        """Undo and redo follow the page and the patient on screen."""
        if self._unit_view is not None and self.tabs.currentWidget() is self._unit_view:
            self.undoing.follow(None)
        else:
            ps = self.current_schedule()
            self.undoing.follow(ps.plan.patient.id if ps else None, nothing=ps is None)

    def shown_day(self) -> date | None:
        if self._unit_view is not None and self.tabs.currentWidget() is self._unit_view:
            return self._unit_view.day
        return None

    # ------------------------------------------------------------------ selection
    def selected_session(self) -> Session | None:
        return self._plan_view.selected_session() if self._plan_view is not None else None

    def current_summary(self) -> PatientSummary | None:
        rows = self.patients.selectionModel().selectedRows()
        return self.patients_model.data(rows[0], SUMMARY_ROLE) if rows else None

    def current_schedule(self) -> PlanSchedule | None:
        return self._plan_view.ps if self._plan_view is not None else None

    def select_patient(self, patient_id: str) -> bool:
        row = self.patients_model.row_of(patient_id)
        if row is None:
            return False
        index = self.patients_model.index(row, 0)
        self.patients.selectionModel().select(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.patients.scrollTo(index)
        return True

    def show_patient(self, patient_id: str | None) -> None:
        """Show the patient's current plan (read again from the unit)."""
        from planner.day_hospital.bookings import redo_lines

        if self.unit is None or patient_id is None:
            self.plan_view.set_schedule(None)
            self._update_actions()
            return
        summary = self.unit.summary(self.unit.store.patient(patient_id))
        self.patients_model.update_summary(summary)
        if summary.plan_id is None:
            self.plan_view.set_schedule(None, patient_name=summary.patient.name)
        else:
            ps = self.unit.schedule(self.unit.plan(summary.plan_id))
            own, to_redo = self.unit.plan_booking_state(ps)
            self.plan_view.set_schedule(ps, bookings=own, more_warnings=redo_lines(ps, to_redo))
        self._update_actions()

    def _update_actions(self) -> None:
        view = self._plan_view
        day = self.shown_day()
        optimisable = day is not None and day >= self.today
        if view is None or day is not None:
            # On the day hospital page the patient's plan is not on screen: nothing acts on
            # it from there (Ctrl+D would change a patient the coordinator cannot see).
            self.act.update(None, None, self.unit is not None, optimisable=optimisable)
        else:
            self.act.update(view.ps, view.selected_session(), self.unit is not None)
        self._activate_undo()

    def show_error(self, title: str, text: str) -> None:
        warn(self, title, text)

    def say_list_progress(self, done: int, total: int) -> None:
        self.statusBar().showMessage(
            ngettext(
                "Preparing the patient list: {done} of {total} plan…",
                "Preparing the patient list: {done} of {total} plans…",
                total,
            ).format(done=done, total=total)
        )

    # ------------------------------------------------------------------ slots
    def _on_patients_selection_changed(
        self, _selected: QItemSelection, _deselected: QItemSelection
    ) -> None:
        summary = self.current_summary()
        self.show_patient(summary.patient.id if summary is not None else None)

    def _on_patients_model_reset(self) -> None:
        self.patients.fit_columns()  # a patient added to a new unit's empty list
        self._on_patients_layout_changed()

    def _on_patients_layout_changed(self) -> None:
        """A search that no longer shows the selected patient shows no plan (Qt says nothing
        of a selection lost this way)."""
        if self.current_summary() is None and self._plan_view is not None:
            self.plan_view.set_schedule(None)
            self._update_actions()

    def _on_unit_plan_changed(self, plan_id: str) -> None:
        ps = self.plan_view.ps
        if self.unit is None:
            return
        plan = self.unit.plan(plan_id)
        if ps is None or ps.plan.patient.id == plan.patient.id:
            self.show_patient(plan.patient.id)
        else:
            self.patients_model.update_summary(self.unit.summary(plan.patient))
        if self.tabs.currentWidget() is self._unit_view:
            self.refresh_unit_view()

    def _on_unit_patient_changed(self, patient_id: str) -> None:
        if self.unit is None:
            return
        shown = self.plan_view.ps
        if shown is not None and shown.plan.patient.id == patient_id:
            self.show_patient(patient_id)
        else:
            self.patients_model.update_summary(
                self.unit.summary(self.unit.store.patient(patient_id))
            )

    def _on_unit_settings_changed(self) -> None:
        summary = self.current_summary()
        self.show_patient(summary.patient.id if summary is not None else None)
        self.watch.refresh_patient_list()

    def _on_unit_bookings_changed(self) -> None:
        if self.tabs.currentWidget() is self._unit_view:
            self.refresh_unit_view()
        if self._plan_view is not None and self._plan_view.ps is not None:
            self.show_patient(self._plan_view.ps.plan.patient.id)

    def _on_plan_view_legend_toggled(self, shown: bool) -> None:
        self.settings.legend_shown = shown

    def _on_about_triggered(self) -> None:
        QMessageBox.about(
            self,
            _("About Infusion Planner"),
            _(
                "Infusion Planner (planificateur de perfusions) schedules the intravenous "
                "treatments of an oncology day hospital. It plans dates; it never calculates "
                "doses. Free software under the GNU GPL, version 3 or later."
            )
            + "\n\n"
            + _("Version {version}").format(version=__version__),
        )

    def _on_open_log_folder_triggered(self) -> None:
        """The log's folder in the system's file manager (made if the log never wrote)."""
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        from planner import logbook

        folder = logbook.log_file().parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
            shown = QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
        except OSError:
            shown = False
        if not shown:
            warn(self, _("The log folder could not be shown"), str(folder))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.window_geometry = bytes(self.saveGeometry().data())
        self.settings.window_state = bytes(self.saveState().data())
        self.settings.sync()
        self.watch.stop()
        self.calendars.stop()
        if self.unit is not None:
            self.unit.store.close()
        super().closeEvent(event)
