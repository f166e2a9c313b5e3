"""The unit's chairs, opening hours and nurses, in the settings.

Hands back a :class:`UnitResources`, or says in words why the values cannot describe a unit.
Fewer chairs or shorter hours do not drop any booking: those that no longer fit are flagged
in the day hospital page, to be booked again. The pharmacy, the start after a same-day
blood test and the day optimiser's settings are on a page of their own,
:attr:`ResourcesEditor.planning` (the settings dialog shows it as its own tab: the two would
not fit a 1366×768 screen together).
"""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import Qt, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from planner import explain
from planner.core.chairs import (
    MAX_CHAIRS,
    MAX_FIXED_MINUTES,
    MAX_NURSES,
    MAX_STARTS_PER_NURSE,
    SLOT_MINUTES,
    Chair,
    ResourcesError,
    UnitResources,
)
from planner.core.text_fields import Field
from planner.gui.dialogs import count_spin, display_locale
from planner.gui.dialogs.day_planning import DayPlanningEditor
from planner.gui.typed_text import problem as typed_problem
from planner.i18n import _, ngettext


def _time_edit(value: time) -> QTimeEdit:
    edit = QTimeEdit(QTime(value.hour, value.minute))
    edit.setDisplayFormat("HH:mm")
    edit.setLocale(display_locale())
    return edit


def _time(edit: QTimeEdit) -> time:
    return time(edit.time().hour(), edit.time().minute())


def _minutes(n: int) -> str:
    return ngettext(" minute", " minutes", n)


