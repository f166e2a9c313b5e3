"""Whatever a user types on the command line gets an answer in words, never a traceback
and never "an unexpected problem": Hypothesis builds whole commands from the parser itself,
every subcommand with any of its options, and fills them with what people and attackers
type (dates, numbers, session keys, names with line breaks or formulas, paths, databases
that are not databases)."""

from __future__ import annotations

import argparse
import getpass
import io
import json
import os
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.cli.main import build_parser
from tests.cli.test_plan_commands import call, create, db

__all__ = ["db"]  # the fixture: a database with a patient H001

EXAMPLES = int(os.environ.get("PLANNER_FUZZ", "2000"))
"""Commands tried per run (CI runs them all: about 40 s)."""


def _commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], list[argparse.Action]]]:
    """Every leaf command of the parser, with its own actions (``--help`` aside)."""
    subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subparsers:
        yield path, [a for a in parser._actions if not isinstance(a, argparse._HelpAction)]
        return
    for name, child in subparsers[0].choices.items():
        yield from _commands(child, (*path, name))


COMMANDS = sorted(_commands(build_parser()), key=lambda command: command[0])

# ---------------------------------------------------------------- what people type

_garbage = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["gr\udce8ve", "\udcff\udcfe"]),
    st.sampled_from(["", " ", "-", "--", "—", "é", "\x00", "1e9", "NaN", "-1", "0", "?"]),
)


def _mostly(usual: st.SearchStrategy[str], odd: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """What a coordinator types four times in five; the odd value otherwise."""
    return st.integers(0, 4).flatmap(lambda n: odd if n == 0 else usual)


_numbers = st.one_of(
    st.integers(-3, 60).map(str),
    st.integers(-(10**12), 10**12).map(str),
    st.sampled_from(["366", "367", "9999", "10000", "2147483648", "1_000", "٣", "+5", " 7 "]),
    _garbage,
)
_dates = st.one_of(
    st.dates().map(str),
    st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 12, 31)).map(str),
    st.sampled_from(["2027-02-29", "2027-13-01", "0000-00-00", "9999-12-31", "1999-12-31",
                     "2200-01-01", "2027-1-4", "04/01/2027", "2027-01-04T09:00", "today"]),
    _garbage,
)  # fmt: skip
_sessions = st.one_of(
    st.tuples(st.integers(-2, 12), st.integers(-2, 40), st.integers(-2, 30)).map(
        lambda k: ".".join(map(str, k))
    ),
    st.tuples(st.integers(0, 40), st.integers(0, 30)).map(lambda k: f"C{k[0]}D{k[1]}"),
    st.tuples(st.integers(0, 4), st.integers(0, 40), st.integers(0, 30)).map(
        lambda k: f"P{k[0]}C{k[1]}J{k[2]}"
    ),
    st.sampled_from(["0.1.1", "9.1.1", "-1.1.1", "1.1", "C3", "1.99999.1", "1.٣.1", "C3D1\n"]),
    _garbage,
)
_texts = st.one_of(
    st.text(max_size=30),
    # Bytes a Latin-1 terminal sends for "é", as Python hands them over (lone surrogates).
    st.text(alphabet=st.characters(categories=["Cs", "Ll"]), min_size=1, max_size=8),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
    st.sampled_from(
        ["Martin\r\nBEGIN:VEVENT", "=HYPERLINK(\"http://x\")", "+33 6 12", "-2", "@SUM(1)",
         "\tTab", "Anne\u202eenna", "<img src=file:///etc/passwd>", "a" * 600, "x\x00y",
         "Dupont", "de LA TOUR", "06 12 34 56 78", "01 23 45 67 89", "12 rue\n75014 Paris"]
    ),
)  # fmt: skip

REGIMENS = [
    "pembrolizumab-200-q3w",
    "mfolfox6-q14",
    "nivolumab-480-q4w",
    "pembrolizumab-pemetrexed-platinum-kn189",
    "ac-q21-then-paclitaxel-weekly-x12",
]

DATES = ("--start", "--until", "--today", "--on", "--to", "--from", "--day", "--week",
         "--since", "--imaging", "--at")  # fmt: skip
