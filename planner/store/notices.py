"""Waiting for other coordinators' changes on a PostgreSQL server (LISTEN/NOTIFY).

The database sends a notice on ``planner_changes`` when a change commits (migration 0004);
:func:`wait_for_changes` yields each, from its own connection. A SQLite unit has no such
notices: its windows look every few seconds (:meth:`planner.store.Store.change_token`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

CHANNEL = "planner_changes"


def conninfo(url: str) -> str:
    """The libpq address of a SQLAlchemy PostgreSQL URL (``postgresql+psycopg://...``)."""
    from planner.store.passwords import with_password

    return with_password(url).set(drivername="postgresql").render_as_string(hide_password=False)


def wait_for_changes(
    url: str,
    stop: Callable[[], bool],
    *,
    poll_seconds: float = 1.0,
    listening: Callable[[], None] | None = None,
) -> Iterator[str]:
    """The table each change was made to, as the changes commit, until ``stop()`` is true;
    ``listening()`` is called once the server listens for this connection.

    Connection errors pass through (the caller's regular check says the database cannot be
    reached)."""
    import psycopg  # only a PostgreSQL unit needs it (the "postgresql" extra)

    with psycopg.connect(conninfo(url), autocommit=True) as connection:
        connection.execute(f"LISTEN {CHANNEL}")
        if listening is not None:
            listening()
        while not stop():
            for notice in connection.notifies(timeout=poll_seconds, stop_after=1):
                yield notice.payload