class ResourcesEditor(QWidget):
    changed = Signal()

    def __init__(self, resources: UnitResources, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.initial = resources

        chairs_box = QGroupBox(_("Chairs and beds"))
        self.chairs = QTableWidget(0, 2)
        self.chairs.setHorizontalHeaderLabels([_("Name"), _("Bed")])
        self.chairs.verticalHeader().setVisible(False)
        self.chairs.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.chairs.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.chairs.setToolTip(_("Each place a patient can be given an infusion, by its name"))
        for chair in resources.chairs:
            self._add_row(chair)
        self.add_chair = QPushButton(_("Add a c&hair"))
        self.add_chair.clicked.connect(self._on_add_chair)
        self.remove_chair = QPushButton(_("Remove the chair"))
        self.remove_chair.clicked.connect(self._on_remove_chair)
        chair_buttons = QHBoxLayout()
        chair_buttons.addWidget(self.add_chair)
        chair_buttons.addWidget(self.remove_chair)
        chair_buttons.addStretch(1)
        self._enable_add_chair()
        chairs_column = QVBoxLayout(chairs_box)
        chairs_column.addWidget(self.chairs)
        chairs_column.addLayout(chair_buttons)

        hours_box = QGroupBox(_("Opening hours"))
        hours = QGridLayout(hours_box)
        self.open_days: list[QCheckBox] = []
        self.opens: list[QTimeEdit] = []
        self.closes: list[QTimeEdit] = []
        for weekday in range(7):
            span = resources.hours[weekday]
            check = QCheckBox(display_locale().standaloneDayName(weekday + 1))
            check.setChecked(span is not None)
            opens = _time_edit(span[0] if span else time(8))
            closes = _time_edit(span[1] if span else time(18))
            opens.setEnabled(span is not None)
            closes.setEnabled(span is not None)
            check.toggled.connect(opens.setEnabled)
            check.toggled.connect(closes.setEnabled)
            hours.addWidget(check, weekday, 0)
            hours.addWidget(opens, weekday, 1)
            hours.addWidget(QLabel("–"), weekday, 2)
            hours.addWidget(closes, weekday, 3)
            self.open_days.append(check)
            self.opens.append(opens)
            self.closes.append(closes)
        self.weekend_note = QLabel()
        self.weekend_note.setWordWrap(True)
        # Room for three lines: a wrapped label's height is not counted in the layout's
        # minimum, and the dialog would cut the note short.
        self.weekend_note.setMinimumHeight(3 * self.weekend_note.fontMetrics().lineSpacing())
        self.set_weekends_closed(True)
        hours.addWidget(self.weekend_note, 7, 0, 1, 4)

        staff_box = QGroupBox(_("Nurses and times"))
        self.nurses = count_spin(
            MAX_NURSES, resources.nurses, lambda n: ngettext(" nurse", " nurses", n),
            _("Nurses starting infusions at the same time"), low=1,
        )  # fmt: skip
        self.starts = count_spin(
            MAX_STARTS_PER_NURSE, resources.starts_per_nurse,
            lambda n: ngettext(" infusion per slot", " infusions per slot", n),
            _("How many infusions one nurse can start in one slot"), low=1,
        )  # fmt: skip
        self.slot = QComboBox()
        for minutes in SLOT_MINUTES:
            self.slot.addItem(f"{minutes}{_minutes(minutes)}", minutes)
        self.slot.setCurrentIndex(max(0, self.slot.findData(resources.slot_minutes)))
        self.slot.setToolTip(_("Bookings start and end on this grid"))
        self.installation = count_spin(
            MAX_FIXED_MINUTES, resources.installation_minutes, _minutes,
            _("Welcome, vital signs and line before the first drug"),
        )  # fmt: skip
        self.pump = count_spin(
            MAX_FIXED_MINUTES, resources.pump_minutes, _minutes,
            _("Connecting an ambulatory pump at the end"),
        )  # fmt: skip
        self.bolus = count_spin(
            MAX_FIXED_MINUTES, resources.bolus_minutes, _minutes,
            _("A drug whose infusion time the catalogue does not give (push, short bolus)"),
        )  # fmt: skip
        self.afternoon = _time_edit(resources.afternoon)
        self.afternoon.setToolTip(
            _("Where the afternoon begins, for patients' preferences and the afternoon's team")
        )
        self.afternoon_team = QCheckBox(_("A different &team in the afternoon:"))
        self.afternoon_team.setToolTip(
            _("From the afternoon on, another number of nurses starts the infusions")
        )
        self.afternoon_team.setChecked(resources.afternoon_nurses is not None)
        self.afternoon_nurses = count_spin(
            MAX_NURSES, resources.afternoon_nurses or resources.nurses,
            lambda n: ngettext(" nurse", " nurses", n),
            _("Nurses starting infusions in the afternoon"), low=1,
        )  # fmt: skip
        self.afternoon_nurses.setEnabled(resources.afternoon_nurses is not None)
        self.afternoon_team.toggled.connect(self.afternoon_nurses.setEnabled)
        staff = QFormLayout(staff_box)
        staff.addRow(_("N&urses:"), self.nurses)
        staff.addRow(_("Each nurse starts:"), self.starts)
        staff.addRow(_("Sl&ot:"), self.slot)
        staff.addRow(_("Installation:"), self.installation)
        staff.addRow(_("Pump connection:"), self.pump)
        staff.addRow(_("Drug without a time:"), self.bolus)
        staff.addRow(_("Afternoon from:"), self.afternoon)
        staff.addRow(self.afternoon_team, self.afternoon_nurses)

        self.planning = DayPlanningEditor(resources, self)
        """The Day planning page: the settings dialog gives it a tab of its own."""
        self.planning.hide()

        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(chairs_box, 0, 0, 2, 1)
        layout.addWidget(hours_box, 0, 1)
        layout.addWidget(staff_box, 1, 1)
        layout.setColumnStretch(0, 1)

        self.chairs.itemChanged.connect(lambda _item: self.changed.emit())
        for widget in (*self.opens, *self.closes, self.afternoon):
            widget.timeChanged.connect(lambda _t: self.changed.emit())
        for check in self.open_days:
            check.toggled.connect(lambda _c: self.changed.emit())
        for spin in (
            self.nurses,
            self.starts,
            self.installation,
            self.pump,
            self.bolus,
            self.afternoon_nurses,
        ):
            spin.valueChanged.connect(lambda _v: self.changed.emit())
        self.slot.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.afternoon_team.toggled.connect(lambda _c: self.changed.emit())
        self.planning.changed.connect(self.changed)

    def set_weekends_closed(self, closed: bool) -> None:
        """Say what Saturday's and Sunday's hours are for: with the closures of France, only
        the weekend days listed as open in the calendar; with no closures, every weekend."""
        if closed:
            text = _(
                "Saturday and Sunday: these hours apply only to the weekend days opened in the "
                "Calendar tab."
            )
        else:
            text = _("Saturday and Sunday: with no closures, these hours apply to every weekend.")
        self.weekend_note.setText(text)

    # ------------------------------------------------------------------ chairs
    def _add_row(self, chair: Chair) -> None:
        row = self.chairs.rowCount()
        self.chairs.insertRow(row)
        self.chairs.setItem(row, 0, QTableWidgetItem(chair.name))
        bed = QTableWidgetItem()
        bed.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
        bed.setCheckState(Qt.CheckState.Checked if chair.bed else Qt.CheckState.Unchecked)
        self.chairs.setItem(row, 1, bed)

    def _on_add_chair(self) -> None:
        names = {c.name for c in self._chairs()}
        n = self.chairs.rowCount() + 1
        while f"F{n}" in names:
            n += 1
        self._add_row(Chair(f"F{n}"))
        self.chairs.selectRow(self.chairs.rowCount() - 1)
        self._enable_add_chair()
        self.changed.emit()

    def _on_remove_chair(self) -> None:
        rows = self.chairs.selectionModel().selectedRows()
        if rows:
            self.chairs.removeRow(rows[0].row())
            self._enable_add_chair()
            self.changed.emit()

    def _enable_add_chair(self) -> None:
        """No chair beyond the unit's limit (:data:`MAX_CHAIRS`)."""
        self.add_chair.setEnabled(self.chairs.rowCount() < MAX_CHAIRS)

    def _chairs(self) -> list[Chair]:
        found = []
        for row in range(self.chairs.rowCount()):
            name, bed = self.chairs.item(row, 0), self.chairs.item(row, 1)
            found.append(
                Chair(
                    " ".join(name.text().split()) if name else "",
                    bed is not None and bed.checkState() == Qt.CheckState.Checked,
                )
            )
        return found

    # ------------------------------------------------------------------ result
    def value(self) -> UnitResources:
        """The resources entered; ResourcesError when they cannot describe a unit."""
        hours = tuple(
            (_time(self.opens[d]), _time(self.closes[d])) if self.open_days[d].isChecked() else None
            for d in range(7)
        )
        planning = self.planning.value()
        return UnitResources(
            chairs=tuple(self._chairs()),
            hours=hours,
            nurses=self.nurses.value(),
            starts_per_nurse=self.starts.value(),
            slot_minutes=self.slot.currentData(),
            installation_minutes=self.installation.value(),
            pump_minutes=self.pump.value(),
            bolus_minutes=self.bolus.value(),
            afternoon=_time(self.afternoon),
            afternoon_nurses=(
                self.afternoon_nurses.value() if self.afternoon_team.isChecked() else None
            ),
            pharmacy=planning.pharmacy,
            lab_result_start=planning.lab_result_start,
            max_move_minutes=planning.max_move_minutes,
            weights=planning.weights,
        )

    def problem(self) -> str:
        names = (self.chairs.item(row, 0) for row in range(self.chairs.rowCount()))
        typed = typed_problem(*((Field.CHAIR_NAME, n.text()) for n in names if n and n.text()))
        if typed:
            return typed
        try:
            self.value()
        except ResourcesError as exc:
            return explain.resources_problem_text(exc)
        return ""
