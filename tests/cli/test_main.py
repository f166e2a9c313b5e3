"""The command line's version and its log: a command's name and refusals in it, and an
unexpected problem's traceback there, its one line on the screen saying where."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from planner import __version__
from planner.cli import main, run


def call(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def add_martin(db: Path) -> tuple[int, str, str]:
    return call(
        "patients",
        "add",
        "--family-name",
        "Martin",
        "--given-names",
        "Jeanne",
        "--hospital-number",
        "H001",
        "--db",
        str(db),
    )


def test_an_unexpected_problem_is_one_line_naming_the_log_which_has_the_traceback(
    log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.cli import catalog_commands

    def broken(*_args: object) -> int:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(catalog_commands, "_run_regimens", broken)
    code, _out, err = call("regimens")
    assert code == 1
    assert err == (
        "error: the planner met an unexpected problem (ZeroDivisionError: division by zero); "
        f"please report it with the command you typed and the log file {log}\n"
    )
    text = log.read_text(encoding="utf-8")
    assert "INFO planner.cli.main: command: regimens\n" in text
    assert "ERROR planner.logbook: unexpected error in the command\nTraceback" in text
    assert 'in broken\n    raise ZeroDivisionError("division by zero")' in text


def test_without_a_log_the_line_says_what_to_report_as_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from planner import logbook
    from planner.cli import catalog_commands

    logbook.stop()

    def broken(*_args: object) -> int:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(catalog_commands, "_run_regimens", broken)
    assert call("regimens")[2] == (
        "error: the planner met an unexpected problem (ZeroDivisionError: division by zero); "
        "please report it with the command you typed\n"
    )


def test_an_internal_error_names_the_log(
    log: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib

    entry = importlib.import_module("planner.cli.main")  # planner.cli.main is also main()

    def broken(*_args: object) -> int:
        raise RuntimeError("the planner broke")

    monkeypatch.delenv("PLANNER_DEBUG", raising=False)
    monkeypatch.setattr(entry, "run", broken)
    assert main(["regimens"]) == 1
    assert capsys.readouterr().err == (
        "internal error (RuntimeError: the planner broke); please report it with the log file "
        f"{log}, which holds the details\n"
    )
    text = log.read_text(encoding="utf-8")
    assert "started (command line)" in text
    assert "ERROR planner.logbook: unexpected error in the command line\nTraceback" in text


def test_a_refusal_is_logged_in_english_without_the_patients_details(
    log: Path, tmp_path: Path
) -> None:
    db = tmp_path / "unit.db"
    assert add_martin(db)[0] == 0
    code, _out, err = add_martin(db)
    assert (code, err) == (1, "error: a patient with hospital number H001 already exists\n")
    lines = log.read_text(encoding="utf-8").splitlines()
    assert lines[-1].endswith(
        "WARNING planner.logbook: refused: planner.store.database.StoreError: a patient with "
        "hospital number {number} already exists"
    )
    assert "patients add" in lines[-3]
    assert "database opened: SQLite file" in lines[-2]
    text = "\n".join(lines)
    assert "Martin" not in text
    assert "MARTIN" not in text
    assert "H001" not in text


def test_version_says_the_programs_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"infusion-planner {__version__}\n"


def test_every_command_is_known_with_its_module_and_works_alone() -> None:
    """A command imports only its own module (planner.cli.main.COMMANDS): the table must
    name every command, each in the module that defines it."""
    import argparse

    from planner.cli.main import COMMANDS, build_parser

    def names(parser: argparse.ArgumentParser) -> set[str]:
        [commands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        return set(commands.choices)

    assert names(build_parser()) == set(COMMANDS)
    for command in COMMANDS:
        assert command in names(build_parser(command))


def test_patients_list_reads_a_file_without_the_database_layer(tmp_path: Path) -> None:
    import subprocess
    import sys

    db = tmp_path / "unit.db"
    assert main(["demo", "--patients", "12", "--db", str(db), "--today", "2027-03-01"]) == 0
    assert main(["patients", "list", "--db", str(db), "--today", "2027-03-01"]) == 0  # the memo
    script = (
        "import sys, io\n"
        "from planner.cli import run\n"
        "out = io.StringIO()\n"
        f"code = run(['patients', 'list', '--db', {str(db)!r}], out, sys.stderr)\n"
        "assert code == 0 and out.getvalue().count('\\n') == 13, out.getvalue()\n"
        "print('sqlalchemy' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], check=False, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


@pytest.mark.parametrize("argv", [["validate", "\0"], ["patients", "list", "--db", "a\0b"]])
def test_a_null_character_is_refused_in_words(argv: list[str]) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run(argv, out, err) == 2
    assert "null character" in err.getvalue()
    assert "unexpected" not in err.getvalue()


def test_an_empty_date_is_refused_in_words_not_taken_as_none(tmp_path: Path) -> None:
    """``--to ""`` passed the parser's "one of --days or --to" and reached the core as
    neither (the fuzzer found it)."""
    db = tmp_path / "unit.db"
    assert main(["demo", "--patients", "3", "--db", str(db), "--today", "2027-03-01"]) == 0
    listed = io.StringIO()
    assert (
        run(["patients", "list", "--db", str(db), "--format", "json"], listed, io.StringIO()) == 0
    )
    import json

    plan = next(p["plan"] for p in json.loads(listed.getvalue()) if p["plan"])
    out, err = io.StringIO(), io.StringIO()
    argv = ["plans", "delay", plan, "--session", "C1D1", "--to", "", "--reason", "toxicity"]
    argv += ["--db", str(db)]
    assert run(argv, out, err) == 2
    assert "--to" in err.getvalue()
    assert "unexpected" not in err.getvalue()


def test_a_double_dash_given_to_an_option_with_choices_is_refused_in_words() -> None:
    # argparse (3.11) hands "--detail=--" back empty; the planner keeps the "--", and it
    # must then be checked against the choices like any value.
    code, _out, err = call("export-ics", "--detail=--", "--regimen", "x", "--start", "2027-01-04")
    assert code == 2
    assert "invalid choice: '--'" in err
