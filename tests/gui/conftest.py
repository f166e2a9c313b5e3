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


# ---------------------------------------------------------------- patients' live calendars


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A throw-away Radicale for a module's tests (planner.calendars.radicale_trial),
    refusing a wrong password at once."""
    from planner.calendars.radicale_trial import trial_server

    with trial_server(tmp_path_factory.mktemp("radicale"), fast=True) as server:
        yield server


@pytest.fixture
def quick_rounds(monkeypatch: pytest.MonkeyPatch) -> None:
    """The window's calendar publisher goes round every 0.1 s, and sends a change 20 ms
    after it (30 s and 3 s for a coordinator): the tests wait for what it does, not for
    its clock."""
    from planner.gui import calendars

    monkeypatch.setattr(calendars, "ROUND_SECONDS", 0.1)
    monkeypatch.setattr(calendars, "SOON_MS", 20)


def publish_to(where: str | Path, server: Any, password: str | None = None) -> Any:
    """The unit at ``where`` publishes to the trial ``server``, its password typed this
    session (``password``: another one); the server's settings."""
    from planner.calendars.publisher import ServerSettings
    from planner.store.passwords import use_secret_for_session

    settings = ServerSettings(server.collections_url, server.user)
    with Store.open(where) as store:
        store.calendars.save_server(settings.to_json())
    use_secret_for_session(settings.key, password if password is not None else server.password)
    return settings


@pytest.fixture
def calendar_window(
    qtbot: QtBot,
    unit_db: Path,
    catalog: Catalog,
    gui_settings: object,
    radicale: Any,
    quick_rounds: None,
) -> Iterator[Any]:
    """The unit of :func:`fill_unit` publishing to the trial Radicale, open in a window."""
    radicale.start()  # a test may have stopped it
    publish_to(unit_db, radicale)
    main = open_window(qtbot, unit_db, catalog, gui_settings, "coordinator")
    yield main
    main.close()
