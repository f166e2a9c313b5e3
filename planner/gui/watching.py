"""Other coordinators' changes, shown as they happen; the patient list computed again.

A unit on a SQLite file is looked at every few seconds (one cheap query); a unit on a
PostgreSQL server also tells the window at once (LISTEN/NOTIFY). When the database cannot be
reached the window keeps what it shows, says so, and tries again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from planner.gui.desk import Desk
from planner.i18n import _, error_text

if TYPE_CHECKING:
    from planner.day_hospital.loading import Loaded
    from planner.gui.loading import ChangeListener, UnitLoader
    from planner.gui.unit import Unit

WATCH_MS = 5000
"""How often the window looks for other coordinators' changes."""


class UnitWatch(QObject):
    """Keeps the desk's unit and patient list up to date with the database."""

    def __init__(self, desk: Desk) -> None:
        super().__init__(desk.widget)
        self.desk = desk
        self.timer = QTimer(self)
        self.timer.setInterval(WATCH_MS)
        self.timer.timeout.connect(self.look_for_changes)
        self._unreachable = False
        self._listener: ChangeListener | None = None
        self._refresher: UnitLoader | None = None
        self._refresh_again = False

    @property
    def listener(self) -> ChangeListener | None:
        """What hears other coordinators' changes at once (a unit on a server only)."""
        return self._listener

    def start(self, unit: Unit) -> None:
        """Watch ``unit`` (the one the desk just opened)."""
        from planner.gui.loading import ChangeListener

        unit.mark_seen()  # what is in the database now is what this window shows
        self.timer.start()
        if self._listener is not None:
            self._listener.stop()
            self._listener = None
        if unit.store.location.path is None:  # a server, not a SQLite file
            listener = self._listener = ChangeListener(unit.store.location.url)
            listener.noticed.connect(self.look_for_changes)
            listener.start()

    def stop(self) -> None:
        self.wait_for_refresh()
        self.timer.stop()
        if self._listener is not None:
            self._listener.stop()

    def look_for_changes(self) -> bool:
        """Show what other coordinators changed; say so if the database cannot be reached
        (nothing is lost: the window keeps what it shows, and tries again)."""
        unit, status = self.desk.unit, self.desk.statusBar()
        if unit is None or self._refresher is not None:
            return False
        try:
            changed = unit.changed_elsewhere()
        except Exception as exc:
            self._unreachable = True
            status.showMessage(
                _(
                    "The database cannot be reached ({error}); trying again every {n} "
                    "seconds. Nothing shown here is lost."
                ).format(error=error_text(exc), n=WATCH_MS // 1000)
            )
            return False
        if self._unreachable:
            self._unreachable = False
            status.showMessage(_("The database can be reached again."), 10000)
        if changed:
            unit.reload()
            status.showMessage(_("Changes made by another coordinator are shown."), 10000)
        return changed

    def refresh_patient_list(self) -> None:
        """Every patient's next session and warnings again (closures, the lab rule or the
        port rules changed), read and computed off the GUI thread as at opening."""
        from planner.gui.loading import UnitLoader

        unit = self.desk.unit
        if unit is None:
            return
        if self._refresher is not None:
            self._refresh_again = True
            return
        self._refresh_again = False
        self.desk.statusBar().showMessage(_("Updating the patient list…"))
        refresher = self._refresher = UnitLoader(
            unit.store.location.url, unit.today, catalog=unit.catalog, quick=False
        )
        refresher.loaded.connect(lambda loaded: self._on_list_refreshed(unit, loaded))
        refresher.progress.connect(self.desk.say_list_progress)
        for failed in (refresher.failed, refresher.password_needed):
            failed.connect(
                lambda message: self.desk.show_error(_("The patient list was not updated"), message)
            )
        refresher.finished.connect(self._on_refresher_finished)
        refresher.start()

    def _on_list_refreshed(self, unit: Unit, loaded: Loaded) -> None:
        desk = self.desk
        if unit is not desk.unit or self._refresh_again:
            return  # another unit was opened, or the settings changed again meanwhile
        shown = desk.current_summary()
        desk.patients_model.set_summaries(loaded.summaries, by_name=True)
        if shown is not None:
            desk.select_patient(shown.patient.id)
        desk.statusBar().showMessage(_("Patient list updated"), 5000)

    def _on_refresher_finished(self) -> None:
        if self._refresher is not None:
            self._refresher.deleteLater()
        self._refresher = None
        if self._refresh_again:
            self.refresh_patient_list()

    def wait_for_refresh(self) -> None:
        """For tests and closing: let a list update in progress end."""
        from PySide6.QtWidgets import QApplication

        while self._refresher is not None:
            self._refresher.wait()
            QApplication.processEvents()
