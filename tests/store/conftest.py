"""Store tests: a fresh database for each test, on SQLite and on a real PostgreSQL server
(``postgresql_url``, tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from planner.store import Store

AT = datetime(2027, 1, 1, 9, 0, tzinfo=UTC)
BACKENDS = ("sqlite", "postgresql")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "planner.db"


@pytest.fixture(params=BACKENDS)
def where(request: pytest.FixtureRequest, db_path: Path) -> Iterator[str]:
    """Where a test's database is: a SQLite file, or a new database on the PostgreSQL server."""
    if request.param == "sqlite":
        yield str(db_path)
        return
    yield request.getfixturevalue("postgresql_url")


@pytest.fixture
def store(where: str) -> Iterator[Store]:
    with Store.open(where) as opened:
        yield opened


@pytest.fixture
def sqlite_store(db_path: Path) -> Iterator[Store]:
    """For what only a file has (its permissions, its raw SQLite)."""
    with Store.open(db_path) as opened:
        yield opened
