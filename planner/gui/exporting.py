"""Exporting and printing from the window: which file, which language, which detail.

The files are written by planner.export (whole or not at all); here the coordinator is asked
the questions and told the outcome in words, never with a traceback.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QThread, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QWidget,
)

from planner.core.plan_schedule import PlanSchedule
from planner.gui.dialogs import LANGUAGES, date_edit, to_date
from planner.i18n import _


def file_stem(*parts: str) -> str:
    """A file name from a patient's name and a regimen: no characters file systems refuse."""
    text = " - ".join(p.strip() for p in parts if p.strip())
    text = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", text)
    return re.sub(r"\s+", " ", text).strip(" .") or "export"


def suggested_name(ps: PlanSchedule, suffix: str) -> str:
    regimen = ps.plan.regimen.name.get(ps.plan.patient.language)
    return file_stem(ps.plan.patient.name, regimen) + suffix


@dataclass(frozen=True, slots=True)
class CalendarChoice:
    language: str
    detail: str
    path: Path


class CalendarExportDialog(QDialog):
    """The language and detail of a patient's calendar; the file is asked for next."""

    def __init__(self, ps: PlanSchedule, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Export the patient's calendar"))
        self.language = QComboBox()
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(self.language.findData(ps.plan.patient.language))
        self.language.setToolTip(_("The language of the appointments' titles and notes"))
        self.detail = QComboBox()
        self.detail.addItem(_("Minimal: what and where, no drug names"), "minimal")
        self.detail.addItem(_("Full: with the regimen, drugs, cycle and day"), "full")
        self.detail.setToolTip(_("A calendar others may glance at is better without drug names"))
        note = QLabel(
            _(
                "Importing the file again after a change updates the patient's calendar "
                "instead of duplicating it. No hospital number is written."
            )
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(_("&Language:"), self.language)
        form.addRow(_("&Detail:"), self.detail)
        form.addRow(note)
        form.addRow(buttons)


class UnitExportDialog(QDialog):
    """The period and format of the unit's sessions export."""

    def __init__(self, today: date, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Export the unit's sessions"))
        self.first = date_edit(today)
        self.last = date_edit(today + timedelta(days=27))
        self.format = QComboBox()
        self.format.addItem(_("iCalendar (.ics), for a shared calendar"), "ics")
        self.format.addItem(_("Spreadsheet (.csv)"), "csv")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(_("&From:"), self.first)
        form.addRow(_("&To:"), self.last)
        form.addRow(_("&Format:"), self.format)
        form.addRow(buttons)

    def period(self) -> tuple[date, date]:
        return to_date(self.first.date()), to_date(self.last.date())


def ask_save_path(
    parent: QWidget, title: str, folder: str | None, name: str, kind: str
) -> Path | None:
    """A file to write, proposed in the last export folder; None when cancelled."""
    start = str(Path(folder) / name) if folder else name
    path, _selected = QFileDialog.getSaveFileName(parent, title, start, kind)
    return Path(path) if path else None


class Cancelled(Exception):
    """The coordinator cancelled the export."""


@dataclass(frozen=True, slots=True)
class UnitExportOutcome:
    """How a unit export ended: written (sessions, bytes), cancelled, or failed (why)."""

    sessions: int = 0
    size: int = 0
    cancelled: bool = False
    error: str = ""


class UnitExporter(QThread):
    """Reads every plan with its own connection, computes them by ``port_rules`` (the
    unit's: ``Unit.catalog.port_rules``) and writes the unit's file, off the GUI thread;
    says how far it is, and stops when cancelled (nothing written)."""

    progress = Signal(int, int)
    """Plans computed, out of how many (a few dozen times in all, not once per plan)."""
    writing = Signal()

    def __init__(
        self,
        where: str,
        port_rules: Any,
        settings: Any,
        period: tuple[date, date],
        kind: str,
        path: Path,
        exported_at: Any,
    ) -> None:
        super().__init__()
        self.where = where
        self.port_rules = port_rules
        self.settings = settings
        self.period = period
        self.kind = kind
        self.path = path
        self.exported_at = exported_at
        self.outcome = UnitExportOutcome()
        self._step = 1
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Stop at the next plan or piece of file (from any thread)."""
        self._cancel.set()

    def run(self) -> None:
        from planner.batch import plan_schedules
        from planner.export.files import write_atomically
        from planner.export.saving import unit_export
        from planner.i18n import error_text
        from planner.store import Store

        try:
            first, last = self.period
            with Store.open(self.where) as store:
                plans = store.plans()
                booked = store.bookings(first, last)
            self._step = max(1, len(plans) // 50)
            schedules = plan_schedules(plans, self.port_rules, progress=self._on_progress)
            sessions, pieces = unit_export(
                schedules,
                settings=self.settings,
                first=first,
                last=last,
                kind="csv" if self.kind == "csv" else "ics",
                exported_at=self.exported_at,
                bookings=booked,
            )
            self.writing.emit()
            size = write_atomically(self.path, self._interruptible(pieces))
            self.outcome = UnitExportOutcome(sessions, size)
        except Cancelled:
            self.outcome = UnitExportOutcome(cancelled=True)
        except Exception as exc:
            self.outcome = UnitExportOutcome(error=error_text(exc))

    def _on_progress(self, done: int, total: int) -> None:
        if self._cancel.is_set():
            raise Cancelled
        if done % self._step == 0 or done == total:
            self.progress.emit(done, total)

    def _interruptible(self, pieces: Any) -> Any:
        for piece in pieces:
            if self._cancel.is_set():
                raise Cancelled  # write_atomically removes its temporary file
            yield piece
