"""Opening a unit without freezing the window.

A worker thread reads the patient list straight from a SQLite file (planner.store.quick,
without the database layer; its lines are made as the window shows them) and sends it at
once; while the window shows it, the worker
waits, then imports the database layer, opens the unit and reads its list again the full
way (:func:`planner.day_hospital.loading.load_unit`: stale facts computed again, the daily
copy, this computer's port rules), and hands the values to the window. The worker uses its
own database connection and closes it; the window then opens its own.
"""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

from PySide6.QtCore import QMetaMethod, QThread, Signal


class EarlyList:
    """The patient list of the unit about to be opened, read in a thread of its own from the
    program's first moments (while the window is built and painted): see :class:`UnitLoader`.
    """

    def __init__(self, where: str | None, today: date) -> None:
        self.where = where
        self.today = today
        self._found: Any = None
        self._thread = threading.Thread(target=self._read, name="early list", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            from planner.i18n import format_date, language
            from planner.store.quick import quick_list, sqlite_file

            path = sqlite_file(self.where)
            found = quick_list(path, self.today, language()) if path is not None else None
            if found is not None:
                format_date(self.today)  # Babel's first date loads its locale data
            self._found = found
        except Exception:  # the full opening says what is wrong
            self._found = None

    def result(self) -> Any:
        """The list (a SummaryList; None: not read this way), once read."""
        self._thread.join()
        return self._found


class UnitLoader(QThread):
    """Runs :func:`planner.day_hospital.loading.load_unit` (after building the demo unit,
    when asked) off the GUI thread."""

    loaded = Signal(object)
    """The :class:`planner.day_hospital.loading.Loaded` values."""
    listed = Signal(object)
    """The patient list read quickly from the stored facts (a list of PatientSummary), before
    the unit is open (planner.store.quick); not sent when that reading is not possible."""
    progress = Signal(int, int)
    """Plans whose patient-list facts were computed again so far, of how many (only when
    stored facts were missing or stale: after an upgrade, a change of closures...)."""
    failed = Signal(str)
    """Why the unit could not be opened, in words."""
    password_needed = Signal(str)
    """The server asks for a password, or refused the one given (in words)."""
    installation_broken = Signal(str)
    """The program's own regimen files, drug dictionary or port rules are missing or damaged
    (in words, naming the folder or file): no unit can be opened, this one or another."""

    def __init__(
        self,
        where: str | None,
        today: date,
        *,
        demo: bool = False,
        catalog: Any = None,
        keep_days: int | None = None,
        import_rules_as: str | None = None,
        quick: bool = True,
        early: EarlyList | None = None,
    ) -> None:
        """``import_rules_as``: who takes this computer's port_rules.toml into a unit without
        rules of its own (None: no import, as for the demo unit or a refresh). ``quick``:
        send the patient list read straight from the file first (:attr:`listed`); ``early``:
        that list, being read since the program started (for the same unit)."""
        super().__init__()
        self.where = where
        self.today = today
        self.demo = demo
        self.catalog = catalog
        self.keep_days = keep_days
        self.import_rules_as = import_rules_as
        self.quick = quick
        self.early = early if early is not None and early.where == where else None
        self._shown = threading.Event()

    def _list_quickly(self) -> None:
        if not self.isSignalConnected(QMetaMethod.fromSignal(self.listed)):
            return  # nobody to show the list
        early = self.early or EarlyList(self.where, self.today)
        found = early.result()
        if found is None:
            return
        self._shown.clear()
        self.listed.emit(found)
        # The rest of the opening imports and reads for a second: the window shows the list
        # first (both would otherwise share the interpreter, and the list come later).
        self._shown.wait(timeout=2.0)

    def list_shown(self) -> None:
        """The window shows the list sent by :attr:`listed`: the opening goes on."""
        self._shown.set()

    def run(self) -> None:
        try:
            if not self.demo and self.quick:
                self._list_quickly()
            from planner.day_hospital.loading import (
                build_demo_database,
                demo_location,
                load_unit,
            )

            rules_file = None
            if self.demo:
                self.where = demo_location()
                build_demo_database(self.where, self.today)
            elif self.import_rules_as is not None:
                from planner.catalog import CatalogPaths

                rules_file = CatalogPaths.user().port_rules
            self.loaded.emit(
                load_unit(
                    self.where,
                    self.today,
                    self.catalog,
                    keep_days=self.keep_days,
                    rules_file=rules_file,
                    author=self.import_rules_as or "",
                    progress=self.progress.emit,
                )
            )
        except Exception as exc:
            from planner.catalog import InstallationError
            from planner.i18n import error_text
            from planner.store import PasswordNeeded

            if isinstance(exc, PasswordNeeded):
                self.password_needed.emit(error_text(exc))
            elif isinstance(exc, InstallationError):
                self.installation_broken.emit(error_text(exc))
            else:
                self.failed.emit(error_text(exc))


class ChangeListener(QThread):
    """Listens for other coordinators' changes on a PostgreSQL server (LISTEN/NOTIFY) and
    says so at once; ends quietly when the connection does (the window's regular check
    then says the database cannot be reached)."""

    noticed = Signal()
    """Another coordinator's change committed."""
    listening = Signal()
    """The server listens for this window (its changes from now on are heard)."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self._stop = False
        self.is_listening = False
        """The server listens for this window (set once, from the listening thread)."""

    def _listens(self) -> None:
        self.is_listening = True
        self.listening.emit()

    def stop(self) -> None:
        self._stop = True
        self.wait(3000)

    def run(self) -> None:
        from planner.store.notices import wait_for_changes

        try:
            for _table in wait_for_changes(self.url, lambda: self._stop, listening=self._listens):
                self.noticed.emit()
        except Exception:
            return
