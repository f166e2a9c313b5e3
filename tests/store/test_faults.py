"""Faults while writing: a locked, read-only or full database. Each gives a clear message,
saves nothing half, loses nothing saved, and the store goes on working afterwards."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event

from planner.store import Store, StoreError, database
from tests.store.conftest import AT


@pytest.fixture
def unit(db_path: Path) -> Iterator[Store]:
    with Store.open(db_path) as store:
        store.add_patient("Anne Martin", "HN-1", author="t", at=AT)
        yield store


def test_a_locked_database_says_so_and_nothing_is_lost(
    db_path: Path, unit: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 200)
    unit.close()
    other = sqlite3.connect(db_path)
    other.execute("BEGIN EXCLUSIVE")  # another program writing, for a long time
    try:
        with Store.open(db_path) as store, pytest.raises(StoreError) as refused:
            store.add_patient("Bruno Petit", "HN-2", author="t", at=AT)
        assert "is busy (another program is writing); nothing was saved, try again" in str(
            refused.value
        )
    finally:
        other.rollback()
        other.close()
    with Store.open(db_path) as store:  # once the other program is done: it works
        store.add_patient("Bruno Petit", "HN-2", author="t", at=AT)
        assert [p.name for p in store.patients()] == ["Anne Martin", "Bruno Petit"]


@pytest.mark.parametrize(
    ("error", "words"),
    [
        ("attempt to write a readonly database", "is read-only: nothing was saved"),
        ("database or disk is full", "is full: nothing was saved"),
    ],
)
def test_a_write_the_disk_refuses_saves_nothing(unit: Store, error: str, words: str) -> None:
    def refuse(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            raise sqlite3.OperationalError(error)

    event.listen(unit.engine, "before_cursor_execute", refuse)
    try:
        with pytest.raises(StoreError, match=words):
            unit.add_patient("Bruno Petit", "HN-2", author="t", at=AT)
        assert [p.name for p in unit.patients()] == ["Anne Martin"]  # still readable
    finally:
        event.remove(unit.engine, "before_cursor_execute", refuse)
    unit.add_patient("Bruno Petit", "HN-2", author="t", at=AT)  # and writable again
    assert len(unit.patients()) == 2
    assert len(unit.audit(unit.patient("HN-2"))) == 1  # one creation: nothing half-written before
