"""Reading a unit off the GUI thread: what the worker hands back, or why it could not."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from planner.catalog import InstallationError
from planner.day_hospital.loading import load_unit
from planner.gui.loading import UnitLoader
from tests.gui.conftest import TODAY


def test_a_unit_is_not_read_with_an_empty_catalogue(installed: Path, tmp_path: Path) -> None:
    for path in (installed / "regimens").iterdir():
        path.unlink()
    where = tmp_path / "unit.db"
    with pytest.raises(InstallationError, match="holds no regimen file"):
        load_unit(str(where), TODAY)
    assert not where.exists()  # nothing created on the way


@pytest.mark.parametrize("demo", [False, True])
def test_the_loader_says_a_broken_installation_apart_from_a_database_fault(
    qtbot: QtBot, installed: Path, tmp_path: Path, demo: bool
) -> None:
    """Not "the unit could not be opened": another database would fail the same way."""
    (installed / "agents.toml").unlink()
    loader = UnitLoader(str(tmp_path / "unit.db"), TODAY, demo=demo)
    failed: list[str] = []
    loader.failed.connect(failed.append)
    with qtbot.waitSignal(loader.installation_broken, timeout=20000) as signal:
        loader.start()
    loader.wait()
    assert signal.args == [
        f"the drug dictionary was not found: {installed / 'agents.toml'} does not exist; the "
        "installation of Infusion Planner is incomplete or damaged: reinstall it, or ask "
        "whoever installed it"
    ]
    assert failed == []
