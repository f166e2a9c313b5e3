"""A plan's history in the plan view: every decision with who, when, what and why, what was
undone since and by whom, the plan's creation and the patient's record.

The patient's record is read from the database's audit trail (``read_records``, given by the
window) when the history is on screen, not at every change of patient.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.core.patient import Patient
from planner.core.plan import Plan
from planner.gui.models.history_table import (
    NUMBER,
    STATUS,
    WHAT,
    WHEN,
    WHO,
    WHY,
    HistoryTableModel,
)
from planner.history import plan_history
from planner.i18n import _, error_text

RecordReader = Callable[[Patient], Sequence[Mapping[str, Any]]]


class HistoryView(QWidget):
    """The history of the plan shown (see the module's docstring)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.read_records: RecordReader | None = None
        """Reads the patient's audit trail (:meth:`planner.store.Store.audit`); without it,
        only the plan's own ledger is shown."""
        self.plan: Plan | None = None
        self.active = False
        """On screen: a new plan is read at once (otherwise when next shown)."""
        self._stale = False
        self.model = HistoryTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(WHAT, QHeaderView.ResizeMode.Stretch)  # cut first
        self.table.setAccessibleName(_("The plan's history"))
        self.table.setToolTip(
            _(
                "Every change to the plan, oldest first: who, when, what and why. An undone "
                "change stays in the history, struck through, with who undid it and when."
            )
        )
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        self._say("")

    def set_plan(self, plan: Plan | None) -> None:
        """Show ``plan``'s history (read now when on screen, else when next shown)."""
        self.plan = plan
        self._stale = True
        if self.active:
            self.refresh()

    def set_active(self, active: bool) -> None:
        self.active = active
        if active and self._stale:
            self.refresh()

    def refresh(self) -> None:
        """Read the plan's history again (and the patient's record, when it can be read)."""
        self._stale = False
        plan = self.plan
        if plan is None:
            self.model.set_lines([])
            self._say("")
            return
        records: Sequence[Mapping[str, Any]] = ()
        problem = ""
        if self.read_records is not None:
            try:
                records = self.read_records(plan.patient)
            except Exception as exc:  # the ledger still shows: it is in the plan
                problem = _(
                    "The patient's record could not be read ({error}): only the plan's "
                    "decisions are shown."
                ).format(error=error_text(exc))
        first = not self.model.rowCount()
        self.model.set_lines(plan_history(plan, records))
        if first:
            self._fit_columns()
        self._say(problem)
        self.table.scrollToBottom()

    def _say(self, problem: str) -> None:
        """Say a problem above the table (none: the table has the whole room)."""
        self.note.setText(problem)
        self.note.setVisible(bool(problem))

    def _fit_columns(self) -> None:
        for column in (NUMBER, WHEN, WHO):
            self.table.resizeColumnToContents(column)
        self.table.setColumnWidth(WHY, 110)
        self.table.setColumnWidth(STATUS, 220)
