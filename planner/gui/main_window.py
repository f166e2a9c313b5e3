"""The main window: the patient list beside the chosen patient's plan, menus and toolbar.

Composition and wiring: what an action does to a plan is in the core (through the unit and
its undo commands), what it asks is in the dialogs, what it writes is in planner.export.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from planner.gui.actions import Actions
from planner.gui.models.patient_list import (
    NAME,
    NUMBER,
    REGIMEN,
    SUMMARY_ROLE,
    PatientListModel,
)
from planner.gui.settings import Settings
from planner.i18n import _, error_text, ngettext

WATCH_MS = 5000
"""How often the window looks for other coordinators' changes."""

if TYPE_CHECKING:
    # The window paints before these are imported (the core, the database layer): they
    # are imported when the unit opens (start-up benchmark, bench/README.md).
    from planner.core.plan import Change
    from planner.core.plan_schedule import PlanSchedule
    from planner.gui.loading import ChangeListener, Loaded, UnitLoader
    from planner.gui.unit import PatientSummary, Unit
    from planner.gui.views.plan_view import PlanView
    from planner.gui.views.unit_view import UnitView


class MainWindow(QMainWindow):
    """Patients on the left, the chosen patient's plan on the right."""

    def __init__(self, today: Any, settings: Settings, parent: Any = None) -> None:
        super().__init__(parent)
        self.today = today
        self.settings = settings
        self.unit: Unit | None = None
        self._refresher: UnitLoader | None = None
        self._refresh_again = False
        # Other coordinators' changes (another window, another computer) are looked for
        # every few seconds: one cheap query (Store.change_token).
        self.watch = QTimer(self)
        self.watch.setInterval(WATCH_MS)
        self.watch.timeout.connect(self.look_for_changes)
        self._unreachable = False
        self._listener: ChangeListener | None = None
        self.retry_possible = False
        """The last change was not saved for a reason that may pass (not a refusal)."""
        self.undo_stack = QUndoStack(self)
        self.act = Actions(self, self.undo_stack)
        self.setWindowTitle(_("Infusion Planner"))
        self.resize(1320, 860)

        self.search = QLineEdit(placeholderText=_("Search a patient, a number or a regimen…"))
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip(_("Type part of a name, a hospital number or a regimen"))
        self.patients_model = PatientListModel(self)
        self.patients = QTableView()
        self.patients.setModel(self.patients_model)
        self.patients.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.patients.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.patients.setSortingEnabled(True)
        self.patients.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.patients.verticalHeader().setVisible(False)
        self.patients.setAlternatingRowColors(True)
        self.patients.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.patients.horizontalHeader().setStretchLastSection(True)
        self.patients.setWordWrap(False)
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
        splitter.setSizes([560, 760])
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
        file_menu.addActions([a.export_calendar, a.save_handout, a.print_handout, a.export_unit])
        file_menu.addSeparator()
        file_menu.addActions(
            [
                a.settings,
                a.open_database,
                a.connect_server,
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
        plan_menu.addActions([a.port_in_place, a.confirm_port])
        plan_menu.addSeparator()
        plan_menu.addAction(a.book_plan)
        view_menu = self.menuBar().addMenu(_("V&iew"))
        view_menu.addActions([a.show_patients, a.show_unit])
        unit_menu = self.menuBar().addMenu(_("&Unit"))
        unit_menu.addActions([a.day_sheet, a.close_day])
        help_menu = self.menuBar().addMenu(_("&Help"))
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
            from planner.gui.views.plan_view import PlanView

            view = self._plan_view = PlanView(self.today)
            view.table.addActions([self.act.delay, self.act.omit, self.act.give])
            view.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            view.selection_changed.connect(self._update_actions)
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
            view.grid.move_requested.connect(self._on_move_requested)
            view.book_button.clicked.connect(lambda: flows.book_unit(self))
            view.sheet_button.clicked.connect(self.act.day_sheet.trigger)
            index = self.tabs.indexOf(self.unit_placeholder)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, view, _("Day hospital"))
            self.unit_placeholder.deleteLater()
        return self._unit_view

    def refresh_unit_view(self) -> None:
        """Show the unit's bookings again (after a change, a move, new settings)."""
        if self._unit_view is None or self.unit is None:
            return
        from planner.explain import booking_problem_text, initials
        from planner.gui.views.day_view import DayBlock

        unit, view = self.unit, self._unit_view
        occupancy, editable = unit.occupancy_for(view.day)
        plans = unit.plans_by_id()
        blocks = []
        for key, booking in occupancy.on_day(view.day):
            plan = plans.get(key[0])
            if plan is None:
                continue
            misfit = occupancy.misfits.get(key)
            blocks.append(
                DayBlock(
                    key,
                    booking,
                    initials(plan.patient.name),
                    plan.patient.name,
                    plan.regimen.id,
                    f"C{key[1][1]} D{key[1][2]}",
                    tuple(sorted(plan.regimen.classes, key=lambda c: c.value)),
                    booking_problem_text(misfit) if misfit is not None else "",
                )
            )
        view.grid.editable = editable
        view.set_unit(unit.occupancy, blocks, occupancy)

    def _on_move_requested(self, key: Any, before: Any, after: Any) -> None:
        from planner.explain import initials
        from planner.gui.commands import ChangeBookings

        if self.unit is None:
            return
        text = _("Move {who} to {start} on {chair}").format(
            who=initials(self.unit.plans_by_id()[key[0]].patient.name),
            start=after.start.isoformat(timespec="minutes"),
            chair=after.chair,
        )
        self.undo_stack.push(
            ChangeBookings(
                self.unit,
                {key: before},
                {key: after},
                text,
                failed=lambda exc: self.show_error(_("The booking was not moved"), error_text(exc)),
            )
        )
        self.statusBar().showMessage(text, 10000)

    def _on_tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.unit_placeholder and self.unit is not None:
            self.unit_view  # noqa: B018 - made now; it replaces the placeholder
            self.tabs.setCurrentWidget(self.unit_view)
            self.refresh_unit_view()
        elif self.tabs.widget(index) is self._unit_view:
            self.refresh_unit_view()

    def _connect(self) -> None:
        a = self.act
        self.search.textChanged.connect(self.patients_model.set_filter)
        self.patients.selectionModel().selectionChanged.connect(self._on_patients_selection_changed)
        self.patients_model.modelReset.connect(self._on_patients_model_reset)
        a.quit.triggered.connect(self.close)
        a.find_patient.triggered.connect(self.search.setFocus)
        a.about.triggered.connect(self._on_about_triggered)
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
        self.undo_stack.clear()
        unit.plan_changed.connect(self._on_unit_plan_changed)
        unit.patient_changed.connect(self._on_unit_patient_changed)
        unit.settings_changed.connect(self._on_unit_settings_changed)
        unit.bookings_changed.connect(self._on_unit_bookings_changed)
        unit.mark_seen()  # what is in the database now is what this window shows
        self.watch.start()
        self._listen(unit)
        self.patients_model.set_summaries(summaries)
        self._fit_patient_columns()
        if self.current_summary() is None:
            # The unit is open: the right side invites a choice instead of "Opening…".
            self.plan_view.set_schedule(None)
        title = unit.settings.name or _("Infusion Planner")
        self.setWindowTitle(f"{title} — {unit.location}")
        self.statusBar().showMessage(
            ngettext("{n} patient", "{n} patients", len(summaries)).format(n=len(summaries))
        )
        self._update_actions()

    def _fit_patient_columns(self) -> None:
        # Names and regimens are cut (their tooltips say them whole) so that the next
        # session, what a coordinator looks for, stays in view.
        widest = {NAME: 170, NUMBER: 110, REGIMEN: 130}
        for column in range(self.patients_model.columnCount() - 1):
            self.patients.resizeColumnToContents(column)
            if column in widest:
                width = min(self.patients.columnWidth(column), widest[column])
                self.patients.setColumnWidth(column, width)

    # ------------------------------------------------------------------ selection
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
        if self.unit is None or patient_id is None:
            self.plan_view.set_schedule(None)
            self._update_actions()
            return
        summary = self.unit.summary(self.unit.store.patient(patient_id))
        self.patients_model.update_summary(summary)
        if summary.plan is None:
            self.plan_view.set_schedule(None, patient_name=summary.patient.name)
        else:
            ps = self.unit.schedule(summary.plan)
            own, to_redo = self.unit.plan_booking_state(ps)
            self.plan_view.set_schedule(
                ps, bookings=own, more_warnings=self._booking_warnings(ps, to_redo)
            )
        self._update_actions()

    def _booking_warnings(self, ps: PlanSchedule, to_redo: list[Any]) -> list[Any]:
        """A line for each booking of the plan to redo, and why."""
        from planner.bookings import problem_text
        from planner.explain import format_date, session_name
        from planner.explain_plan import WarningLine

        assert self.unit is not None
        index = {s.key: n for n, s in enumerate(ps.sessions)}
        lines = []
        for flag in to_redo:
            booked = flag.booking.day
            text = _(
                "{session}: the booking on {date} at {time} is to redo ({why}) — "
                "Plan › Book the sessions"
            ).format(
                session=session_name(ps.plan.regimen, flag.key[1]),
                date=format_date(booked) if booked else "",
                time=flag.booking.start.isoformat(timespec="minutes"),
                why=problem_text(flag),
            )
            day = flag.session.date if flag.session is not None else booked
            lines.append(WarningLine(text, day, index.get(flag.key[1])))
        return lines

    def _update_actions(self) -> None:
        view = self._plan_view
        if view is None:
            self.act.update(None, None, self.unit is not None)
        else:
            self.act.update(view.ps, view.selected_session(), self.unit is not None)

    # ------------------------------------------------------------------ changes
    def apply_change(self, change: Change, *, sessions_moved: int | None = None) -> bool:
        """Record ``change`` on the plan shown, as one undoable command; False if refused."""
        from planner.core.changes import ChangeRefused
        from planner.explain_plan import change_text, refusal_text
        from planner.gui.commands import RecordChange

        self.retry_possible = False
        ps, unit = self.plan_view.ps, self.unit
        if ps is None or unit is None:
            return False
        text = change_text(change, ps.plan)
        try:
            changed = unit.record(unit.plan(ps.plan.id), change)
        except ChangeRefused as refused:
            self.show_error(_("Not possible"), refusal_text(refused, ps.plan))
            return False
        except Exception as exc:
            from planner.store import Conflict

            # A database out of reach, busy, full...: the same change can be tried again.
            self.retry_possible = not isinstance(exc, Conflict)
            self.show_error(_("The change was not saved"), error_text(exc))
            self._reload_after_conflict(exc, ps.plan.patient.id)
            return False
        self.undo_stack.push(
            RecordChange(unit, ps.plan.id, changed.ledger[-1].seq, text, failed=self._on_failed)
        )
        if sessions_moved:
            text += " — " + ngettext(
                "{n} session moved", "{n} sessions moved", sessions_moved
            ).format(n=sessions_moved)
        self.statusBar().showMessage(text, 15000)
        return True

    @property
    def change_listener(self) -> ChangeListener | None:
        """What hears other coordinators' changes at once (a unit on a server only)."""
        return self._listener

    def _listen(self, unit: Unit) -> None:
        """On a PostgreSQL server, hear other coordinators' changes at once."""
        from planner.gui.loading import ChangeListener

        if self._listener is not None:
            self._listener.stop()
            self._listener = None
        if unit.store.location.path is None:  # a server, not a SQLite file
            listener = self._listener = ChangeListener(unit.store.location.url)
            listener.noticed.connect(self.look_for_changes)
            listener.start()

    def look_for_changes(self) -> bool:
        """Show what other coordinators changed; say so if the database cannot be reached
        (nothing is lost: the window keeps what it shows, and tries again)."""
        unit = self.unit
        if unit is None or self._refresher is not None:
            return False
        try:
            changed = unit.changed_elsewhere()
        except Exception as exc:
            self._unreachable = True
            self.statusBar().showMessage(
                _(
                    "The database cannot be reached ({error}); trying again every {n} "
                    "seconds. Nothing shown here is lost."
                ).format(error=error_text(exc), n=WATCH_MS // 1000)
            )
            return False
        if self._unreachable:
            self._unreachable = False
            self.statusBar().showMessage(_("The database can be reached again."), 10000)
        if changed:
            unit.reload()
            self.statusBar().showMessage(_("Changes made by another coordinator are shown."), 10000)
        return changed

    def _reload_after_conflict(self, exc: Exception, patient_id: str) -> None:
        """Another coordinator changed the plan first: show it as it is now."""
        from planner.store import Conflict

        if isinstance(exc, Conflict) and self.unit is not None:
            self.unit.forget(patient_id)
            self.show_patient(patient_id)

    def set_port_in_place(self, in_place: bool) -> None:
        from planner.gui.commands import SetPortInPlace

        ps, unit = self.plan_view.ps, self.unit
        if ps is None or unit is None:
            return
        text = (
            _("{name} has an implantable port") if in_place else _("{name} has no port")
        ).format(name=ps.plan.patient.name)
        self.undo_stack.push(
            SetPortInPlace(unit, ps.plan.patient, in_place, text, failed=self._on_failed)
        )
        self.statusBar().showMessage(text, 15000)

    def request_port(self, confirmed: bool) -> None:
        from planner.core.plan import ConfirmPort

        self.apply_change(ConfirmPort(confirmed))

    def show_error(self, title: str, text: str) -> None:
        QMessageBox.warning(self, title, text)

    def _on_failed(self, exc: Exception) -> None:
        self.show_error(_("Undo or redo could not be done"), error_text(exc))

    # ------------------------------------------------------------------ slots
    def _on_patients_selection_changed(
        self, _selected: QItemSelection, _deselected: QItemSelection
    ) -> None:
        summary = self.current_summary()
        self.show_patient(summary.patient.id if summary is not None else None)

    def _on_patients_model_reset(self) -> None:
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
        self.refresh_patient_list()

    def refresh_patient_list(self) -> None:
        """Every patient's next session and warnings again (closures, the lab rule or the port
        rules changed), read and computed off the GUI thread as at opening."""
        from planner.gui.loading import UnitLoader

        unit = self.unit
        if unit is None:
            return
        if self._refresher is not None:
            self._refresh_again = True
            return
        self._refresh_again = False
        self.statusBar().showMessage(_("Updating the patient list…"))
        refresher = self._refresher = UnitLoader(
            unit.store.location.url, unit.today, catalog=unit.catalog
        )
        refresher.loaded.connect(lambda loaded: self._on_list_refreshed(unit, loaded))
        for failed in (refresher.failed, refresher.password_needed):
            failed.connect(
                lambda message: self.show_error(_("The patient list was not updated"), message)
            )
        refresher.finished.connect(self._on_refresher_finished)
        refresher.start()

    def _on_list_refreshed(self, unit: Unit, loaded: Loaded) -> None:
        if unit is not self.unit or self._refresh_again:
            return  # another unit was opened, or the settings changed again meanwhile
        shown = self.current_summary()
        unit.adopt(loaded.plans)
        self.patients_model.set_summaries(loaded.summaries)
        if shown is not None:
            self.select_patient(shown.patient.id)
        self.statusBar().showMessage(_("Patient list updated"), 5000)

    def _on_refresher_finished(self) -> None:
        if self._refresher is not None:
            self._refresher.deleteLater()
        self._refresher = None
        if self._refresh_again:
            self.refresh_patient_list()

    def wait_for_refresh(self) -> None:
        """For tests and closing: let a list update in progress end."""
        while self._refresher is not None:
            self._refresher.wait()
            QApplication.processEvents()

    def _on_unit_bookings_changed(self) -> None:
        if self.tabs.currentWidget() is self._unit_view:
            self.refresh_unit_view()
        if self._plan_view is not None and self._plan_view.ps is not None:
            self.show_patient(self._plan_view.ps.plan.patient.id)

    def _on_about_triggered(self) -> None:
        QMessageBox.about(
            self,
            _("About Infusion Planner"),
            _(
                "Infusion Planner (planificateur de perfusions) schedules the intravenous "
                "treatments of an oncology day hospital. It plans dates; it never calculates "
                "doses. Free software under the GNU GPL, version 3 or later."
            ),
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.window_geometry = bytes(self.saveGeometry().data())
        self.settings.window_state = bytes(self.saveState().data())
        self.settings.sync()
        self.wait_for_refresh()
        self.watch.stop()
        if self._listener is not None:
            self._listener.stop()
        if self.unit is not None:
            self.unit.store.close()
        super().closeEvent(event)
