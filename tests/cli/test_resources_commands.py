"""``unit resources``: the unit's chairs, hours, nurses and fixed times from the command
line, checked as the window checks them; nothing saved unless the whole is a unit."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from planner.core.chairs import UnitResources, Weights
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


def test_the_pharmacy_afternoon_nurses_and_optimiser_are_shown_then_set(tmp_path: Path) -> None:
    db = str(tmp_path / "u.db")
    code, out, _err = resources(db)
    assert code == 0
    assert "Afternoon from 13:00: the morning's nurses" in out
    assert "Pharmacy, preparations per slot: not limited" in out
    assert "Start after a same-day blood test: from opening" in out
    assert "The optimiser moves a booking given to a patient by at most 30 minutes" in out
    assert "The optimiser's weights: preference=100, keep=60, peak=20, spread=4, end=1" in out
    code, out, err = resources(
        db, "--afternoon-nurses", "2", "--pharmacy", "12", "--pharmacy-day", "sat=8",
        "--pharmacy-day", "dim=none", "--lab-result-start", "10:30", "--max-move", "45",
        "--weight", "peak=30", "--weight", "END=0",
    )  # fmt: skip
    assert code == 0, err
    assert "Afternoon from 13:00: 2 nurses" in out
    assert "  fri: 12\n  sat: 8\n  sun: not limited\n" in out
    assert "Start after a same-day blood test: 10:30" in out
    assert "by at most 45 minutes" in out
    assert "preference=100, keep=60, peak=30, spread=4, end=0" in out
    with Store.open(db) as store:
        saved = store.resources()
    assert saved.afternoon_nurses == 2
    assert saved.pharmacy == (12, 12, 12, 12, 12, 8, None)
    assert (saved.lab_result_start, saved.max_move_minutes) == (time(10, 30), 45)
    assert saved.weights == Weights(peak=30, end=0)
    # Back to the morning's nurses, no limit and from opening; a day alone changed.
    code, out, err = resources(
        db, "--afternoon-nurses", "same", "--pharmacy-day", "mon=6", "--lab-result-start", "none"
    )
    assert code == 0, err
    with Store.open(db) as store:
        saved = store.resources()
    assert saved.afternoon_nurses is None
    assert saved.pharmacy == (6, 12, 12, 12, 12, 8, None)
    assert saved.lab_result_start is None
    assert saved.weights == Weights(peak=30, end=0)  # what is not given stays
    code, out, err = resources(db, "--pharmacy", "none")
    assert code == 0, err
    assert "Pharmacy, preparations per slot: not limited" in out


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
        (["--afternoon-nurses", "201"], "error: at most 200 nurses, not 201\n"),
        (["--afternoon-nurses", "some"], "error: --afternoon-nurses: 'some': give a number"),
        (["--pharmacy", "0"], "error: the pharmacy prepares from 1 to 500 preparations per"),
        (["--pharmacy", "many"], "error: --pharmacy: 'many': give the preparations per slot"),
        (["--pharmacy-day", "mon=501"], "error: the pharmacy prepares from 1 to 500"),
        (["--pharmacy-day", "xyz=3"], "error: --pharmacy-day: 'xyz=3': give a day"),
        (["--pharmacy-day", "mon"], "error: --pharmacy-day: 'mon': give a day"),
        (["--lab-result-start", "10:10"], "error: the start after a same-day blood test falls"),
        (["--lab-result-start", "25:00"], "error: --lab-result-start: '25:00': the time is "),
        (["--max-move", "300"], "error: a booking given to a patient is moved by 0 to 240 "
                                "minutes, not 300\n"),
        (["--weight", "peak=1001"], "error: the optimiser's weights are from 0 to 1,000, not "
                                    "1,001\n"),
        (["--weight", "top=3"], "error: --weight: 'top=3': give a weight (preference, keep,"),
        (["--weight", "peak=-1"], "error: --weight: 'peak=-1': give a weight"),
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
