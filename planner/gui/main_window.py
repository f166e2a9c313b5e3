"""The main window: composition only (widgets, layout and wiring); no scheduling logic here."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QItemSelection, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner import explain
from planner.catalog import Catalog
from planner.core.closures import ClosureCalendar, ClosureSet
from planner.core.engine import plan
from planner.core.port import port_advice
from planner.core.regimen import Regimen
from planner.core.schedule import Policy, Schedule
from planner.gui.models.regimen_list import RegimenListModel
from planner.gui.models.schedule_table import ScheduleTableModel
from planner.i18n import _, language, ngettext


class MainWindow(QMainWindow):
    """Pick a regimen and a start date; see every session, blood test and the port advice."""

    def __init__(self, catalog: Catalog, today: date, parent: Any = None) -> None:
        super().__init__(parent)
        self.catalog = catalog
        self.schedule: Schedule | None = None
        self.setWindowTitle(_("Infusion Planner"))
        self.resize(1200, 760)

        self.search = QLineEdit(placeholderText=_("Search a regimen, a drug or a class…"))
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip(_("Type part of a name, a drug (pembrolizumab) or a class"))
        self.regimens = RegimenListModel(list(catalog), self)
        self.regimen_list = QListView()
        self.regimen_list.setModel(self.regimens)
        self.regimen_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)

        self.start = QDateEdit(QDate(today.year, today.month, today.day))
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("dd/MM/yyyy" if language() == "fr" else "yyyy-MM-dd")
        self.start.setToolTip(_("Day 1 of cycle 1"))
        self.policy = QComboBox()
        for policy in Policy:
            self.policy.addItem(explain.policy_name(policy), policy)
        self.policy.setToolTip(_("What a date moved by a closure does to the dates after it"))
        self.closures = QComboBox()
        for closure_set in ClosureSet:
            self.closures.addItem(explain.closure_set_name(closure_set), closure_set)
        for combo in (self.policy, self.closures):
            # Long choices must not widen the side panel: the popup shows them whole.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(18)

        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.port = QLabel()
        self.port.setWordWrap(True)
        self.port.setTextFormat(Qt.TextFormat.PlainText)
        self.port.setToolTip(_("Implantable port (chambre implantable) advice and its reasons"))

        self.table_model = ScheduleTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.table_model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setWordWrap(False)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.regimen_list)
        form = QFormLayout()
        form.addRow(_("&Start (C1 D1):"), self.start)
        form.addRow(_("&Policy:"), self.policy)
        form.addRow(_("&Closures:"), self.closures)
        left_layout.addLayout(form)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.title)
        right_layout.addWidget(self.port)
        right_layout.addWidget(self.table, stretch=1)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([340, 860])
        self.setCentralWidget(splitter)

        quit_action = QAction(_("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.setToolTip(_("Close Infusion Planner"))
        quit_action.triggered.connect(self.close)
        file_menu = self.menuBar().addMenu(_("&File"))
        file_menu.addAction(quit_action)

        self.search.textChanged.connect(self._on_search_text_changed)
        self.regimen_list.selectionModel().selectionChanged.connect(
            self._on_regimen_list_selection_changed
        )
        self.start.dateChanged.connect(self._on_options_changed)
        self.policy.currentIndexChanged.connect(self._on_options_changed)
        self.closures.currentIndexChanged.connect(self._on_options_changed)

        self._show_catalog_errors()
        self._refresh()

    # ------------------------------------------------------------------ what is shown
    def selected_regimen(self) -> Regimen | None:
        rows = self.regimen_list.selectionModel().selectedRows()
        return self.regimens.regimen_at(rows[0].row()) if rows else None

    def select_regimen(self, regimen_id: str) -> None:
        for row in range(self.regimens.rowCount()):
            if self.regimens.regimen_at(row).id == regimen_id:
                self.regimen_list.setCurrentIndex(self.regimens.index(row))
                return
        raise KeyError(regimen_id)

    def _refresh(self) -> None:
        regimen = self.selected_regimen()
        if regimen is None:
            self.schedule = None
            self.title.setText(_("Choose a regimen on the left to see its calendar."))
            self.port.clear()
            self.table_model.set_schedule(None)
            self.statusBar().clearMessage()
            return
        qdate = self.start.date()
        self.schedule = plan(
            regimen,
            date(qdate.year(), qdate.month(), qdate.day()),
            policy=Policy(self.policy.currentData()),
            calendar=ClosureCalendar(ClosureSet(self.closures.currentData())),
        )
        advice = port_advice(regimen, self.catalog.port_rules)
        self.title.setText(regimen.name.get(language()))
        lines = [_("Implantable port: {level}").format(level=explain.port_level_name(advice.level))]
        lines += [f"• {reason}" for reason in explain.port_reasons(advice)]
        self.port.setText("\n".join(lines))
        self.table_model.set_schedule(self.schedule)
        self._fit_columns()
        moved = sum(1 for s in self.schedule.sessions if s.moved)
        self.statusBar().showMessage(
            ngettext("{n} session", "{n} sessions", len(self.schedule.sessions)).format(
                n=len(self.schedule.sessions)
            )
            + " · "
            + ngettext("{n} date moved (see Notes)", "{n} dates moved (see Notes)", moved).format(
                n=moved
            )
        )

    def _fit_columns(self) -> None:
        """Dates and phases fit their text; long drug lists are cut (the tooltip has them all)
        so that the notes, which say why a date moved, stay in view."""
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(2)
        self.table.resizeColumnToContents(1)
        self.table.setColumnWidth(1, min(self.table.columnWidth(1), 340))

    def _show_catalog_errors(self) -> None:
        if not self.catalog.errors:
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            _("Some regimen files could not be read"),
            _("These files were skipped; every other regimen is available."),
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setDetailedText("\n".join(str(error) for error in self.catalog.errors))
        box.setModal(False)
        box.show()

    # ------------------------------------------------------------------ slots
    def _on_search_text_changed(self, text: str) -> None:
        self.regimens.set_filter(text)
        self._refresh()

    def _on_regimen_list_selection_changed(
        self, _selected: QItemSelection, _deselected: QItemSelection
    ) -> None:
        self._refresh()

    def _on_options_changed(self, *_args: object) -> None:
        self._refresh()
