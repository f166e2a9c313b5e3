"""A shared unit's password: asked for in words, kept in the keyring when the user says so,
never in a URL that is shown or saved."""

from __future__ import annotations

import re

import pytest

from planner import platform
from planner.store import PasswordNeeded, Store, StoreError, locate, passwords
from planner.store.database import _cannot_connect, password_used
from planner.store.notices import conninfo
from tests.conftest import NURSE_PASSWORD as SECRET


@pytest.mark.parametrize(
    ("where", "stored"),
    [
        ("/home/ide/planner.db", "/home/ide/planner.db"),
        ("sqlite:////home/ide/planner.db", "sqlite:////home/ide/planner.db"),
        ("postgresql://ide@host/planner", "postgresql://ide@host/planner"),
        ("postgresql://ide:pa@ss@host/planner", "postgresql://ide@host/planner"),
        ("postgresql+psycopg://coord:s3cret@db.hopital/hdj", "postgresql+psycopg://coord@db.hopital/hdj"),
        ("postgresql://:secret@host/planner", "postgresql://host/planner"),
        ("postgresql://host/planner?password=secret&sslmode=require",
         "postgresql://host/planner?sslmode=require"),
        ("postgresql://host/planner?PassFile=/x", "postgresql://host/planner"),
        ("postgresql://host/planner?sslpassword=key-pass&sslmode=verify-full",
         "postgresql://host/planner?sslmode=verify-full"),
        # A password runs to the "@", whatever it holds (SQLAlchemy reads it so).
        ("postgresql+psycopg://coord:se/cret@db/hdj", "postgresql+psycopg://coord@db/hdj"),
        ("postgresql+psycopg://coord:s?e#c@db:6543/hdj", "postgresql+psycopg://coord@db:6543/hdj"),
        ("postgresql://db/hdj?application_name=a@b", "postgresql://db/hdj?application_name=a@b"),
    ],
)  # fmt: skip
def test_no_password_is_left_in_what_is_shown_or_saved(where: str, stored: str) -> None:
    assert passwords.strip_password(where) == stored


def test_a_password_belongs_to_a_user_on_a_server_and_database() -> None:
    assert passwords.account("postgresql+psycopg://coord@db.hopital/hdj") == (
        "coord@db.hopital:5432/hdj"
    )
    assert passwords.account("postgresql+psycopg://coord:x@db.hopital:6543/hdj") == (
        "coord@db.hopital:6543/hdj"
    )
    assert passwords.account("postgresql+psycopg://planner@/planner?host=/tmp/pg") == (
        "planner@/tmp/pg:5432/planner"
    )


def test_the_password_comes_from_the_url_then_what_was_typed_then_the_keyring(
    keyring: dict[tuple[str, str], str],
) -> None:
    url = "postgresql+psycopg://coord@db.hopital/hdj"
    assert passwords.with_password(url).password is None
    keyring[(passwords.SERVICE, "coord@db.hopital:5432/hdj")] = "from-keyring"
    assert passwords.with_password(url).password == "from-keyring"
    passwords.use_for_session(url, "typed")
    assert passwords.with_password(url).password == "typed"
    given = "postgresql+psycopg://coord:given@db.hopital/hdj"
    assert passwords.with_password(given).password == "given"
    assert passwords.with_password("sqlite:////tmp/x.db").password is None


def test_remembered_then_forgotten(keyring: dict[tuple[str, str], str]) -> None:
    url = "postgresql+psycopg://coord@db.hopital/hdj"
    passwords.remember(url, "s3cret")
    assert keyring == {(passwords.SERVICE, "coord@db.hopital:5432/hdj"): "s3cret"}
    assert passwords.forget(url) is True
    assert keyring == {}
    assert passwords.with_password(url).password is None
    assert passwords.forget(url) is False


def test_without_a_keyring_the_password_serves_this_session_and_pgpass_is_advised(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(passwords, "_keyring", lambda: None)
    url = "postgresql+psycopg://coord@db.hopital/hdj"
    with pytest.raises(
        passwords.KeyringUnavailable, match=rf"no keyring.*{re.escape(platform.pgpass_file())}"
    ):
        passwords.remember(url, "s3cret")
    assert passwords.with_password(url).password == "s3cret"
    assert passwords.keyring_name() is None


def test_a_broken_keyring_is_not_fatal(keyring: object, monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring as library

    def locked(_service: str, _user: str) -> str:
        raise library.errors.KeyringLocked("locked")

    monkeypatch.setattr(library, "get_password", locked)
    assert passwords.password_for("postgresql+psycopg://coord@db/hdj") is None


def test_a_server_asking_for_a_password(
    nurse_url: str, keyring: dict[tuple[str, str], str]
) -> None:
    with pytest.raises(PasswordNeeded, match="asks for a password"):
        Store.open(nurse_url)
    passwords.use_for_session(nurse_url, "wrong-one")
    with pytest.raises(PasswordNeeded, match="refused the password") as refused:
        Store.open(nurse_url)
    assert "wrong-one" not in str(refused.value)
    passwords.remember(nurse_url, SECRET)
    passwords._typed.clear()  # a new session: the keyring alone knows it
    with Store.open(nurse_url) as store:
        assert store.patients() == []
        assert password_used(store.engine, store.location)
    assert f":{SECRET}@" in conninfo(nurse_url)  # the change listener connects too
    assert list(keyring.values()) == [SECRET]


def test_a_password_in_the_address_is_used_and_never_shown(nurse_url: str) -> None:
    from sqlalchemy import make_url

    given = make_url(nurse_url).set(password=SECRET).render_as_string(hide_password=False)
    with Store.open(given) as store:
        assert store.patients() == []
        assert SECRET not in store.location.display
        assert store.location.display == passwords.strip_password(nurse_url)
    wrong = make_url(nurse_url).set(password="se/cret?#x").render_as_string(hide_password=False)
    with pytest.raises(PasswordNeeded) as refused:
        Store.open(wrong)
    assert "se/cret" not in str(refused.value)
    assert "se%2Fcret" not in str(refused.value)


def test_a_server_that_asks_for_no_password_is_said_so(postgresql_url: str) -> None:
    with Store.open(postgresql_url) as store:  # the trial server trusts its user
        assert not password_used(store.engine, store.location)


def test_only_a_password_refusal_asks_for_a_password() -> None:
    from sqlalchemy.exc import OperationalError

    class Refusal(Exception):
        def __init__(self, text: str, sqlstate: str | None) -> None:
            super().__init__(text)
            self.sqlstate = sqlstate

    where = locate("postgresql+psycopg://coord@db.hopital/hdj")
    for text, sqlstate, asks in [
        ('FATAL:  password authentication failed for user "coord"', "28P01", True),
        ("fe_sendauth: no password supplied", None, True),
        ('FATAL:  Peer authentication failed for user "coord"', "28000", False),
        ('FATAL:  role "coord" does not exist', "28000", False),
    ]:
        said = _cannot_connect(OperationalError("connect", {}, Refusal(text, sqlstate)), where)
        assert isinstance(said, PasswordNeeded) is asks, text
        if not asks:  # the server's own words
            assert str(said) == f"cannot open the database {where.display}: {text}"


def test_an_address_that_cannot_be_read_is_refused_without_its_password() -> None:
    with pytest.raises(StoreError) as refused:
        locate("postgresql+psycopg://coord:s3cret@db:54x2/hdj")
    assert (
        str(refused.value) == "'postgresql+psycopg://coord@db:54x2/hdj' is not a database address"
    )
