"""The log support reads: where it is, its start line, one line per record, rotation, and
errors told in English without a patient's details."""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

import pytest

from planner import __version__, logbook, resources
from planner.export.files import ExportError
from planner.i18n import N_, Message, error_text, set_language
from planner.store import Conflict

_log = logging.getLogger("planner.tests")


RECORD = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} \[\d+\] (.*)$")


def records(log: Path) -> list[str]:
    """The log's records (not the lines of their tracebacks), the date, time and process
    left out: "INFO planner.x: text"."""
    found = (RECORD.match(line) for line in log.read_text(encoding="utf-8").splitlines())
    return [match.group(1) for match in found if match]


def test_the_log_is_in_the_platform_folder_or_the_one_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PLANNER_LOG_DIR", str(tmp_path / "elsewhere"))
    assert logbook.log_file() == tmp_path / "elsewhere" / "infusion-planner.log"
    monkeypatch.delenv("PLANNER_LOG_DIR")
    if sys.platform.startswith("linux"):  # platformdirs: XDG_STATE_HOME on Linux
        monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
        assert resources.user_log_dir() == tmp_path / "state" / "infusion-planner" / "log"
        assert not resources.user_log_dir().exists()  # made by the log, when it writes


def test_the_start_says_the_version_python_and_the_system(log: Path) -> None:
    assert log.parent.name == "log"
    assert log.name == "infusion-planner.log"
    assert logbook.active_log() == log
    logbook.start("window", {"Qt": "6.8.1", "language": "fr"})
    start, details = records(log)[-2:]
    assert start.startswith(
        f"INFO planner.logbook: Infusion Planner {__version__} started (window)"
    )
    assert f"Python {sys.version.split()[0]}" in start
    assert logbook.system() in start
    assert details == "INFO planner.logbook: Qt 6.8.1, language fr"


def test_nothing_is_written_before_the_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    logbook.stop()
    monkeypatch.setenv("PLANNER_LOG_DIR", str(tmp_path / "log"))
    _log.warning("not started")
    assert logbook.active_log() is None
    assert not (tmp_path / "log").exists()


def test_a_folder_that_cannot_be_written_leaves_the_program_without_a_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    logbook.stop()
    (tmp_path / "a-file").write_text("")
    monkeypatch.setenv("PLANNER_LOG_DIR", str(tmp_path / "a-file" / "log"))
    assert logbook.start("tests") is None
    assert logbook.active_log() is None
    _log.error("said nowhere")  # and nothing breaks


def test_every_record_is_one_line(log: Path) -> None:
    _log.info("exported to %s", "/tmp/a\n2027-03-01 09:00:00,000 [1] ERROR forged\u202e.ics")
    assert records(log)[-1] == (
        "INFO planner.tests: exported to /tmp/a\\n2027-03-01 09:00:00,000 [1] ERROR forged"
        "\\u202e.ics"
    )
    _log.info("dossier de l'hôpital : %s", "/home/coordinatrice/Café 1 234")
    assert records(log)[-1].endswith("/home/coordinatrice/Café 1 234")


def test_the_log_turns_over_and_keeps_four_older_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    logbook.stop()
    monkeypatch.setenv("PLANNER_LOG_DIR", str(tmp_path))
    monkeypatch.setattr(logbook, "MAX_BYTES", 1000)
    logbook.start("tests")
    try:
        for n in range(200):
            _log.info("line %d of a long day", n)
    finally:
        logbook.stop()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [f"infusion-planner.log{suffix}" for suffix in ("", ".1", ".2", ".3", ".4")]
    assert all(p.stat().st_size <= 1000 for p in tmp_path.iterdir())
    assert records(tmp_path / "infusion-planner.log")[-1].endswith("line 199 of a long day")


def test_a_refusal_is_one_line_of_english_without_the_patients_name(log: Path) -> None:
    set_language("fr")
    conflict = Conflict(
        Message(
            N_("{name}'s record was changed by someone else; reload it"), {"name": "MARTIN Anne"}
        )
    )
    assert "MARTIN" in error_text(conflict)  # the coordinator reads the name, in French
    export = ExportError(
        Message(
            N_("cannot write {path}: {reason}"),
            {
                "path": "/srv/Calendrier - DUPONT Marie.ics",
                "reason": Message(N_("the disk is full")),
            },
        )
    )
    error_text(export)
    assert records(log)[-2:] == [
        "WARNING planner.logbook: refused: planner.store.database.Conflict: {name}'s record "
        "was changed by someone else; reload it",
        "WARNING planner.logbook: refused: planner.export.files.ExportError: cannot write "
        "/srv/{file}.ics: the disk is full",  # a patient's document is named after them
    ]


def test_a_fault_told_to_the_user_is_recorded_with_its_traceback_once(log: Path) -> None:
    def faulty() -> None:
        raise KeyError("session")

    try:
        faulty()
    except KeyError as exc:
        error_text(exc)
        error_text(exc)  # the same exception said twice: recorded once
    text = log.read_text(encoding="utf-8")
    assert text.count("ERROR planner.logbook: failed: KeyError") == 1
    assert "Traceback (most recent call last):" in text
    assert 'in faulty\n    raise KeyError("session")' in text


def test_an_error_told_again_and_again_is_recorded_once(log: Path) -> None:
    for _n in range(5):  # the window says every few seconds that the database is out of reach
        error_text(OSError("connection refused"))
    error_text(OSError("no route to host"))
    failed = [line for line in records(log) if "failed:" in line]
    assert failed == ["ERROR planner.logbook: failed: OSError"] * 2


def test_the_report_for_support_has_the_version_the_log_and_the_traceback(log: Path) -> None:
    try:
        raise ValueError("bad value")
    except ValueError as exc:
        report = logbook.report((ValueError, exc, exc.__traceback__), {"Qt": "6.8.1"})
    lines = report.splitlines()
    assert lines[:5] == [
        f"Infusion Planner {__version__}",
        logbook.python(),
        logbook.system(),
        "Qt: 6.8.1",
        f"Log: {log}",
    ]
    assert lines[-1] == "ValueError: bad value"
    assert "Traceback (most recent call last):" in lines
