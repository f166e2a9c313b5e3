"""``database``: the daily copy, the copies kept, and putting one back."""

from __future__ import annotations

from planner.store import Store
from tests.cli.test_plan_commands import call
from tests.cli.test_unit_commands import AT, db

__all__ = ["db"]  # the fixture: a small unit


def test_daily_copies_on_the_command_line(db: str) -> None:
    code, out, err = call("--lang", "en", "database", "backup", "--db", db, "--today", "2027-03-01")
    assert (code, err) == (0, "")
    assert out.startswith("Copy made: ")
    code, out, _err = call(
        "--lang", "en", "database", "backup", "--db", db, "--today", "2027-03-01"
    )
    assert out.startswith("Today's copy of ")
    code, out, _err = call("--lang", "en", "database", "backups", "--db", db)
    assert "Mon 1 Mar 2027" in out
    copy = out.splitlines()[1].split()[-1]
    with Store.open(db) as store:
        store.add_patient("Wrong Entry", "HN-9", author="t", at=AT)
    code, out, err = call("--lang", "en", "database", "restore", copy, "--db", db)
    assert (code, err) == (0, "")
    with Store.open(db) as store:
        assert "Wrong Entry" not in {p.name for p in store.patients()}
    code, _out, err = call("--lang", "en", "database", "restore", "/nowhere.db", "--db", db)
    assert code == 1
    assert "is not a file" in err
