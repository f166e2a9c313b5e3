"""One patient's plan: who and what, the port advice, the warnings, the month calendar, the
table of every session and event and, beside it, the plan's history. A view only: the window
acts on what is selected."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from planner import explain
from planner.core.booking import Booking
from planner.core.plan_schedule import PlanSchedule
from planner.core.port import PortLevel
from planner.core.schedule import Event, Session, SessionKey
from planner.explain_plan import WarningLine, next_session, warning_lines
from planner.gui.models.plan_table import ITEM_ROLE, REASON, STATUS, WHAT, PlanTableModel
from planner.gui.plain import tip
from planner.gui.views.calendar_legend import CalendarLegend
from planner.gui.views.history import HistoryView
from planner.gui.views.month_calendar import MonthCalendar
from planner.i18n import _, format_date, language

WARNING_ROLE = Qt.ItemDataRole.UserRole + 1
WARNING_ROWS = 3
"""Warnings shown at once; more scroll."""
WHAT_WIDTH = 220
"""The widest the table's What column is fitted to: a long list of drugs is cut (its
tooltip says it whole) so that the status stays in view at 1366×768 and 1280×720."""


class ElidedLabel(QLabel):
    """One line of text, cut with "…" when the room is short; the whole in its tooltip."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def full_text(self) -> str:
        return self._full

    @override
    def setText(self, text: str) -> None:
        self._full = text
        self.setToolTip(tip(text))
        self._elide()

    def _elide(self) -> None:
        width = max(0, self.contentsRect().width())
        text = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, width)
        super().setText(text)

    @override
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()


def _bold_label(scale: float = 1.0) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)
    return label


def plan_heading(ps: PlanSchedule, today: date) -> str:
    """ "Regimen · started Mon 8 Mar 2027 · next session Mon 29 Mar 2027" (or stopped)."""
    plan = ps.plan
    parts = [
        plan.regimen.name.get(language()),
        _("starts {date}").format(date=format_date(plan.start)),
        explain.policy_name(plan.policy),
    ]
    if ps.state.stop is not None:
        parts.append(
            _("stopped on {date} ({reason})").format(
                date=format_date(ps.state.stop.on), reason=ps.state.stop.reason
            )
        )
    else:
        upcoming = next_session(ps, today)
        if upcoming is not None:
            parts.append(_("next session {date}").format(date=format_date(upcoming.date)))
        else:
            parts.append(_("no session to come"))
    return " · ".join(parts)


def port_text(ps: PlanSchedule) -> str:
    """The port advice with its level and reasons, and what the plan does about it, as one
    paragraph (a line or two on screen)."""
    level = _("Implantable port: {level}").format(level=explain.port_level_name(ps.port.level))
    parts = explain.port_reasons(ps.port)
    if ps.plan.patient.port_in_place:
        parts.append(_("The patient already has a port: no placement is planned."))
    elif ps.port_task:
        placement = [e for e in ps.events if e.kind.value == "port-placement"]
        if placement:
            parts.append(
                _("Placement planned on {date}.").format(date=format_date(placement[0].date))
            )
    elif ps.port.level is PortLevel.RECOMMENDED:
        parts.append(_("Recommended: confirm it (Plan menu) to plan the placement."))
    return " — ".join([level, " ".join(parts)]) if parts else level


