"""What differs between Windows and POSIX: both branches of each, run here on Linux."""

from __future__ import annotations

import getpass
import os
import stat
from pathlib import Path

import pytest

from planner import platform


@pytest.fixture(params=["posix", "windows"])
def system(request: pytest.FixtureRequest) -> str:
    """Each test twice: the program taking its POSIX branches, then its Windows ones."""
    request.getfixturevalue(request.param)
    return str(request.param)


@pytest.fixture
def no_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(platform, "REPLACE_PAUSE_S", 0.0)


def test_a_database_file_is_its_owners_by_its_mode_on_posix_and_its_folder_on_windows(
    system: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "planner.db"
    path.write_bytes(b"")
    path.chmod(0o644)
    modes: list[int] = []
    real_chmod = Path.chmod

    def chmod(p: Path, mode: int) -> None:
        modes.append(mode)
        real_chmod(p, mode)

    monkeypatch.setattr(Path, "chmod", chmod)
    platform.restrict_to_owner(path)
    if system == "posix":
        assert (modes, stat.S_IMODE(path.stat().st_mode)) == ([0o600], 0o600)
    else:  # chmod would only clear the read-only flag: nothing is pretended
        assert modes == []


def test_a_private_folder_is_made_for_its_owner_and_an_existing_one_is_left(
    system: str, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    platform.private_folder(folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700  # Windows: an access list instead
    folder.chmod(0o750)
    platform.private_folder(folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o750


def test_a_folder_is_writable_when_a_file_can_be_made_in_it(system: str, tmp_path: Path) -> None:
    assert platform.can_write_in(tmp_path)
    assert not platform.can_write_in(tmp_path / "missing")
    assert list(tmp_path.iterdir()) == []  # the Windows probe leaves nothing behind


def test_a_read_only_folder_and_file_are_said_not_writable(system: str, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes in a read-only folder: tests/store/test_faults.py mounts one")
    folder = tmp_path / "unit"
    folder.mkdir()
    path = folder / "planner.db"
    path.write_bytes(b"")
    assert platform.can_write(path)
    path.chmod(0o400)
    folder.chmod(0o500)
    try:
        assert not platform.can_write_in(folder)
        assert not platform.can_write(path)
    finally:
        folder.chmod(0o700)
        path.chmod(0o600)


def test_a_file_held_a_moment_is_replaced_on_windows_and_refused_at_once_on_posix(
    system: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_pause: None
) -> None:
    source, target = tmp_path / "new", tmp_path / "old"
    source.write_bytes(b"new")
    target.write_bytes(b"old")
    refusals = [PermissionError(13, "held by the indexer")] * 2
    tried: list[str] = []
    real_replace = os.replace

    def held_twice(a: str | Path, b: str | Path) -> None:
        tried.append("replace")
        if refusals:
            raise refusals.pop()
        real_replace(a, b)

    monkeypatch.setattr(os, "replace", held_twice)
    if system == "windows":
        platform.replace(source, target)
        assert (len(tried), target.read_bytes()) == (3, b"new")
    else:  # a POSIX refusal is the folder's permissions: trying again changes nothing
        with pytest.raises(PermissionError):
            platform.replace(source, target)
        assert (len(tried), target.read_bytes()) == (1, b"old")


def test_a_file_held_for_good_is_passed_on_after_a_few_tries_on_windows(
    windows: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_pause: None
) -> None:
    tried: list[str] = []

    def held(a: str | Path, b: str | Path) -> None:
        tried.append("replace")
        raise PermissionError(13, "open in Excel")

    monkeypatch.setattr(os, "replace", held)
    with pytest.raises(PermissionError) as raised:
        platform.replace(tmp_path / "a", tmp_path / "b")
    assert len(tried) == platform.REPLACE_ATTEMPTS
    assert platform.held_by_another_program(raised.value)


def test_held_by_another_program_only_on_windows(system: str) -> None:
    assert platform.held_by_another_program(PermissionError(13, "x")) == (system == "windows")
    assert not platform.held_by_another_program(FileNotFoundError(2, "x"))


@pytest.mark.parametrize("error", [ImportError("no pwd"), KeyError("uid 1234"), OSError("?")])
def test_an_unknown_login_is_none_never_a_crash(
    error: Exception, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fails() -> str:
        raise error

    monkeypatch.setattr(getpass, "getuser", fails)
    assert platform.login_name() is None
    monkeypatch.setattr(getpass, "getuser", lambda: "cbernard")
    assert platform.login_name() == "cbernard"


def test_a_path_is_quoted_for_the_shell_of_each_system(system: str) -> None:
    path = r"C:\Users\Claire Bernard\HDJ\planner.db" if system == "windows" else "/home/c b/x.db"
    expected = {
        "windows": r'"C:\Users\Claire Bernard\HDJ\planner.db"',  # cmd.exe and PowerShell
        "posix": "'/home/c b/x.db'",
    }
    assert platform.quote_argument(path) == expected[system]
    assert platform.quote_argument("planner.db") == "planner.db"


def test_libpqs_password_file_is_named_as_each_system_has_it(system: str) -> None:
    expected = {"windows": r"%APPDATA%\postgresql\pgpass.conf", "posix": "~/.pgpass"}
    assert platform.pgpass_file() == expected[system]
