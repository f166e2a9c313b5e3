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

from PySide6.QtCore import QStandardPaths, QThread, Signal
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
from planner.i18n import _, language, pgettext, system_language


def file_stem(*parts: str) -> str:
    """A file name from its parts ("Handout", "DUPONT Marie"): no characters file systems
    refuse."""
    text = " - ".join(p.strip() for p in parts if p.strip())
    text = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", text)
    return re.sub(r"\s+", " ", text).strip(" .") or "export"


def handout_name(ps: PlanSchedule) -> str:
    """ "Handout - DUPONT Marie.pdf" ("Livret - DUPONT Marie.pdf"), in the user's language."""
    return file_stem(pgettext("file name", "Handout"), ps.plan.patient.name) + ".pdf"


def calendar_name(ps: PlanSchedule) -> str:
    """ "Calendar - DUPONT Marie.ics" ("Calendrier - DUPONT Marie.ics")."""
    return file_stem(pgettext("file name", "Calendar"), ps.plan.patient.name) + ".ics"


def day_sheet_name(day: date, suffix: str) -> str:
    """ "Day sheet - 2027-03-08.pdf" ("Feuille du jour - 2027-03-08.pdf")."""
    return file_stem(pgettext("file name", "Day sheet"), day.isoformat()) + suffix


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


def start_folder(last: str | None) -> Path:
    """Where a save dialog opens: the last folder used while it exists, else the user's
    Documents folder, else their home; never the program's working directory."""
    if last and Path(last).is_dir():
        return Path(last)
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if documents and Path(documents).is_dir():
        return Path(documents)
    return Path.home()


def ask_save_path(
    parent: QWidget, title: str, folder: str | None, name: str, kind: str
) -> Path | None:
    """A file to write (every save of the program asks here): ``name`` proposed in the last
    folder used (``folder``), else in Documents; None when cancelled. A name typed without
    its extension gets it. When the program does not speak the system's language, the
    dialog is Qt's own, translated like the rest of the window, not the system's."""
    dialog = QFileDialog(parent, title, str(start_folder(folder)), kind)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setDefaultSuffix(Path(name).suffix.lstrip("."))
    if language() != system_language():
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    # Qt's French translation leaves "Look in:" and "Files of type:" in English: the
    # dialog's labels are ours, in the program's language.
    label = QFileDialog.DialogLabel
    for which, text in (
        (label.LookIn, _("Look in:")),
        (label.FileName, _("File &name:")),
        (label.FileType, _("Files of &type:")),
        (label.Accept, _("&Save")),
        (label.Reject, _("Cancel")),
    ):
        dialog.setLabelText(which, text)
    dialog.selectFile(name)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted and dialog.selectedFiles()
    chosen = Path(dialog.selectedFiles()[0]) if accepted else None
    dialog.deleteLater()
    return chosen


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
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Stop at the next plan or piece of file (from any thread)."""
        self._cancel.set()

    def run(self) -> None:
        from planner.export.files import write_atomically
        from planner.export.saving import unit_export, unit_schedules
        from planner.i18n import error_text
        from planner.store import Store

        try:
            first, last = self.period
            with Store.open(self.where) as store:
                booked = store.bookings(first, last)
                # The calendars a few hundred at a time, only the period's sessions kept.
                sessions, pieces = unit_export(
                    unit_schedules(store, self.port_rules, progress=self._on_progress),
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
        if done % max(1, total // 50) == 0 or done == total:
            self.progress.emit(done, total)

    def _interruptible(self, pieces: Any) -> Any:
        for piece in pieces:
            if self._cancel.is_set():
                raise Cancelled  # write_atomically removes its temporary file
            yield piece
