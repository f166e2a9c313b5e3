"""The unit's patients, one row each: the name, the hospital number, the next session and
the warnings in view, the regimen last, taking the room left."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from planner.gui.models.patient_list import (
    NAME,
    NEXT,
    NUMBER,
    REGIMEN,
    WARNINGS,
    PatientListModel,
)

_WIDEST = {NAME: 160, NUMBER: 110}
"""What a column fitted to its contents may take at most (in pixels): a long name is cut,
its tooltip says it whole."""
SAMPLE = 300
"""The rows a column is fitted to at most (those in view, and others spread over the list),
as Qt's own fitting does (``resizeContentsPrecision``): measuring a large centre's 20,000
names took seconds."""


class PatientTable(QTableView):
    """A sortable table of one selected patient at a time."""

    def __init__(self, model: PatientListModel, parent: Any = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.patients = model
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSortingEnabled(True)
        self.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        rows = self.verticalHeader()
        rows.setVisible(False)
        # Every row as high: Qt never measures the rows of a long list.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setAlternatingRowColors(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # The regimen (on the right too, and in its tooltip) comes last and takes the room
        # left: the next session and the warnings, what a coordinator looks for, stay in view.
        header.moveSection(REGIMEN, model.columnCount() - 1)
        header.setStretchLastSection(True)
        self.setWordWrap(False)

    def fit_columns(self, *, grow_only: bool = True) -> None:
        """Each column but the regimen as wide as its contents: a long name is cut (its
        tooltip says it whole) so that the next session stays in view, a column's own title
        never ("Hospital number"). ``grow_only``: a patient added widens, a search that
        shows fewer never narrows (the columns would jump as one types)."""
        header = self.horizontalHeader()
        rows = self._sample()
        for column in (NAME, NUMBER, NEXT, WARNINGS):
            title = header.sectionSizeFromContents(column).width()
            fitted = max(self._width_of(column, rows), title)
            if column in _WIDEST:
                fitted = min(fitted, max(_WIDEST[column], title))
            if not grow_only or fitted > header.sectionSize(column):
                self.setColumnWidth(column, fitted)

    def _sample(self) -> list[int]:
        """The rows in view, and others spread evenly over the list, :data:`SAMPLE` in all."""
        count = self.model().rowCount()
        if count <= SAMPLE:
            return list(range(count))
        top = max(0, self.rowAt(0))
        # The table's height, not its viewport's: the first viewport() asked from Python
        # costs 10 ms at start-up (PySide makes its wrapper's types), and a row more or less
        # does not change a sample.
        bottom = self.rowAt(self.height())
        in_view = range(top, (bottom if bottom >= 0 else min(count - 1, top + 50)) + 1)
        step = count / (SAMPLE - len(in_view))
        return sorted({*in_view, *(int(n * step) for n in range(SAMPLE - len(in_view)))})

    def _width_of(self, column: int, rows: list[int]) -> int:
        """What :meth:`sizeHintForColumn` says of these rows, measured as the delegate does
        (the text's width and the delegate's margins) without asking it for each row: the
        delegate's size of a row asks the model several questions through Qt."""
        if not rows:
            return 0
        model = self.patients
        texts = model.texts(column, rows)
        if not texts:
            return self.sizeHintForIndex(model.index(rows[0], column)).width() + self.showGrid()
        metrics = self.fontMetrics()
        widest = max(texts, key=metrics.horizontalAdvance)
        hint = self.sizeHintForIndex(model.index(texts[widest], column)).width()
        return hint + self.showGrid()  # the grid's line, as sizeHintForColumn adds it
