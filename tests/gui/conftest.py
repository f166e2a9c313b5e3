"""A unit with two patients in a fresh database, open in a main window."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from planner.catalog import Catalog
from planner.core.closures import ClosureSet
from planner.core.plan import PlanOptions
from planner.core.schedule import Policy
from planner.core.settings import UnitSettings
from planner.store import Store

TODAY = date(2027, 3, 1)
AT = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


UNIT = UnitSettings(
    name="Hôpital de jour d'oncologie",
    address="12 rue de la Santé\n75014 Paris",
    phone="01 23 45 67 89",
)


def fill_unit(where: str | Path, catalog: Catalog) -> None:
    """Two patients: MARTIN Anne on pembrolizumab (KEYNOTE-style q3w) from Monday 8 March
    2027, PETIT Bruno on mFOLFOX6 (port required) from Monday 15 March 2027; the unit has
    a name, an address and a telephone number (:data:`UNIT`)."""
    with Store.open(where) as store:
        store.save_settings(UNIT)
        anne = store.add_patient("Martin", "Anne", "HN-0001", author="test", at=AT, language="en")
        bruno = store.add_patient("Petit", "Bruno", "HN-0002", author="test", at=AT, language="fr")
        store.create_plan(
            anne,
            catalog.regimen("pembrolizumab-200-q3w"),
            date(2027, 3, 8),
            author="test",
            at=AT,
            policy=Policy.GRID,
            closure_set=ClosureSet.FR,
            options=PlanOptions(),
        )
        store.create_plan(
            bruno,
            catalog.regimen("mfolfox6-q14"),
            date(2027, 3, 15),
            author="test",
            at=AT,
            policy=Policy.GRID,
            closure_set=ClosureSet.FR,
            options=PlanOptions(),
        )


@pytest.fixture
def unit_db(tmp_path: Path, catalog: Catalog) -> Path:
    """The unit of :func:`fill_unit` in a SQLite file."""
    path = tmp_path / "unit.db"
    fill_unit(path, catalog)
    return path


@pytest.fixture
def gui_settings(tmp_path: Path) -> object:
    from PySide6.QtCore import QSettings

    from planner.gui.settings import Settings

    return Settings(QSettings(str(tmp_path / "gui.ini"), QSettings.Format.IniFormat))


def open_window(
    qtbot: QtBot, where: str | Path, catalog: Catalog, settings: object, author: str
) -> Any:
    """A main window with the unit at ``where`` open, as ``author``."""
    from planner.day_hospital.loading import load_unit
    from planner.gui.main_window import MainWindow
    from planner.gui.unit import Unit

    loaded = load_unit(str(where), TODAY)
    main = MainWindow(TODAY, settings)  # type: ignore[arg-type]
    qtbot.addWidget(main)
    unit = Unit(Store.open(where), catalog, today=TODAY, author=author, clock=lambda: AT)
    main.open_unit(unit, loaded.summaries)
    return main


@pytest.fixture
def window(qtbot: QtBot, unit_db: Path, catalog: Catalog, gui_settings: object) -> Iterator[object]:
    main = open_window(qtbot, unit_db, catalog, gui_settings, "coordinator")
    yield main
    main.unit.store.close()
