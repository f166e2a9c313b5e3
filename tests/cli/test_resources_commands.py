"""``unit resources``: the unit's chairs, hours, nurses and fixed times from the command
line, checked as the window checks them; nothing saved unless the whole is a unit."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.core.chairs import UnitResources
from planner.store import Store
from tests.cli.test_plan_commands import call


def resources(db: str, *argv: str) -> tuple[int, str, str]:
    return call("--lang", "en", "unit", "resources", *argv, "--db", db)


def test_the_unit_is_shown_then_set(tmp_path: Path) -> None:
    db = str(tmp_path / "u.db")
    code, out, _err = resources(db)
    assert code == 0
    assert "Nurses: 3, each starting up to 2 infusions per slot of 15 minutes" in out
    code, out, err = resources(
        db, "--remove", "f6", "--remove", "L1", "--add-chair", "A", "--add-bed", "Lit 1",
        "--hours", "sat=closed", "--nurses", "150", "--starts-per-nurse", "3",
    )  # fmt: skip
    assert code == 0, err
    assert out.splitlines()[0] == "Chairs and beds (7): F1, F2, F3, F4, F5, A, Lit 1 (bed)"
    assert "  sat: closed" in out
    with Store.open(db) as store:
        saved = store.resources()
    assert (saved.nurses, saved.starts_per_nurse, len(saved.chairs)) == (150, 3, 7)


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--nurses", "201"], "error: at most 200 nurses, not 201\n"),
        (["--starts-per-nurse", "21"], "error: a nurse starts at most 20 infusions per slot"),
        (["--nurses", "0"], "error: "),
        (["--slot-minutes", "7"], "error: the slot size divides an hour"),
        (["--hours", "mon=18:00-08:00"], "error: "),
        (["--hours", "mon=25:00-26:00"], "error: --hours: 'mon=25:00-26:00': the hours "),
        (["--hours", "xyz=08:00-18:00"], "error: --hours: 'xyz=08:00-18:00': give a day"),
        (["--nurses", "-1"], "error: --nurses: '-1' is not a whole number\n"),
        (["--add-chair", "Box\n2"], "error: --add-chair: it must fit on one line"),
        (["--add-chair", "F1"], "error: two chairs"),
        (["--remove", "F9"], "error: --remove: the unit has no chair or bed named F9\n"),
    ],
)  # fmt: skip
def test_values_no_unit_has_are_refused_in_words_and_nothing_is_saved(
    tmp_path: Path, argv: list[str], words: str
) -> None:
    db = str(tmp_path / "u.db")
    code, _out, err = resources(db, *argv)
    assert code in (1, 2)
    assert err.startswith(words), err
    assert err.count("\n") == 1
    with Store.open(db) as store:
        assert store.resources() == UnitResources()  # the defaults: nothing was saved
