"""Opening a unit: the catalogue, the unit's port rules and the patient list, and the demo
unit built when asked. No Qt: the window imports and runs this in a worker thread
(planner.gui.loading) once it has painted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from planner import resources
from planner.catalog import CatalogPaths, load_catalog
from planner.day_hospital.demo import save_demo
from planner.day_hospital.patient_list import patient_list
from planner.day_hospital.port_rules import import_computer_rules, with_unit_rules
from planner.i18n import error_text, language
from planner.store import Store
from planner.store.backups import backup_if_due

DEMO_FILE = "demo.db"
DEMO_PATIENTS = 300


@dataclass(frozen=True)
class Loaded:
    """What the worker read: the catalogue and the patient list's lines."""

    where: str | None
    catalog: Any
    """The catalogue, advising by the unit's port rules."""
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
    progress: Callable[[int, int], None] | None = None,
) -> Loaded:
    """Everything the window needs to show the unit (no Qt: runs in the worker); the
    catalogue is read from its files unless given, and advises by the unit's port rules.
    With ``keep_days``, a SQLite database gets its daily copy first (planner.store.backups).
    With ``rules_file`` (this computer's port_rules.toml), a unit without port rules of its
    own takes that file's, once (planner.day_hospital.port_rules), as ``author``. The
    patient list is read from the facts kept with the plans; ``progress(done, total)`` is
    told of the plans whose facts are computed again (planner.day_hospital.patient_list)."""
    if catalog is None:
        catalog = load_catalog(user=CatalogPaths.user())
    errors = list(catalog.errors)
    backup_problem = ""
    rules_import = None
    with Store.open(where) as store:
        if keep_days is not None and store.location.path is not None:
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
        summaries = patient_list(
            store,
            catalog.port_rules,
            today,
            language(),
            shipped=catalog.shipped_port_rules,
            progress=progress,
        )
    return Loaded(where, catalog, summaries, [str(e) for e in errors], backup_problem, rules_import)


def demo_location() -> str:
    return str(resources.user_data_dir() / DEMO_FILE)


def build_demo_database(path: str, today: date) -> None:
    """A realistic unit of made-up patients in its own file (never in the user's database)."""
    with Store.open(path) as store:
        if store.patients():
            return  # already built
        save_demo(store, load_catalog(), DEMO_PATIENTS, today, at=datetime.now(UTC))
