"""Whatever a user types on the command line gets an answer, never a traceback: dates,
numbers, session names and ids, fuzzed with Hypothesis across the commands."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cli.test_plan_commands import call, create, db

__all__ = ["db"]  # the fixture: a database with a patient H001

_typed = st.one_of(
    st.text(max_size=14),
    st.dates().map(str),
    st.integers(-10**6, 10**6).map(str),
    st.sampled_from(
        ["2027-02-29", "2027-13-01", "0000-00-00", "9999-12-31", "C3D1", "1.3.1", "C0D0", "9.9.9",
         "H001", "", " ", "-", "--", "1e9", "NaN", "é", "\x00"]
    ),
)  # fmt: skip


_TRIED = {"runs": 0, "refused": 0}


@pytest.fixture(scope="module", autouse=True)
def _report_typing(figures: Callable[[str], None]) -> Iterator[None]:
    yield
    if _TRIED["runs"]:
        figures(
            f"command line: {_TRIED['runs']} commands run with fuzzed values, "
            f"{_TRIED['refused']} refused in words, no traceback"
        )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=_typed, other=_typed)
def test_typed_values_get_an_answer(db: str, tmp_path: Path, value: str, other: str) -> None:
    plan = create(db)
    out = tmp_path / "x.ics"
    for argv in (
        ["schedule", "--regimen", "mfolfox6-q14", f"--start={value}", f"--until={other}"],
        ["plans", "delay", plan, f"--session={value}", f"--days={other}", "--preview"],
        ["plans", "delay", plan, "--session=C2D1", f"--to={value}", "--preview"],
        ["plans", "give", plan, f"--session={value}", f"--on={other}"],
        ["plans", "stop", plan, f"--on={value}", "--reason", "x"],
        ["plans", "show", value or "?"],
        ["patients", "add", f"--family-name={value}", f"--hospital-number={other}"],
        ["export-ics", "--regimen", "pembrolizumab-200-q3w", f"--start={value}", f"--out={out}"],
        ["export-unit", f"--from={value}", f"--to={other}", f"--out={out}"],
        ["database", "backup", f"--keep-days={value}"],
    ):
        code, _out, err = call("--lang", "en", *argv, "--db", db)
        _TRIED["runs"] += 1
        _TRIED["refused"] += code != 0
        assert code in (0, 1, 2), (argv, err)
        assert "Traceback" not in err
        assert "unexpected problem" not in err, (argv, err)
        if code:
            assert err.startswith(("error: ", "usage: ")), (argv, err)
