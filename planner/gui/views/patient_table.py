"""The unit's patients, one row each: the name, the hospital number, the next session and
the warnings in view, the regimen last, taking the room left."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from planner.gui.models.patient_list import NAME, NEXT, NUMBER, REGIMEN, WARNINGS

_WIDEST = {NAME: 160, NUMBER: 110}
"""What a column fitted to its contents may take at most (in pixels): a long name is cut,
its tooltip says it whole."""


class PatientTable(QTableView):
    """A sortable table of one selected patient at a time."""

    def __init__(self, model: Any, parent: Any = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSortingEnabled(True)
        self.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.verticalHeader().setVisible(False)
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
        for column in (NAME, NUMBER, NEXT, WARNINGS):
            title = header.sectionSizeFromContents(column).width()
            fitted = max(self.sizeHintForColumn(column), title)
            if column in _WIDEST:
                fitted = min(fitted, max(_WIDEST[column], title))
            if not grow_only or fitted > header.sectionSize(column):
                self.setColumnWidth(column, fitted)
