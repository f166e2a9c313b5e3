"""Test-wide setup: Qt offscreen, an empty user data folder, GUI tests marked."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# Qt aborts without a display unless a platform is chosen before any QApplication exists.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Never read the developer's own regimen folder: every test starts from the bundled catalogue.
_USER_DATA = tempfile.mkdtemp(prefix="planner-test-data-")
os.environ["XDG_DATA_HOME"] = _USER_DATA

from planner.catalog import Catalog, load_catalog  # noqa: E402
from planner.i18n import set_language  # noqa: E402

TESTS = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    gui = TESTS / "gui"
    for item in items:
        if gui in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.gui)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Tests read English unless they switch; the language never leaks between tests."""
    set_language("en")
    yield
    set_language("en")
