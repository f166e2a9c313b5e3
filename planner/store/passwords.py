"""A shared unit's PostgreSQL password: never in a URL that is saved, logged or shown.

The address of a shared unit (``postgresql+psycopg://coordinator@db.hopital.fr/hdj``) is kept
in the settings and shown in messages; its password never is. When the address has none,
the connection takes the password from, in this order:

1. what the user typed in the window this session (kept in this program's memory only);
2. the platform's keyring (Windows Credential Locker, macOS Keychain, the Secret Service of
   GNOME or KDE), through the ``keyring`` library, when the user asked to remember it;
3. libpq's own password file (``~/.pgpass``, readable by its owner only; on Windows
   ``%APPDATA%\\postgresql\\pgpass.conf``) or ``PGPASSWORD``.

A password written in the address by the user (``PLANNER_DATABASE_URL``, ``--db``) is used as
given, and removed from anything shown or saved (:func:`strip_password`).
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode

from planner import platform
from planner.i18n import N_, Message

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

SERVICE = "infusion-planner"
"""The keyring's service name for the planner's passwords."""

# libpq also reads a password from the query string (postgresql://host/db?password=...).
_SECRET_PARAMETERS = frozenset({"password", "passfile", "sslpassword"})

_typed: dict[str, str] = {}
"""Passwords typed this session, by :func:`account` (never written anywhere)."""

_log = logging.getLogger(__name__)


class KeyringUnavailable(Exception):
    """No keyring can keep the password on this computer (said in the user's language)."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.template)
        self.message = message

    def __str__(self) -> str:
        return self.message.render()


def strip_password(where: str) -> str:
    """``where`` without any password: a file path as is, a database URL without its secret.

    The credentials are read as SQLAlchemy reads them (a password runs to the ``@``, and may
    hold ``/``, ``?`` or ``#``), so that what is used as the password is what is removed.
    Only what holds a secret is rewritten (``sqlite:////abs/path`` keeps its four slashes).
    """
    scheme, sep, rest = where.partition("://")
    if not sep:
        return where
    credentials = _CREDENTIALS.match(rest)
    prefix = ""
    if credentials is not None:
        user = credentials.group("user")
        prefix = f"{user}@" if user else ""
        rest = rest[credentials.end() :]
    end = min((i for i in (rest.find("/"), rest.find("?"), rest.find("#")) if i >= 0), default=-1)
    host, tail = (rest, "") if end < 0 else (rest[:end], rest[end:])
    if "@" in host:  # a password holding an "@" that was not escaped: all of it goes
        host = host.rpartition("@")[2]
    path, qmark, query = tail.partition("?")
    if qmark:
        query, hash_, fragment = query.partition("#")
        pairs = parse_qsl(query, keep_blank_values=True)
        kept = [(k, v) for k, v in pairs if k.lower() not in _SECRET_PARAMETERS]
        if len(kept) != len(pairs):
            query = urlencode(kept)
        tail = path + (f"?{query}" if query else "") + hash_ + fragment
    return f"{scheme}://{prefix}{host}{tail}"


_CREDENTIALS = re.compile(r"(?P<user>[^:/@]*)(?::(?P<password>[^@]*))?@")
"""``user[:password]@`` at the start of an address, as SQLAlchemy's URL pattern reads it."""


def account(url: str | URL) -> str:
    """Whose password this is: ``user@host:port/database`` (the keyring's user name)."""
    parsed = _parse(url)
    host = parsed.host or str(parsed.query.get("host", "")) or "localhost"
    port = parsed.port or 5432
    return f"{parsed.username or ''}@{host}:{port}/{parsed.database or ''}"


def _parse(url: str | URL) -> URL:
    # SQLAlchemy is imported when a database is, not when the window starts.
    from sqlalchemy.engine import make_url

    return make_url(url) if isinstance(url, str) else url


def _needs_password(url: URL) -> bool:
    return (
        url.get_backend_name() == "postgresql"
        and not url.password
        and "password" not in {k.lower() for k in url.query}
    )


def with_password(url: str | URL) -> URL:
    """``url`` with its password, when it has none and one was typed or remembered."""
    parsed = _parse(url)
    if not _needs_password(parsed):
        return parsed
    secret = password_for(parsed)
    return parsed.set(password=secret) if secret else parsed


def password_for(url: str | URL) -> str | None:
    """The password typed this session or kept in the keyring, None when there is none."""
    return secret_for(account(url))


def use_for_session(url: str | URL, password: str) -> None:
    """Connect to ``url`` with ``password`` until the program ends (kept in memory only)."""
    _typed[account(url)] = password


def forget_typed(url: str | URL) -> None:
    """Forget what was typed this session for ``url`` (the server refused it)."""
    _typed.pop(account(url), None)


def remember(url: str | URL, password: str) -> None:
    """Keep ``password`` in the platform's keyring (and use it now); raises
    :class:`KeyringUnavailable` when this computer has none."""
    remember_secret(account(url), password)


def forget(url: str | URL) -> bool:
    """Forget the password of ``url`` (in memory and in the keyring); True if one was kept."""
    return forget_secret(account(url))


# The same for any account the planner signs in to (the unit's calendar server), named by
# its caller: "caldav:planner@calendars.hopital.fr/public/".


def secret_for(key: str) -> str | None:
    """The password of ``key`` typed this session or kept in the keyring, or None."""
    if key in _typed:
        return _typed[key]
    keyring = _keyring()
    if keyring is None:
        return None
    try:
        secret: str | None = keyring.get_password(SERVICE, key)
    except Exception as exc:  # a locked or broken keyring: said, not raised
        _log.warning("the keyring could not be read: %s", type(exc).__name__)
        return None
    return secret


def use_secret_for_session(key: str, password: str) -> None:
    """Use ``password`` for ``key`` until the program ends (kept in memory only)."""
    _typed[key] = password


def remember_secret(key: str, password: str) -> None:
    """Keep ``password`` for ``key`` in the keyring (and use it now); raises
    :class:`KeyringUnavailable` when this computer has none."""
    use_secret_for_session(key, password)
    keyring = _keyring()
    if keyring is None:
        raise KeyringUnavailable(_no_keyring())
    try:
        keyring.set_password(SERVICE, key, password)
    except Exception as exc:
        raise KeyringUnavailable(
            Message(
                N_("the keyring refused to keep the password ({error})"),
                {"error": type(exc).__name__},
            )
        ) from None


def forget_secret(key: str) -> bool:
    """Forget the password of ``key`` (in memory and in the keyring); True if one was kept."""
    found = _typed.pop(key, None) is not None
    keyring = _keyring()
    if keyring is not None:
        try:
            keyring.delete_password(SERVICE, key)
            found = True
        except Exception:  # PasswordDeleteError: there was none (or no usable keyring)
            pass
    return found


def keyring_name() -> str | None:
    """The keyring that would keep passwords here ("SecretService Keyring"...), or None."""
    keyring = _keyring()
    return None if keyring is None else str(keyring.get_keyring().name)


def _no_keyring() -> Message:
    return Message(
        N_(
            "this computer has no keyring to keep the password (on Linux, GNOME's or KDE's "
            "keyring); put it in {file}, readable by you only, instead"
        ),
        {"file": platform.pgpass_file()},
    )


def _keyring() -> Any:
    """The ``keyring`` module when a usable keyring backend exists, else None."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:
        return None
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
        return None
    return keyring
