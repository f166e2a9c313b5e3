"""Exports are written whole or not at all, with a message naming the problem."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from planner.export.files import ExportError, write_atomically


def test_a_file_is_written_and_replaced_whole(tmp_path: Path) -> None:
    path = tmp_path / "plan.ics"
    assert write_atomically(path, [b"one", b"two"]) == 6
    assert path.read_bytes() == b"onetwo"
    write_atomically(path, [b"three"])
    assert path.read_bytes() == b"three"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.ics"]


def test_the_log_says_where_each_export_went_but_not_the_patients_name(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="planner")
    write_atomically(tmp_path / "Calendar - DUPONT Marie.ics", [b"calendar"])
    assert caplog.messages == [f"exported a .ics file of 8 bytes into {tmp_path}"]


def test_a_failure_midway_leaves_the_old_file_and_no_scrap(tmp_path: Path) -> None:
    path = tmp_path / "plan.ics"
    path.write_bytes(b"the export the patient already has")

    def pieces() -> Iterator[bytes]:
        yield b"half of a new "
        raise OSError(28, "No space left on device")

    with pytest.raises(ExportError) as caught:
        write_atomically(path, pieces())
    assert str(caught.value.message) == f"cannot write {path}: the disk is full"
    assert path.read_bytes() == b"the export the patient already has"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.ics"]


def test_a_folder_or_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(ExportError) as caught:
        write_atomically(tmp_path, [b"x"])
    assert caught.value.wrong_path
    assert "is a folder" in str(caught.value.message)
    with pytest.raises(ExportError) as caught:
        write_atomically(tmp_path / "nowhere" / "plan.ics", [b"x"])
    assert "the folder does not exist" in str(caught.value.message)


def test_a_read_only_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As root the system lets every write through, so the refusal is simulated where the
    system would give it: creating the temporary file."""
    import tempfile

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(ExportError) as caught:
        write_atomically(tmp_path / "plan.ics", [b"x"])
    assert str(caught.value.message).endswith("you are not allowed to write there")
    assert not caught.value.wrong_path


def test_a_file_another_program_holds_is_said_so_on_windows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, windows: None
) -> None:
    """Excel holds the table it shows, Outlook the calendar it imported: Windows refuses to
    replace them. That is not a folder the user may not write to."""
    import os

    from planner import platform

    path = tmp_path / "week.csv"
    path.write_bytes(b"last week's table, open in Excel")

    def held(*_args: object) -> None:
        raise PermissionError(13, "Access is denied")

    monkeypatch.setattr(os, "replace", held)
    monkeypatch.setattr(platform, "REPLACE_PAUSE_S", 0.0)
    with pytest.raises(ExportError) as caught:
        write_atomically(path, [b"this week's"])
    assert str(caught.value.message) == (
        f"cannot write {path}: another program has the file open, or it is read-only: close "
        "it there (or choose another name), then try again"
    )
    assert path.read_bytes() == b"last week's table, open in Excel"
    assert [p.name for p in tmp_path.iterdir()] == ["week.csv"]  # no temporary file left


def test_on_posix_a_refused_replacement_is_the_folders_permission(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, posix: None
) -> None:
    import os

    def refused(*_args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refused)
    with pytest.raises(ExportError) as caught:
        write_atomically(tmp_path / "week.csv", [b"x"])
    assert str(caught.value.message).endswith("you are not allowed to write there")
