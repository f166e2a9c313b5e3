"""Sessions named by a user or a file: parsed in one place, every number counted from 1 and
never used as an index; a key the plan lacks is refused with what the plan has."""

from __future__ import annotations

from datetime import date

import pytest

from planner.catalog import Catalog
from planner.core import changes
from planner.core.changes import ChangeRefused
from planner.core.plan_schedule import PlanSchedule, schedule_of
from planner.core.session_keys import (
    MAX_NUMBER,
    Absent,
    KeyProblem,
    Missing,
    SessionKeyError,
    key_of,
    parse_key,
)
from tests.core.test_plan import make


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("1.3.1", (1, 3, 1)),
        ("C3D1", (1, 3, 1)),
        ("c3d8", (1, 3, 8)),
        ("C3J1", (1, 3, 1)),
        ("P2C1D1", (2, 1, 1)),
        (" 2 . 10 . 15 ", (2, 10, 15)),
        ("C03D01", (1, 3, 1)),
    ],
)
def test_the_forms_a_coordinator_writes(typed: str, key: tuple[int, int, int]) -> None:
    assert parse_key(typed) == key


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("0.1.1", KeyProblem.ZERO),  # read as the last phase when it was an index
        ("1.0.1", KeyProblem.ZERO),
        ("C1D0", KeyProblem.ZERO),
        ("P0C1D1", KeyProblem.ZERO),
        ("-1.1.1", KeyProblem.FORM),
        ("1.-1.1", KeyProblem.FORM),
        ("1.3", KeyProblem.FORM),
        ("C3", KeyProblem.FORM),
        ("D1", KeyProblem.FORM),
        ("1.3.1.1", KeyProblem.FORM),
        ("", KeyProblem.FORM),
        ("abc", KeyProblem.FORM),
        ("1.٣.1", KeyProblem.FORM),  # an Arabic-Indic digit, which int() would read
        ("1.1\n.1", KeyProblem.FORM),
        ("1e3.1.1", KeyProblem.FORM),
        (f"1.{MAX_NUMBER + 1}.1", KeyProblem.TOO_LARGE),
        ("C1D" + "9" * 400, KeyProblem.FORM),  # too long to be read at all
        ("1.99999999999999999999.1", KeyProblem.TOO_LARGE),
    ],
)
def test_what_cannot_name_a_session_is_refused(typed: str, problem: KeyProblem) -> None:
    with pytest.raises(SessionKeyError) as refused:
        parse_key(typed)
    assert refused.value.problem is problem
    assert refused.value.typed == typed


def test_a_key_read_from_a_file_is_three_whole_numbers_from_1() -> None:
    assert key_of([2, 1, 8]) == (2, 1, 8)
    for bad in ([1, 1], [1, 1, 1, 1], [True, 1, 1], [1.0, 1, 1], ["1", 1, 1], [0, 1, 1],
                [1, -2, 1], [1, 1, MAX_NUMBER + 1], "111"):  # fmt: skip
        with pytest.raises(SessionKeyError):
            key_of(bad)


@pytest.fixture
def kn189(catalog: Catalog) -> PlanSchedule:
    plan = make(catalog, "pembrolizumab-pemetrexed-platinum-kn189", date(2027, 1, 4))
    return schedule_of(plan, catalog.port_rules)


@pytest.mark.parametrize(
    ("key", "missing", "cycles", "days"),
    [
        ((9, 1, 1), Missing.PHASE, (), ()),
        ((3, 1, 1), Missing.PHASE, (), ()),
        ((1, 5, 1), Missing.CYCLE, (1, 2, 3, 4), ()),
        ((2, 40, 1), Missing.CYCLE, tuple(range(1, 32)), ()),
        ((1, 2, 8), Missing.DAY, (1, 2, 3, 4), (1,)),
    ],
)
def test_a_session_the_plan_lacks_is_refused_with_what_it_has(
    kn189: PlanSchedule,
    key: tuple[int, int, int],
    missing: Missing,
    cycles: tuple[int, ...],
    days: tuple[int, ...],
) -> None:
    with pytest.raises(ChangeRefused) as refused:
        changes.find(kn189, key)
    absent = refused.value.details["absent"]
    assert isinstance(absent, Absent)
    assert absent.missing is missing
    assert absent.phases == 2
    assert absent.cycles == cycles
    assert absent.days == days
