"""Test-wide setup: Qt offscreen, an empty user data folder, a log folder of the tests' own, a
keyring in memory, GUI tests marked, and a throw-away PostgreSQL server for the tests of a
shared unit.

The PostgreSQL server is a throw-away one (planner.store.pg_trial: initdb in a temporary
folder, a unix socket, no network port), started once for the session, or the one named by
$PLANNER_TEST_DATABASE_URL. Each test gets its own new database on it. When no server can
be started, the PostgreSQL tests are skipped with the reason, never silently.
"""

from __future__ import annotations

import itertools
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Qt aborts without a display unless a platform is chosen before any QApplication exists.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Never read the developer's own regimen folder: every test starts from the bundled catalogue.
_USER_DATA = tempfile.mkdtemp(prefix="planner-test-data-")
os.environ["XDG_DATA_HOME"] = _USER_DATA
# Nor write into the developer's log folder: the command line and the window started by a
# test (also in a new process) log here; a test of the log starts its own (fixture `log`).
os.environ["PLANNER_LOG_DIR"] = tempfile.mkdtemp(prefix="planner-test-log-")
# Nor the developer's language: the command line speaks the system's (LANGUAGE first), and a
# French desktop made 34 tests of the command line read French where they expect English.
os.environ["LANGUAGE"] = "en"

from planner import platform  # noqa: E402
from planner.catalog import Catalog, load_catalog  # noqa: E402
from planner.i18n import set_language  # noqa: E402

TESTS = Path(__file__).resolve().parent
_numbers = itertools.count(1)
NURSE = "nurse"
NURSE_PASSWORD = "rosebud-42"


_SERVER_FIXTURES = frozenset({"postgresql_server", "postgresql_url", "nurse_url"})


def _posix_only(item: pytest.Item) -> bool:
    """What a Windows computer would not run: marked so, or on the PostgreSQL trial server
    (started from Debian's packages; a Windows unit's server is another computer)."""
    params = getattr(item, "callspec", None)
    return (
        item.get_closest_marker("posix_only") is not None
        or bool(_SERVER_FIXTURES & set(getattr(item, "fixturenames", ())))
        or (params is not None and "postgresql" in params.params.values())
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    gui = TESTS / "gui"
    for item in items:
        if gui in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.gui)
    if platform.is_windows() and sys.platform != "win32":  # PLANNER_AS_WINDOWS=1
        left_out = [item for item in items if _posix_only(item)]
        if left_out:
            config.hook.pytest_deselected(items=left_out)
            items[:] = [item for item in items if not _posix_only(item)]


def pytest_report_header() -> str | None:
    if platform.is_windows() and sys.platform != "win32":
        return "as on Windows: planner.platform.is_windows() is True (PLANNER_AS_WINDOWS=1)"
    return None


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the program's resources/ folder, read by the program instead of its own: a
    test removes or damages in it what an incomplete installation lacks."""
    from planner import resources

    copy = tmp_path / "installed" / "resources"
    shutil.copytree(resources.RESOURCES, copy)
    monkeypatch.setattr(resources, "RESOURCES", copy)
    return copy


@pytest.fixture
def log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The log written for this test only, in a folder of its own: the file."""
    from planner import logbook

    monkeypatch.setenv("PLANNER_LOG_DIR", str(tmp_path / "log"))
    logbook.stop()
    path = logbook.start("tests")
    assert path is not None
    yield path
    logbook.stop()


def _as_system(windows: bool) -> Iterator[None]:
    before = platform._forced
    platform.force_windows(windows)
    yield
    platform.force_windows(before)


@pytest.fixture
def windows() -> Iterator[None]:
    """The program takes its Windows branches in this test (planner.platform.is_windows)."""
    yield from _as_system(True)


