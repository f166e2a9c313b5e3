"""Opening a unit in the window: the user's database, another file, or the demo unit.

A database that cannot be opened (damaged, made by a newer version, not a planner file) is
refused with the store's message and left as it was; the window stays usable and another
database can be opened. When the program's own regimen files are missing, the message names
the folder searched and no unit is opened with an empty catalogue. The demo unit lives in
its own file, never in the user's database.
"""

from __future__ import annotations

import logging
import sys
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QFileDialog

from planner.gui.loading import EarlyList, UnitLoader
from planner.gui.plain import Icon, ask, fail, inform, message_box, warn
from planner.i18n import _, error_text

if TYPE_CHECKING:
    from planner.day_hospital.loading import Loaded
    from planner.day_hospital.port_rules import RulesImport
    from planner.gui.main_window import MainWindow
    from planner.gui.unit import Unit
    from planner.store import Store

_log = logging.getLogger(__name__)


class Opener(QObject):
    """Opens units into ``window`` (one at a time)."""

    finished = Signal()
    """An opening ended, opened or refused."""
    listed = Signal()
    """The patient list is filled (read quickly from the file, or with the unit)."""

    def __init__(
        self, window: MainWindow, today: date, *, author: str, unattended: bool = False
    ) -> None:
        """``unattended`` (--exit-after-startup): nobody is there to answer a dialog, so a
        unit that cannot be opened is said on standard error, and nothing is asked."""
        super().__init__(window)
        self.window = window
        self.unattended = unattended
        self.today = today
        self.author = author
        self.demo_open = False
        self._loader: UnitLoader | None = None
        self._listed_early = False
        """The list shows a unit still opening (read quickly, planner.store.quick)."""
        self._keep: tuple[str, str] | None = None
        """A server's URL and password to keep in the keyring once the server took it."""
        window.act.open_demo.triggered.connect(lambda: self.open(None, demo=True))
        window.act.open_database.triggered.connect(self._on_open_database_triggered)
        window.act.open_own.triggered.connect(lambda: self.open(window.settings.database))
        window.act.connect_server.triggered.connect(lambda *_: self.connect_server())
        window.act.restore_backup.triggered.connect(self.restore_backup)

    def open(
        self, where: str | None, *, demo: bool = False, early: EarlyList | None = None
    ) -> None:
        """Open the unit at ``where`` (None: the user's own) or the demo unit; ``early``:
        its patient list, being read since the program started."""
        if self._loader is not None:
            return  # one opening at a time
        self.window.statusBar().showMessage(
            _("Opening the demo unit…") if demo else _("Opening the unit…")
        )
        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        loader = self._loader = UnitLoader(
            where,
            self.today,
            demo=demo,
            keep_days=None if demo else self.window.settings.backup_days,
            import_rules_as=None if demo else self.author,
            # Only into an empty window: the list of the unit on screen stays until the next
            # one is open (a click on one of its patients shows that patient).
            quick=self.window.unit is None,
            early=early,
        )
        loader.listed.connect(self._on_listed)
        loader.loaded.connect(lambda loaded: self._on_loaded(loaded, demo))
        loader.progress.connect(self.window.say_list_progress)
        loader.failed.connect(self._on_failed)
        loader.installation_broken.connect(self._on_installation_broken)
        loader.password_needed.connect(lambda problem: self._on_password_needed(where, problem))
        loader.finished.connect(self._on_loader_finished)
        loader.start()

    def _on_listed(self, summaries: list[Any]) -> None:
        try:
            if self.window.unit is not None:
                return
            self._listed_early = True
            self.window.show_early_list(summaries)
            self.listed.emit()
        finally:
            if self._loader is not None:
                self._loader.list_shown()

    def _on_loader_finished(self) -> None:
        if self._listed_early and self.window.unit is None:
            self.window.show_early_list([])  # the unit did not open: no list of it stays
        self._listed_early = False
        QApplication.restoreOverrideCursor()
        if self._loader is not None:
            self._loader.deleteLater()
        self._loader = None
        self.finished.emit()

    def _on_loaded(self, loaded: Loaded, demo: bool) -> None:
        from planner.gui.unit import Unit
        from planner.store import Store

        try:
            store = Store.open(loaded.where, checked=True)  # by the loading thread, just now
        except Exception as exc:
            self._on_failed(error_text(exc))
            return
        _log.info("unit opened%s: %s", " (demo)" if demo else "", store.location.described)
        unit = Unit(store, loaded.catalog, today=self.today, author=self.author)
        if self._keep is not None:  # the server took the password: keep it as asked
            self._keep_password(store, *self._keep)
        self.demo_open = demo
        self.window.act.open_own.setVisible(demo)
        self.window.open_unit(unit, loaded.summaries)
        self._listed_early = False
        self.listed.emit()
        if demo:
            self.window.setWindowTitle(_("Demo unit (made-up patients)"))
        if loaded.errors:
            box = message_box(
                Icon.Warning,
                _("Some regimen files could not be read"),
                _("These files were skipped; every other regimen is available."),
                self.window,
            )
            box.setDetailedText("\n".join(loaded.errors))
            box.setModal(False)
            box.show()
        if loaded.backup_problem:
            box = message_box(
                Icon.Warning,
                _("Today's copy of the database was not made"),
                loaded.backup_problem
                + "\n\n"
                + _(
                    "The unit is open and nothing was changed in it; the copy is tried again "
                    "next time it opens."
                ),
                self.window,
            )
            box.setModal(False)
            box.show()
        if loaded.rules_import is not None:
            self._say_rules_import(loaded.rules_import)
        if not loaded.summaries and not demo and not self.unattended:
            self._welcome(unit)
            self._offer_demo()

    def _say_rules_import(self, rules_import: RulesImport) -> None:
        """This computer's port_rules.toml became the unit's, or why not (not modal: the unit
        is open either way)."""
        box = message_box(
            Icon.Information if rules_import.imported else Icon.Warning,
            _("The unit's port rules"),
            rules_import.message.render(),
            self.window,
        )
        box.setModal(False)
        box.show()

    def _keep_password(self, store: Store, url: str, password: str) -> None:
        from planner.store import StoreError, passwords
        from planner.store.database import password_used

        self._keep = None
        try:
            if not password_used(store.engine, store.location):
                return  # the server lets this user in without one: nothing to keep
            passwords.remember(url, password)
        except (passwords.KeyringUnavailable, StoreError) as exc:
            warn(
                self.window,
                _("The password was not kept"),
                error_text(exc)
                + "\n\n"
                + _("The unit is open; the password will be asked for next time."),
            )

    def _welcome(self, unit: Unit) -> None:
        """An empty unit without a telephone number: ask for its name, address and phone
        (cancelled, the unit stays usable; documents then say the number is missing)."""
        from PySide6.QtWidgets import QDialog

        from planner.gui.dialogs.welcome import WelcomeDialog

        if unit.settings.phone.strip():
            return
        dialog = WelcomeDialog(unit.settings, self.window, place=self.window.act.settings_place)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            unit.save_settings(dialog.result_value())
        except Exception as exc:
            warn(
                self.window,
                _("The unit's details were not saved"),
                error_text(exc)
                + "\n\n"
                + _("The unit is open; enter them in {place}.").format(
                    place=self.window.act.settings_place
                ),
            )

    def _offer_demo(self) -> None:
        settings = self.window.settings
        if settings.demo_offered:
            return
        settings.demo_offered = True
        answer = ask(
            self.window,
            _("Welcome to Infusion Planner"),
            _(
                "Your unit has no patient yet. Open a demo unit of {n} made-up patients to "
                "see how the planner works? Your own database stays empty; File › Back to my "
                "unit returns to it."
            ).format(n=300),
        )
        if answer:
            # After this opening has finished: one loader at a time.
            self.finished.connect(self._open_demo_once)

    def _open_demo_once(self) -> None:
        self.finished.disconnect(self._open_demo_once)
        self.open(None, demo=True)

    def connect_server(self, url: str | None = None, problem: str = "") -> bool:
        """Ask for a shared unit's server (and password), then open it; False if cancelled."""
        from PySide6.QtWidgets import QDialog

        from planner.gui.dialogs.shared_unit import SharedUnitDialog
        from planner.store import passwords

        if self._loader is not None:
            return False
        if url is None and self.window.unit is not None:
            current = self.window.unit.store.location
            url = current.url if current.path is None else None
        dialog = SharedUnitDialog(url, problem, self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        asked = dialog.result_value()
        url = asked.server.url
        self._keep = None
        if asked.password:
            passwords.use_for_session(url, asked.password)
            if asked.remember:
                self._keep = (url, asked.password)
        self.window.settings.database = url
        self.open(url)
        return True

    def _on_password_needed(self, where: str | None, problem: str) -> None:
        """The server wants a password: ask for it again (what was typed is forgotten)."""
        from planner.store import locate, passwords

        self._keep = None
        url = locate(where).url
        passwords.forget_typed(url)
        self._say_what_is_open()
        # After this opening has ended (one loader at a time).
        self.finished.connect(
            lambda: self._ask_again(url, problem), Qt.ConnectionType.SingleShotConnection
        )

    def _ask_again(self, url: str, problem: str) -> None:
        self.connect_server(url, problem[:1].upper() + problem[1:] + ".")

    def _say_what_is_open(self) -> None:
        """After an opening that did not happen: the unit still open stays open."""
        if self.window.unit is None:
            self.window.statusBar().showMessage(_("No unit open"))
        else:
            self.window.statusBar().clearMessage()

    def _on_failed(self, message: str) -> None:
        self._say_failure(
            message,
            _("The unit could not be opened"),
            message
            + "\n\n"
            + _("Nothing was changed in it. File › Open a database… opens another."),
        )

    def _on_installation_broken(self, message: str) -> None:
        """The program's own files are missing: said as such, not as a fault of the database
        (opening another would fail the same way), and no unit with an empty catalogue."""
        self._say_failure(
            message,
            _("Infusion Planner is not installed correctly"),
            message[:1].upper() + message[1:] + ".",
        )

    def _say_failure(self, message: str, title: str, text: str) -> None:
        """An opening that failed: in a dialog, or on standard error when unattended."""
        self._keep = None
        self._say_what_is_open()
        if self.unattended:
            print(message, file=sys.stderr)
            return
        fail(self.window, title, text)

    def _on_open_database_triggered(self) -> None:
        path, _kind = QFileDialog.getOpenFileName(
            self.window,
            _("Open a database"),
            "",
            _("Infusion Planner databases (*.db *.sqlite);;All files (*)"),
        )
        if path:
            self.window.settings.database = path
            self.open(path)

    def restore_backup(self) -> bool:
        """Put a daily copy back in place of the open SQLite database, then open it."""
        from planner.store.backups import backups, restore

        unit = self.window.unit
        path = unit.store.location.path if unit is not None else None
        if unit is None or path is None or self._loader is not None:
            if unit is not None and path is None:
                inform(
                    self.window,
                    _("Restore a daily copy"),
                    _(
                        "This unit is on a database server: its copies are kept and restored "
                        "by the server's administrators."
                    ),
                )
            return False
        copies = backups(path)
        if not copies:
            inform(
                self.window,
                _("Restore a daily copy"),
                _("There is no daily copy of {path} yet.").format(path=path),
            )
            return False
        from PySide6.QtWidgets import QInputDialog

        from planner.i18n import format_date

        labels = [
            _("{date} ({size} kB)").format(date=format_date(c.day), size=max(1, c.size // 1024))
            for c in copies
        ]
        label, ok = QInputDialog.getItem(
            self.window,
            _("Restore a daily copy"),
            _(
                "Put this copy back in place of the unit? Everything recorded since is "
                "replaced; the unit as it is now is kept as a copy first."
            ),
            labels,
            0,
            False,
        )
        if not ok:
            return False
        chosen = copies[labels.index(label)]
        unit.store.close()
        try:
            kept = restore(path, chosen.path, datetime.now(UTC))
        except Exception as exc:
            fail(self.window, _("The copy was not restored"), error_text(exc))
            self.open(str(path))
            return False
        said = _("Restored the copy of {date}; the unit as it was is kept in {kept}.").format(
            date=format_date(chosen.day), kept=kept
        )

        def say() -> None:
            self.finished.disconnect(say)
            self.window.statusBar().showMessage(said)

        self.finished.connect(say)  # once the unit is open again, over its own message
        self.open(str(path))
        return True
