"""Opening a unit without freezing the window.

The window paints first; then a worker thread imports the database layer, reads every plan
and computes each patient's next session and warnings (about a second and a half for the
2,000-patient demo unit), and hands the values to the window. The worker uses its own
database connection and closes it; the window then opens its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QThread, Signal

DEMO_FILE = "demo.db"
DEMO_PATIENTS = 300


@dataclass(frozen=True)
class Loaded:
    """What the worker read: the catalogue, the plans and the patient list's lines."""

    where: str | None
    catalog: Any
    """The catalogue, advising by the unit's port rules."""
    plans: list[Any]
    summaries: list[Any]
    errors: list[str] = field(default_factory=list)
    backup_problem: str = ""
    """Why today's copy of the database could not be made ("" when it was, or not due)."""
    rules_import: Any = None
    """What became of this computer's port_rules.toml (a RulesImport), when it was tried."""


def load_unit(
    where: str | None,
    today: date,
    catalog: Any = None,
    *,
    keep_days: int | None = None,
    rules_file: Path | None = None,
    author: str = "",
) -> Loaded:
    """Everything the window needs to show the unit (no Qt: runs in the worker); the
    catalogue is read from its files unless given, and advises by the unit's port rules.
    With ``keep_days``, a SQLite database gets its daily copy first (planner.store.backups).
    With ``rules_file`` (this computer's port_rules.toml), a unit without port rules of its
    own takes that file's, once (planner.unit_port_rules), as ``author``."""
    from datetime import UTC, datetime

    from planner.catalog import CatalogPaths, load_catalog
    from planner.core.plan_schedule import schedule_of
    from planner.gui.unit import summarize
    from planner.memory import collector_paused
    from planner.store import Store
    from planner.unit_port_rules import import_computer_rules, with_unit_rules

    if catalog is None:
        catalog = load_catalog(user=CatalogPaths.user())
    errors = list(catalog.errors)
    backup_problem = ""
    rules_import = None
    with Store.open(where) as store:
        if keep_days is not None and store.location.path is not None:
            from planner.i18n import error_text
            from planner.store.backups import backup_if_due

            try:
                backup_if_due(store.location.path, today, keep_days)
            except Exception as exc:
                backup_problem = error_text(exc)
        if rules_file is not None:  # after the day's copy: the database as it was is kept
            rules_import = import_computer_rules(
                store, catalog, rules_file, author=author, at=datetime.now(UTC)
            )
            if rules_import is not None:  # said once, by the import (not as a regimen file)
                errors = [e for e in errors if e.path != rules_file]
        catalog = with_unit_rules(catalog, store)
        patients = store.patients()
        plans = store.plans()
    by_patient: dict[str, list[Any]] = {}
    for plan in plans:
        by_patient.setdefault(plan.patient.id, []).append(plan)
    with collector_paused():
        summaries = []
        for patient in patients:
            own = by_patient.get(patient.id, [])
            schedules = {p.id: schedule_of(p, catalog.port_rules, today) for p in own}
            summaries.append(summarize(patient, own, schedules, today))
    return Loaded(
        where, catalog, plans, summaries, [str(e) for e in errors], backup_problem, rules_import
    )


def demo_location() -> str:
    from planner import resources

    return str(resources.user_data_dir() / DEMO_FILE)


def build_demo_database(path: str, today: date) -> None:
    """A realistic unit of made-up patients in its own file (never in the user's database)."""
    from datetime import UTC, datetime

    from planner.batch import plan_schedules
    from planner.bookings import book
    from planner.catalog import load_catalog
    from planner.demo import DEMO_AUTHOR, build_demo
    from planner.store import Store

    catalog = load_catalog()
    unit = build_demo(catalog, DEMO_PATIENTS, today)
    with Store.open(path) as store:
        if store.patients():
            return  # already built
        store.save_settings(unit.settings)
        store.save_resources(unit.resources)
        store.import_plans(unit.plans, author=DEMO_AUTHOR, at=datetime.now(UTC))
        book(
            store,
            plan_schedules(store.plans(), catalog.port_rules, today),
            since=today,
            author=DEMO_AUTHOR,
            at=datetime.now(UTC),
        )


class UnitLoader(QThread):
    """Runs :func:`load_unit` (after building the demo unit, when asked) off the GUI thread."""

    loaded = Signal(object)
    """The :class:`Loaded` values."""
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
    ) -> None:
        """``import_rules_as``: who takes this computer's port_rules.toml into a unit without
        rules of its own (None: no import, as for the demo unit or a refresh)."""
        super().__init__()
        self.where = where
        self.today = today
        self.demo = demo
        self.catalog = catalog
        self.keep_days = keep_days
        self.import_rules_as = import_rules_as

    def run(self) -> None:
        try:
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