NUMBERS = ("--days", "--weeks", "--seed", "--keep-days", "--imaging-weeks", "--consult-every",
           "--confirm-after")  # fmt: skip
CAPACITY = ("--nurses", "--starts-per-nurse", "--slot-minutes", "--installation-minutes",
            "--pump-minutes", "--bolus-minutes")  # fmt: skip
_capacity = st.one_of(
    st.integers(0, 25).map(str),
    st.sampled_from(["5", "7", "60", "128", "200", "201", "255", "256", "500", "501", "100000"]),
    _numbers,
)
TEXTS = ("--family-name", "--given-names", "--hospital-number", "--contact", "--note",
         "--reason", "--label", "--name", "--address", "--phone", "--author", "--add-chair",
         "--add-bed", "--remove")  # fmt: skip

_BY_OPTION: dict[str, st.SearchStrategy[str]] = {
    "--session": _mostly(
        st.tuples(st.integers(1, 2), st.integers(1, 12), st.sampled_from([1, 8, 15])).map(
            lambda k: ".".join(map(str, k))
        ),
        _sessions,
    ),
    **dict.fromkeys(
        DATES,
        _mostly(
            st.dates(min_value=date(2027, 1, 1), max_value=date(2027, 12, 31)).map(str), _dates
        ),
    ),
    **dict.fromkeys(NUMBERS, _mostly(st.integers(0, 21).map(str), _numbers)),
    **dict.fromkeys(CAPACITY, _capacity),
    "--hours": _mostly(
        st.tuples(
            st.sampled_from(["mon", "tue", "sat", "sun"]),
            st.sampled_from(["08:00-18:00", "07:30-20:00", "closed", "18:00-08:00", "08:07-12:00"]),
        ).map("=".join),
        _garbage,
    ),
    "--afternoon-nurses": st.one_of(st.just("same"), _capacity),
    "--pharmacy": st.one_of(st.just("none"), _capacity),
    "--pharmacy-day": _mostly(
        st.tuples(
            st.sampled_from(["mon", "sat", "dim"]), st.sampled_from(["12", "none", "0", "501"])
        ).map("=".join),
        _garbage,
    ),
    "--lab-result-start": _mostly(
        st.sampled_from(["10:30", "none", "10:10", "07:00", "25:00", "9h30"]), _garbage
    ),
    "--max-move": _capacity,
    "--weight": _mostly(
        st.tuples(
            st.sampled_from(["preference", "keep", "peak", "spread", "end", "top"]),
            st.sampled_from(["0", "20", "1000", "1001", "-1"]),
        ).map("=".join),
        _garbage,
    ),
    **dict.fromkeys(
        TEXTS,
        _mostly(st.sampled_from(["Dupont", "Marie", "H777", "fatigue", "01 23 45 67 89"]), _texts),
    ),
    "--patients": st.one_of(st.integers(-3, 8).map(str), _garbage, st.just("20001")),
    "--regimen": st.one_of(st.sampled_from(REGIMENS), _garbage),
    "--agent": st.one_of(
        st.sampled_from(["pembrolizumab", "carboplatin", "oxaliplatin"]), _garbage
    ),
    "--patient": st.one_of(st.sampled_from(["H001", "h001"]), _garbage),
}


@st.composite
def commands(draw: st.DrawFn, places: dict[str, list[str]]) -> list[str]:
    """One whole command: a subcommand, its required options and any others, each with a
    value people type, and a database or file place from ``places``."""
    path, actions = draw(st.sampled_from(COMMANDS))
    argv = [*path]
    for action in actions:
        if not action.option_strings:  # a positional: PLAN, PATIENT, a copy, files
            pool = places.get(action.dest, [])
            argv += [draw(_mostly(st.sampled_from(pool), _garbage) if pool else _garbage)]
            continue
        option = action.option_strings[0]
        if not action.required and draw(st.integers(0, 2)):
            continue  # an option not required: given one time in three
        if action.nargs == 0:  # a flag
            argv.append(option)
            continue
        if option in places:
            value = draw(st.sampled_from(places[option]))
        elif action.choices is not None:
            value = draw(_mostly(st.sampled_from([str(c) for c in action.choices]), _garbage))
        else:
            value = draw(_BY_OPTION.get(option, _garbage))
        argv.append(f"{option}={value}")
    return argv