class PlanView(QWidget):
    """The plan of the patient chosen in the list."""

    selection_changed = Signal()
    """The selected session or event changed."""
    find_place_requested = Signal()
    """The coordinator asks for a place for the bookings to redo."""
    legend_toggled = Signal(bool)
    """The calendar's legend was unfolded (True) or folded."""

    def __init__(self, today: date, parent: Any = None) -> None:
        super().__init__(parent)
        self.today = today
        self.ps: PlanSchedule | None = None
        self.patient_label = _bold_label(1.2)
        self.patient_label.setWordWrap(False)
        self.plan_label = ElidedLabel()
        self.port_label = QLabel()
        self.port_label.setWordWrap(True)
        self.port_label.setTextFormat(Qt.TextFormat.PlainText)
        self.port_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.port_label.setMargin(6)
        self.port_label.setToolTip(
            _("Implantable port (chambre implantable): whether it is needed, and why")
        )
        self.warnings = QListWidget()
        self.warnings.setToolTip(_("Points that need attention: click one to see it"))
        self.warnings.setUniformItemSizes(True)
        # One line each, cut with "…" (the tooltip says it whole): no scroll bar across.
        self.warnings.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.warnings.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.warnings.itemActivated.connect(self._on_warnings_item_activated)
        self.warnings.itemClicked.connect(self._on_warnings_item_activated)
        self.find_place = QPushButton(_("Fi&nd a place"))
        self.find_place.setToolTip(
            _(
                "Book again the sessions whose booking is to redo; when no chair is free on "
                "their day, show that day's chairs"
            )
        )
        self.find_place.clicked.connect(self.find_place_requested)

        self.calendar = MonthCalendar()
        self.calendar.set_today(today)
        self.calendar.date_activated.connect(self._on_calendar_date_activated)
        self.legend = CalendarLegend(columns=4)
        self.legend.setVisible(False)
        # The legend folds away (it is learnt once): its switch sits in the month's row.
        self.legend_button = QToolButton()
        self.legend_button.setText(_("&Legend"))
        self.legend_button.setCheckable(True)
        self.legend_button.setAutoRaise(True)
        self.legend_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.legend_button.setArrowType(Qt.ArrowType.RightArrow)
        self.legend_button.setToolTip(_("Show or hide what the calendar's colours and marks mean"))
        self.legend_button.toggled.connect(self.set_legend_shown)
        self.calendar.add_to_navigation(self.legend_button)
        self.table_model = PlanTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.table_model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # The status (given, or the booked time and chair) before the reason: the reason,
        # a sentence whole in its tooltip, comes last and takes the room left.
        self.table.horizontalHeader().moveSection(STATUS, REASON)
        self.table.setWordWrap(False)
        # Rows as tall as a line of text: eight or more in view on a 1366×768 screen.
        rows = self.table.verticalHeader()
        rows.setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.history = HistoryView()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.table, _("Sessions"))
        self.tabs.setTabToolTip(0, _("Every session and event of the plan, in date order"))
        self.tabs.addTab(self.history, _("History"))
        self.tabs.setTabToolTip(
            1, _("Who changed the plan, when, what and why; what was undone, by whom")
        )
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.calendar, stretch=1)
        left_layout.addWidget(self.legend)
        splitter = self.splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(left)
        splitter.addWidget(self.tabs)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 270])

        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        layout.addWidget(self.patient_label)
        layout.addWidget(self.plan_label)
        layout.addWidget(self.port_label)
        warnings = QHBoxLayout()
        warnings.addWidget(self.warnings, 1)
        warnings.addWidget(self.find_place, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(warnings)
        layout.addWidget(splitter, stretch=1)
        self.set_schedule(None)

    # ------------------------------------------------------------------ content
    def set_schedule(
        self,
        ps: PlanSchedule | None,
        *,
        patient_name: str = "",
        bookings: Mapping[SessionKey, Booking] | None = None,
        more_warnings: Sequence[WarningLine] = (),
    ) -> None:
        """Show ``ps``; ``bookings`` give booked sessions their time and chair, and
        ``more_warnings`` join the plan's own (bookings to redo)."""
        keep = self.selected_item()
        previous = self.ps
        self.ps = ps
        self.table_model.set_schedule(ps, bookings)
        self.calendar.set_schedule(ps)
        self.history.set_plan(ps.plan if ps is not None else None)
        self.warnings.clear()
        if ps is None:
            self.patient_label.setText(patient_name or _("No patient chosen"))
            self.plan_label.setText(
                _("This patient has no plan yet: File › New plan creates one.")
                if patient_name
                else _("Choose a patient in the list, or create a plan (File › New plan).")
            )
            self.port_label.hide()
            self.warnings.hide()
            self.find_place.hide()
            self.calendar.select_date(self.today)  # the month of today, with its closures
            return
        patient = ps.plan.patient
        self.patient_label.setText(f"{patient.name} — {patient.hospital_number}")
        self.plan_label.setText(plan_heading(ps, self.today))
        self.port_label.setText(port_text(ps))
        self.port_label.show()
        lines = sorted(
            [*warning_lines(ps), *more_warnings],
            key=lambda line: (line.date or date.min, line.session or 0),
        )
        for line in lines:
            item = QListWidgetItem("⚠ " + line.text)
            item.setData(WARNING_ROLE, line)
            item.setToolTip(tip(line.text))
            self.warnings.addItem(item)
        self.warnings.setVisible(bool(lines))
        self._fit_warnings()
        self.find_place.setVisible(any(line.to_book for line in lines))
        if previous is None:
            # Fitted to the first plan shown, then kept: measuring every row of every
            # column at each switch of patient took 50 ms (bench/README.md).
            self._fit_columns()
        else:
            # ...but a status grows with a booking ("planned · 08:00–08:45, F1"): one
            # column measured, widened only.
            self._fit_status()
        same_plan = previous is not None and previous.plan.id == ps.plan.id
        if same_plan and keep is not None:
            self._select_key(keep)
        else:
            upcoming = next_session(ps, self.today)
            first = upcoming.date if upcoming is not None else ps.plan.start
            self.calendar.show_month(first.year, first.month)
            self.calendar.select_date(first)
            # The table opens on what comes next (nothing selected: acting stays a choice).
            row = self.table_model.row_of_date(first)
            if row is not None:
                self.table.scrollTo(
                    self.table_model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtTop
                )

    def set_legend_shown(self, shown: bool) -> None:
        """Unfold (or fold) the calendar's legend."""
        self.legend.setVisible(shown)
        self.legend_button.setArrowType(
            Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        )
        if self.legend_button.isChecked() != shown:
            self.legend_button.setChecked(shown)
        self.legend_toggled.emit(shown)

    def _fit_warnings(self) -> None:
        """The warnings list as tall as its lines, up to :data:`WARNING_ROWS`, then scrolling:
        one warning takes one line, not a fixed box."""
        shown = min(self.warnings.count(), WARNING_ROWS)
        row = self.warnings.sizeHintForRow(0) if shown else 0
        self.warnings.setFixedHeight(shown * row + 2 * self.warnings.frameWidth())

    def _fit_status(self) -> None:
        wanted = min(self.table.sizeHintForColumn(STATUS), 320)
        if wanted > self.table.columnWidth(STATUS):
            self.table.setColumnWidth(STATUS, wanted)

    def _fit_columns(self) -> None:
        for column in range(self.table_model.columnCount()):
            if column == REASON:
                continue
            self.table.resizeColumnToContents(column)
            widest = WHAT_WIDTH if column == WHAT else 320
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), widest))

    # ------------------------------------------------------------------ selection
    def selected_item(self) -> Session | Event | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item: Session | Event = self.table_model.data(rows[0], ITEM_ROLE)
        return item

    def selected_session(self) -> Session | None:
        """The session selected, or the session of the selected event."""
        item = self.selected_item()
        if item is None or self.ps is None:
            return None
        if isinstance(item, Session):
            return item
        return self.ps.sessions[item.session]

    def select_row(self, row: int) -> None:
        index = self.table_model.index(row, 0)
        self.table.selectionModel().select(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def select_date(self, day: date) -> None:
        row = self.table_model.row_of_date(day)
        if row is not None:
            self.select_row(row)
        self.calendar.show_month(day.year, day.month)
        self.calendar.select_date(day)

    def _select_key(self, item: Session | Event) -> None:
        """Select the same session (by phase, cycle, day) after the plan changed."""
        if self.ps is None:
            return
        key = item.key if isinstance(item, Session) else None
        for row in range(self.table_model.rowCount()):
            found = self.table_model.data(self.table_model.index(row, 0), ITEM_ROLE)
            if isinstance(found, Session) and key is not None and found.key == key:
                self.select_row(row)
                self.calendar.select_date(found.date)
                return

    # ------------------------------------------------------------------ slots
    def _on_tabs_current_changed(self, index: int) -> None:
        self.history.set_active(self.tabs.widget(index) is self.history)

    def _on_table_selection_changed(self, *_args: object) -> None:
        item = self.selected_item()
        if item is not None:
            self.calendar.show_month(item.date.year, item.date.month)
            self.calendar.select_date(item.date)
        self.selection_changed.emit()

    def _on_calendar_date_activated(self, day: date) -> None:
        row = self.table_model.row_of_date(day)
        if row is not None:
            self.select_row(row)

    def _on_warnings_item_activated(self, item: QListWidgetItem) -> None:
        line: WarningLine = item.data(WARNING_ROLE)
        if line.date is not None:
            self.select_date(line.date)
