"""Daily copies of the SQLite database, their retention, and putting one back."""

from __future__ import annotations

import stat
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from planner import platform
from planner.store import Store, StoreError
from planner.store.backups import backup_if_due, backups, restore
from tests.store.conftest import AT

DAY = date(2027, 3, 1)


def test_one_copy_a_day_kept_for_the_chosen_days(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.add_patient("Martin", "Anne", "HN-1", author="t", at=AT)
        first = backup_if_due(db_path, DAY, keep_days=3)
        assert first is not None
        assert backup_if_due(db_path, DAY, keep_days=3) is None  # already made today
        store.add_patient("Petit", "Bruno", "HN-2", author="t", at=AT)  # while in use
        for n in range(1, 5):
            backup_if_due(db_path, DAY + timedelta(days=n), keep_days=3)
    kept = backups(db_path)
    assert [b.day for b in kept] == [DAY + timedelta(days=n) for n in (4, 3, 2)]
    if not platform.is_windows():  # Windows: the folder's access list (planner.platform)
        assert all(stat.S_IMODE(b.path.stat().st_mode) == 0o600 for b in kept)
    assert stat.S_IMODE(kept[0].path.parent.stat().st_mode) == 0o700
    with Store.open(kept[0].path) as copy:
        assert [p.name for p in copy.patients()] == ["MARTIN Anne", "PETIT Bruno"]


def test_a_copy_is_put_back_and_the_database_as_it_was_is_kept(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.add_patient("Martin", "Anne", "HN-1", author="t", at=AT)
    copy = backup_if_due(db_path, DAY)
    assert copy is not None
    with Store.open(db_path) as store:
        store.add_patient("Entry", "Wrong", "HN-9", author="t", at=AT)
    before = restore(db_path, copy, datetime(2027, 3, 2, 9, 30, tzinfo=UTC))
    with Store.open(db_path) as store:
        assert [p.name for p in store.patients()] == ["MARTIN Anne"]
    with Store.open(before) as kept:
        assert {p.name for p in kept.patients()} == {"MARTIN Anne", "ENTRY Wrong"}


def test_a_copy_that_is_not_a_planner_database_is_refused(db_path: Path, tmp_path: Path) -> None:
    with Store.open(db_path) as store:
        store.add_patient("Martin", "Anne", "HN-1", author="t", at=AT)
    bogus = tmp_path / "holiday-photos.db"
    bogus.write_bytes(b"not a database at all")
    with pytest.raises(StoreError, match="not a database"):
        restore(db_path, bogus, datetime(2027, 3, 2, tzinfo=UTC))
    with Store.open(db_path) as store:
        assert [p.name for p in store.patients()] == ["MARTIN Anne"]  # untouched


def test_a_copy_that_cannot_be_written_is_said(db_path: Path) -> None:
    with Store.open(db_path):
        pass
    (db_path.parent / "backups").write_text("a file where the folder should be")
    with pytest.raises(StoreError, match="daily copy"):
        backup_if_due(db_path, DAY)


def test_a_restore_that_cannot_end_leaves_the_database_and_no_scrap(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Windows a database another program holds open cannot be replaced."""
    with Store.open(db_path) as store:
        store.add_patient("Martin", "Anne", "HN-1", author="t", at=AT)
    copy = backup_if_due(db_path, DAY)
    assert copy is not None
    with Store.open(db_path) as store:
        store.add_patient("Petit", "Bruno", "HN-2", author="t", at=AT)

    replace = platform.replace

    def held(source: str | Path, target: str | Path) -> None:
        if Path(target) == db_path:
            raise PermissionError(13, "The process cannot access the file")
        replace(source, target)

    monkeypatch.setattr(platform, "replace", held)
    with pytest.raises(StoreError, match="could not be restored from"):
        restore(db_path, copy, datetime(2027, 3, 2, 9, 30, tzinfo=UTC))
    assert not db_path.with_name(".planner.db.restoring").exists()
    with Store.open(db_path) as store:
        assert [p.name for p in store.patients()] == ["MARTIN Anne", "PETIT Bruno"]