_TRIED = {"runs": 0, "refused": 0, "unexpected": 0}


@pytest.fixture(scope="module", autouse=True)
def _report_typing(figures: Callable[[str], None]) -> Iterator[None]:
    yield
    if _TRIED["runs"]:
        figures(
            f"command line: {_TRIED['runs']} generated commands over {len(COMMANDS)} "
            f"subcommands, {_TRIED['refused']} refused in words, "
            f"{_TRIED['unexpected']} unexpected problems, no traceback"
        )


@pytest.fixture
def places(db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """The databases, files and folders a command may be given: the unit's database, one
    that is a text file, one in a folder that does not exist, a folder; a plan and a patient
    that exist, and names that do not."""
    monkeypatch.chdir(tmp_path)  # a relative --out lands here, not in the repository
    monkeypatch.setattr(sys, "stdin", io.StringIO("secret\n"))
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": "")
    plan = create(db)
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    text = tmp_path / "notes.txt"
    text.write_text("not a regimen\n", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    outs = [str(tmp_path / "out.ics"), str(tmp_path / "out.csv"), str(tmp_path / "folder"),
            str(tmp_path / "missing" / "x.ics"), "/proc/version", "", "relative.pdf"]  # fmt: skip
    return {
        "--db": [db, db, db, str(corrupt), str(text), str(tmp_path / "missing" / "u.db"),
                 str(tmp_path / "folder"), "sqlite:///" + str(tmp_path / "x.db")],
        "--out": outs,
        "plan": [plan, plan[:8], "zzzz"],
        "patient": ["H001", "nobody"],
        "copy": ["2027-01-01", str(text)],
        "files": [str(text), str(tmp_path / "missing.toml")],
    }  # fmt: skip


def _fresh_plan(db: str) -> str:
    """A new plan in the unit, for a patient of its own ("" when the commands drawn before
    left no database to put it in: a copy restored over it, a demo, a patient renamed)."""
    number = f"FUZZ-{_TRIED['runs']}"
    call("patients", "add", "--family-name=Fuzz", f"--hospital-number={number}", "--db", db)
    regimen = "pembrolizumab-pemetrexed-platinum-kn189"
    code, _out, _err = call(
        "plans", "create", "--patient", number, "--regimen", regimen, "--start", "2027-01-04",
        "--db", db,
    )  # fmt: skip
    if code != 0:
        return ""
    listed = call("plans", "list", "--patient", number, "--format", "json", "--db", db)[1]
    plans = json.loads(listed)
    return str(plans[-1]["id"]) if plans else ""


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_every_command_gets_an_answer_in_words(
    places: dict[str, list[str]], data: st.DataObject
) -> None:
    argv = data.draw(commands(places))
    if argv[0] == "plans" and argv[1] not in ("create", "list"):
        # A plan of its own, so that a stop or a delay drawn before leaves the session keys
        # and changes drawn now something to act on.
        fresh = _fresh_plan(places["--db"][0])
        if fresh:
            argv = [fresh if a in places["plan"][:2] else a for a in argv]
    code, out, err = call(*argv)
    _TRIED["runs"] += 1
    _TRIED["refused"] += code != 0
    _TRIED["unexpected"] += "unexpected problem" in err or "problème inattendu" in err
    assert "Traceback" not in err, (argv, err)
    # What reaches a terminal or a file can be written in UTF-8 (no lone surrogate).
    (out + err).encode("utf-8")
    assert "unexpected problem" not in err, (argv, err)
    assert "problème inattendu" not in err, (argv, err)
    assert code in (0, 1, 2), (argv, err)
    if code and argv[0] != "validate":  # validate reports each file's problem, as compilers do
        assert err.startswith(("error: ", "erreur")), (argv, err)
        assert err.count("\n") == 1, (argv, err)  # one line


def test_every_subcommand_is_tried() -> None:
    assert len(COMMANDS) >= 30
    assert {" ".join(p) for p, _a in COMMANDS} >= {"plans delay", "unit settings", "demo"}
