"""Store tests: a fresh database for each test, on SQLite and on a real PostgreSQL server.

The PostgreSQL server is a throw-away one (planner.store.pg_trial: initdb in a temporary
folder, a unix socket, no network port), started once for the session, or the one named by
$PLANNER_TEST_DATABASE_URL. Each test gets its own new database on it. When no server can
be started, the PostgreSQL half is skipped with the reason, never silently.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from planner.store import Store

AT = datetime(2027, 1, 1, 9, 0, tzinfo=UTC)
BACKENDS = ("sqlite", "postgresql")
_numbers = itertools.count(1)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "planner.db"


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


def _postgresql_database(server: Path | str) -> tuple[str, object]:
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


@pytest.fixture(params=BACKENDS)
def where(request: pytest.FixtureRequest, db_path: Path) -> Iterator[str]:
    """Where a test's database is: a SQLite file, or a new database on the PostgreSQL server."""
    if request.param == "sqlite":
        yield str(db_path)
        return
    server = request.getfixturevalue("postgresql_server")
    url, drop = _postgresql_database(server)
    yield url
    drop()  # type: ignore[operator]


@pytest.fixture
def store(where: str) -> Iterator[Store]:
    with Store.open(where) as opened:
        yield opened


@pytest.fixture
def sqlite_store(db_path: Path) -> Iterator[Store]:
    """For what only a file has (its permissions, its raw SQLite)."""
    with Store.open(db_path) as opened:
        yield opened
