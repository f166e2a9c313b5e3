"""``database``: the daily copy, the copies kept, and putting one back."""

from __future__ import annotations

import io
import sys

import pytest

from planner.store import Store, passwords
from tests.cli.test_plan_commands import call
from tests.cli.test_unit_commands import AT, db
from tests.conftest import NURSE_PASSWORD

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
        store.add_patient("Entry", "Wrong", "HN-9", author="t", at=AT)
    code, out, err = call("--lang", "en", "database", "restore", copy, "--db", db)
    assert (code, err) == (0, "")
    with Store.open(db) as store:
        assert "ENTRY Wrong" not in {p.name for p in store.patients()}
    code, _out, err = call("--lang", "en", "database", "restore", "/nowhere.db", "--db", db)
    assert code == 1
    assert "is not a file" in err


def test_a_servers_password_is_checked_then_kept_in_the_keyring(
    nurse_url: str, keyring: dict[tuple[str, str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def typed(text: str) -> None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(text + "\n"))

    command = ("--lang", "en", "database", "password", "--password-stdin", "--db", nurse_url)
    code, _out, err = call("--lang", "en", "patients", "list", "--db", nurse_url)
    assert (code, err.strip()) == (1, f"error: the server of {nurse_url} asks for a password")
    typed("wrong-one")
    code, _out, err = call(*command)
    assert code == 1
    assert "refused the password" in err
    assert "wrong-one" not in err
    assert keyring == {}
    typed(NURSE_PASSWORD)
    code, out, err = call(*command)
    assert (code, err) == (0, "")
    assert out == f"The password of {nurse_url} is kept in {passwords.keyring_name()}.\n"
    assert list(keyring.values()) == [NURSE_PASSWORD]
    passwords._typed.clear()  # another day: the keyring alone knows the password
    typed("mistyped")  # a wrong password typed again does not lose the one kept
    assert call(*command)[0] == 1
    assert list(keyring.values()) == [NURSE_PASSWORD]
    code, out, err = call("--lang", "en", "patients", "list", "--db", nurse_url)
    assert (code, err) == (0, "")
    code, out, _err = call("--lang", "en", "database", "forget-password", "--db", nurse_url)
    assert out == f"The password of {nurse_url} was forgotten.\n"
    assert keyring == {}


def test_a_file_has_no_password(db: str) -> None:
    code, _out, err = call("--lang", "en", "database", "password", "--db", db)
    assert code == 2
    assert "a database file has no password" in err


def test_a_password_the_server_does_not_ask_for_is_not_kept(
    postgresql_url: str, keyring: dict[tuple[str, str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("anything\n"))
    code, _out, err = call(
        "--lang", "en", "database", "password", "--password-stdin", "--db", postgresql_url
    )
    assert code == 1
    assert err.strip() == (
        f"error: the server of {postgresql_url} lets you in without a password: nothing was kept"
    )
    assert keyring == {}


def test_without_a_console_windows_asks_for_the_password_on_standard_input(
    windows: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows reads a hidden password from a console only: in Git Bash's terminal getpass
    echoed it and hung (python/cpython#115798)."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # a pipe: no console
    url = "postgresql+psycopg://nurse@db.hopital.fr/hdj"
    code, _out, err = call("--lang", "en", "database", "password", "--db", url)
    assert (code, err) == (
        2,
        "error: no console to type the password in: give it on standard input with "
        "--password-stdin\n",
    )