@pytest.fixture
def posix() -> Iterator[None]:
    """The program takes its POSIX branches in this test, even under PLANNER_AS_WINDOWS."""
    yield from _as_system(False)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Tests read English unless they switch; the language never leaks between tests."""
    set_language("en")
    yield
    set_language("en")


@pytest.fixture(autouse=True)
def keyring() -> Iterator[dict[tuple[str, str], str]]:
    """Each test has an empty keyring in memory (the developer's own is never read or
    written) and no password typed; the keyring's contents, by (service, user)."""
    from planner.store import passwords

    kept: dict[tuple[str, str], str] = {}
    passwords._typed.clear()
    try:
        import keyring as library
        from keyring.backend import KeyringBackend
        from keyring.errors import PasswordDeleteError
    except ImportError:  # installed without the "postgresql" extra: no keyring at all
        yield kept
        return

    class Memory(KeyringBackend):
        priority = 1

        def get_password(self, service: str, username: str) -> str | None:
            return kept.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            kept[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            if kept.pop((service, username), None) is None:
                raise PasswordDeleteError(username)

    before: Any = library.get_keyring()
    library.set_keyring(Memory())
    yield kept
    library.set_keyring(before)
    passwords._typed.clear()


@pytest.fixture(scope="session")
def postgresql_server() -> Iterator[Path | str]:
    """The trial server's folder (or the URL given by $PLANNER_TEST_DATABASE_URL)."""
    given = os.environ.get("PLANNER_TEST_DATABASE_URL")
    if given:
        yield given
        return
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip(
            "PostgreSQL tests skipped: psycopg is not installed (pip install -e .[postgresql])"
        )
    from planner.store import pg_trial

    folder = Path(tempfile.mkdtemp(prefix="planner-pg-test-"))
    try:
        pg_trial.start(folder, fast=True)
    except pg_trial.TrialError as exc:
        pytest.skip(f"PostgreSQL tests skipped: no server could be started ({exc})")
    yield folder
    pg_trial.stop(folder)


def new_postgresql_database(server: Path | str) -> tuple[str, Callable[[], None]]:
    """A new database for one test: its URL, and how to drop it."""
    from planner.store import pg_trial

    name = f"test_{os.getpid()}_{next(_numbers)}"
    if isinstance(server, str):
        from sqlalchemy import create_engine, make_url, text

        base = make_url(server)
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()

        def drop_given() -> None:
            engine = create_engine(base, isolation_level="AUTOCOMMIT")
            with engine.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            engine.dispose()

        return base.set(database=name).render_as_string(hide_password=False), drop_given
    return pg_trial.create(server, name), lambda: pg_trial.drop(server, name)


@pytest.fixture
def postgresql_url(postgresql_server: Path | str) -> Iterator[str]:
    """A new empty database on the PostgreSQL server, dropped after the test."""
    url, drop = new_postgresql_database(postgresql_server)
    yield url
    drop()


@pytest.fixture
def nurse_url(postgresql_server: Path | str, postgresql_url: str) -> Iterator[str]:
    """A new database owned by a role that must give its password (scram-sha-256), on the
    trial server; its URL, without the password (``NURSE_PASSWORD``)."""
    if not isinstance(postgresql_server, Path):
        pytest.skip("needs the trial server (its pg_hba.conf is changed)")
    from sqlalchemy import create_engine, make_url, text

    hba = postgresql_server / "data" / "pg_hba.conf"
    rule = f"local all {NURSE} scram-sha-256\n"
    before = hba.read_text()
    admin = create_engine(postgresql_url, isolation_level="AUTOCOMMIT")
    database = make_url(postgresql_url).database
    with admin.connect() as connection:
        connection.execute(text(f"DROP ROLE IF EXISTS {NURSE}"))
        connection.execute(text(f"CREATE ROLE {NURSE} LOGIN PASSWORD '{NURSE_PASSWORD}'"))
        connection.execute(text(f'ALTER DATABASE "{database}" OWNER TO {NURSE}'))
        if rule not in before:
            hba.write_text(rule + before)
        connection.execute(text("SELECT pg_reload_conf()"))
    yield make_url(postgresql_url).set(username=NURSE).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'ALTER DATABASE "{database}" OWNER TO CURRENT_USER'))
    admin.dispose()


_FIGURES: list[str] = []


@pytest.fixture(scope="session")
def figures() -> Callable[[str], None]:
    """Report a figure (trials survived, faults injected, bad inputs tried): printed at the
    end of the run, under "figures"."""
    return _FIGURES.append


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _FIGURES:
        terminalreporter.section("figures")
        for line in _FIGURES:
            terminalreporter.write_line(line)
