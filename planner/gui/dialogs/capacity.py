""" "How many chairs do we need?": a period, then what each of its weekdays needs at least,
every session placed afresh under the unit's rules, as a table and a chart, beside the
unit's own chairs and nurses. The counting is handed in (the flow runs the optimiser in a
worker thread); the dialog only asks and shows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.core.chairs import UnitResources
from planner.day_hospital.bookings import WeekdayNeeds
from planner.gui.dialogs import date_edit, to_date
from planner.gui.models.capacity_table import CapacityTableModel
from planner.gui.views.capacity_chart import CapacityChart
from planner.i18n import _, format_date, ngettext

PERIOD_DAYS = 28
"""The period proposed: the next four weeks, from today."""

Count = Callable[[date, date], list[WeekdayNeeds] | None]
"""What each weekday needs from the first day to the last (None: cancelled, or failed and
said)."""


def unit_words(resources: UnitResources) -> str:
    """ "The unit has 15 chairs and beds. 5 nurses are on duty. Each starts 2 infusions per
    slot." (with the afternoon's nurses, when they are not the morning's)."""
    chairs = len(resources.chairs)
    nurses, afternoon = resources.nurses, resources.afternoon_nurses
    said = [
        ngettext(
            "The unit has {n} chair or bed.", "The unit has {n} chairs and beds.", chairs
        ).format(n=chairs)
    ]
    if afternoon is None or afternoon == nurses:
        said.append(
            ngettext("{n} nurse is on duty.", "{n} nurses are on duty.", nurses).format(n=nurses)
        )
    else:
        said.append(
            ngettext(
                "{n} nurse is on duty in the morning, {m} in the afternoon.",
                "{n} nurses are on duty in the morning, {m} in the afternoon.",
                nurses,
            ).format(n=nurses, m=afternoon)
        )
    starts = resources.starts_per_nurse
    said.append(
        ngettext(
            "Each starts {n} infusion per slot.", "Each starts {n} infusions per slot.", starts
        ).format(n=starts)
    )
    return " ".join(said)


class CapacityDialog(QDialog):
    """See the module's docstring. ``count`` does the counting."""

    def __init__(
        self,
        today: date,
        resources: UnitResources,
        count: Count,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("How many chairs do we need?"))
        self.resources = resources
        self._count = count
        self.first = date_edit(today)
        self.first.setToolTip(_("The first day of the period"))
        self.last = date_edit(today + timedelta(days=PERIOD_DAYS - 1))
        self.last.setToolTip(_("The last day of the period"))
        self.count_button = QPushButton(_("&Count"))
        self.count_button.setDefault(True)
        self.count_button.setToolTip(
            _("Place every session of the period afresh with the optimiser (about a second a day)")
        )
        intro = QLabel(
            _(
                "Every session of each day placed afresh, under the unit's hours, nurses, "
                "pharmacy and blood-test waits: the fewest chairs and nurses with which they "
                "all fit, and the fewest that no placement can do without."
            )
        )
        intro.setWordWrap(True)
        period = QHBoxLayout()
        from_label = QLabel(_("&From:"))
        from_label.setBuddy(self.first)
        to_label = QLabel(_("&To:"))
        to_label.setBuddy(self.last)
        for widget in (from_label, self.first, to_label, self.last, self.count_button):
            period.addWidget(widget)
        period.addStretch(1)

        self.model = CapacityTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.chart = CapacityChart()
        self.chart.set_needs([], len(resources.chairs))
        parts = QSplitter(Qt.Orientation.Vertical)
        parts.addWidget(self.table)
        parts.addWidget(self.chart)
        parts.setChildrenCollapsible(False)
        self.outcome = QLabel(_("Choose the period, then Count."))
        self.outcome.setWordWrap(True)
        self.outcome.setTextFormat(Qt.TextFormat.PlainText)
        self.unit = QLabel(unit_words(resources))
        self.unit.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(period)
        layout.addWidget(parts, 1)
        layout.addWidget(self.outcome)
        layout.addWidget(self.unit)
        layout.addWidget(buttons)
        self.count_button.clicked.connect(self.count)
        self.resize(760, 560)

    def period(self) -> tuple[date, date]:
        return to_date(self.first.date()), to_date(self.last.date())

    def count(self) -> bool:
        """Count what each weekday of the period needs and show it; False when the period
        is backwards, or the counting was cancelled or failed (the table keeps what it
        showed)."""
        first, last = self.period()
        if last < first:
            self.outcome.setText(_("The end of the period is before its start."))
            return False
        found = self._count(first, last)
        if found is None:
            self.outcome.setText(_("Not counted: the table shows the last count, if any."))
            return False
        self.model.set_needs(found)
        self.chart.set_needs(found, len(self.resources.chairs))
        if not found:
            self.outcome.setText(_("No session to place in this period."))
            return True
        most = max(found, key=lambda w: (w.chairs, -w.weekday))
        self.outcome.setText(
            _(
                "From {first} to {last}, the day that needs the most chairs is {date}: "
                "{chairs} (no placement needs fewer than {bound})."
            ).format(
                first=format_date(first),
                last=format_date(last),
                date=format_date(most.busiest),
                chairs=most.chairs,
                bound=most.chairs_bound,
            )
        )
        return True
