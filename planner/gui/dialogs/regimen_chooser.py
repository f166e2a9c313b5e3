"""Choose a regimen: search by name, drug or class, narrow by kind, pick one from the list.

The regimen chosen stays chosen while a new search still lists it; :attr:`changed` tells
when the choice changes (or disappears from the list).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QVBoxLayout,
)

from planner.core.regimen import Regimen
from planner.gui.dialogs import down_into
from planner.gui.models.regimen_list import RegimenKind, RegimenListModel
from planner.i18n import _, ngettext


class RegimenChooser(QGroupBox):
    """The catalogue's regimens, searched and narrowed; one chosen."""

    changed = Signal()
    """The regimen chosen changed (or none is chosen any more)."""

    def __init__(self, regimens: list[Regimen], parent: Any = None) -> None:
        super().__init__(_("Regimen"), parent)
        self._chosen_id: str | None = None
        """The regimen chosen last: it stays chosen when a new search lists it again."""
        self.search = QLineEdit(placeholderText=_("Search a regimen, a drug or a class…"))
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip(_("Type part of a name, a drug (pembrolizumab) or a class"))
        self.kind_boxes: dict[RegimenKind, QCheckBox] = {}
        kinds = QGridLayout()
        for n, kind in enumerate(RegimenKind):
            check = QCheckBox(kind.label)
            check.setToolTip(kind.tooltip)
            check.toggled.connect(self._on_kind_toggled)
            self.kind_boxes[kind] = check
            kinds.addWidget(check, n // 3, n % 3)
        self.regimens = RegimenListModel(regimens, self)
        self.regimen_list = QListView()
        self.regimen_list.setModel(self.regimens)
        self.regimen_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Long protocol names wrap rather than hide behind a horizontal scroll bar.
        self.regimen_list.setWordWrap(True)
        self.regimen_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.regimen_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.regimen_list.setSpacing(1)
        self.regimen_count = QLabel()
        search_label = QLabel(_("&Search:"))
        search_label.setBuddy(self.search)
        list_label = QLabel(_("&Regimens:"))
        list_label.setBuddy(self.regimen_list)
        column = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(search_label)
        row.addWidget(self.search, 1)
        column.addLayout(row)
        column.addLayout(kinds)
        row = QHBoxLayout()
        row.addWidget(list_label)
        row.addStretch(1)
        row.addWidget(self.regimen_count)
        column.addLayout(row)
        column.addWidget(self.regimen_list, 1)
        self.search.textChanged.connect(self._on_search_text_changed)
        down_into(self.search, self.regimen_list)  # Down in the search: to the list
        self.regimen_list.selectionModel().selectionChanged.connect(
            self._on_regimen_list_selection_changed
        )
        self._count()

    def selected_regimen(self) -> Regimen | None:
        rows = self.regimen_list.selectionModel().selectedRows()
        return self.regimens.regimen_at(rows[0].row()) if rows else None

    def select_regimen(self, regimen_id: str) -> None:
        row = self.regimens.row_of(regimen_id)
        if row is None:
            raise KeyError(regimen_id)
        self.regimen_list.setCurrentIndex(self.regimens.index(row))

    def set_kinds(self, kinds: set[RegimenKind]) -> None:
        for kind, check in self.kind_boxes.items():
            check.setChecked(kind in kinds)

    def _count(self) -> None:
        count = self.regimens.rowCount()
        self.regimen_count.setText(ngettext("{n} regimen", "{n} regimens", count).format(n=count))

    def _keep_selection(self) -> None:
        """After filtering, select again the regimen chosen before if it is still listed."""
        self._count()
        chosen = self._chosen_id
        row = self.regimens.row_of(chosen) if chosen is not None else None
        if row is not None:
            self.regimen_list.setCurrentIndex(self.regimens.index(row))
        else:
            self.changed.emit()

    def _on_search_text_changed(self, text: str) -> None:
        self.regimens.set_filter(text)
        self._keep_selection()

    def _on_kind_toggled(self, checked: bool) -> None:
        exclusive = {RegimenKind.MONOTHERAPY: RegimenKind.COMBINATION}
        exclusive |= {v: k for k, v in exclusive.items()}
        sender = self.sender()
        for kind, check in self.kind_boxes.items():
            if check is sender and checked and kind in exclusive:
                self.kind_boxes[exclusive[kind]].setChecked(False)
        self.regimens.set_kinds(k for k, c in self.kind_boxes.items() if c.isChecked())
        self._keep_selection()

    def _on_regimen_list_selection_changed(
        self, _selected: QItemSelection, _deselected: QItemSelection
    ) -> None:
        regimen = self.selected_regimen()
        if regimen is not None:
            self._chosen_id = regimen.id
        self.changed.emit()
