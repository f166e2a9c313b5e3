"""The day hospital's bookings in the database, and the check that keeps two coordinators
from booking over each other (optimistic concurrency: nothing is locked while a coordinator
decides; what they saw is compared when saving, under a lock, and a change made meanwhile
is refused with who made it and when).

:class:`BookingRecords` is the part of :class:`planner.store.Store` that reads and writes
bookings. They are read as plain rows, not ORM objects: a unit has tens of thousands.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from datetime import date, datetime, time
from typing import Any, cast

from sqlalchemy import Date, Engine, Select, Table, bindparam, delete, insert, select, text
from sqlalchemy.orm import Session as DbSession

from planner.core.booking import Booking
from planner.core.chairs import BookingKey
from planner.i18n import N_, Message
from planner.store.codec import UNIT_ZONE, moment
from planner.store.database import Conflict
from planner.store.schema import BookingRow

_log = logging.getLogger(__name__)
"""Bookings saved, counted (planner.logbook): no patient in it."""


class BookingRecords:
    """Reading and saving bookings (a part of :class:`planner.store.Store`)."""

    engine: Engine

    def _transaction(self) -> AbstractContextManager[DbSession]:
        raise NotImplementedError  # the Store's

    def bookings(
        self, first: date | None = None, last: date | None = None, *, plan_id: str | None = None
    ) -> dict[BookingKey, Booking]:
        """The unit's bookings (of the days from ``first`` to ``last``, of one plan, when
        given)."""
        c = _BOOKINGS.c
        query = _booking_select()
        if first is not None:
            query = query.where(c.date >= first)
        if last is not None:
            query = query.where(c.date <= last)
        if plan_id is not None:
            query = query.where(c.plan_id == plan_id)
        with self._transaction() as db:
            return _read_bookings(db, query)

    def save_bookings(
        self,
        put: Mapping[BookingKey, Booking],
        remove: Iterable[BookingKey] = (),
        *,
        author: str,
        at: datetime,
        expected: Mapping[BookingKey, Booking | None] | None = None,
        days_seen: Mapping[date, Mapping[BookingKey, Booking]] | None = None,
    ) -> None:
        """Book (or move) and unbook sessions, all in one transaction (a few statements,
        whatever the number of sessions: booking a unit is thousands at once).

        Optimistic concurrency, as for plans: nothing is locked while the coordinator
        decides. ``expected`` is what the caller saw of these sessions' bookings, and
        ``days_seen`` what it saw of the days it books into (every chair, every patient).
        If another coordinator changed either since, :class:`Conflict` says who and what,
        and nothing is written: two coordinators never put two patients in one chair.
        """
        rows = []
        for (plan_id, (phase, cycle, day)), booking in put.items():
            if booking.day is None:
                raise ValueError("a stored booking has its day")
            rows.append(
                {
                    "plan_id": plan_id,
                    "phase": phase,
                    "cycle": cycle,
                    "day": day,
                    "date": booking.day,
                    "start_minute": booking.start.hour * 60 + booking.start.minute,
                    "minutes": booking.minutes,
                    "chair": booking.chair,
                    "booked_at": at,
                    "booked_by": author,
                }
            )
        removed = list(remove)
        gone = [
            {"p": plan_id, "ph": phase, "c": cycle, "d": day}
            for plan_id, (phase, cycle, day) in (*removed, *put)
        ]
        with self._transaction() as db:
            if expected or days_seen:
                self._lock_bookings(db)
                if expected:
                    self._check_bookings(db, expected)
                if days_seen:
                    self._check_days(db, days_seen, {*put, *removed, *(expected or ())})
            if gone:
                c = _BOOKINGS.c
                db.connection().execute(
                    delete(_BOOKINGS).where(
                        c.plan_id == bindparam("p"),
                        c.phase == bindparam("ph"),
                        c.cycle == bindparam("c"),
                        c.day == bindparam("d"),
                    ),
                    gone,
                )
            if rows:
                db.execute(insert(BookingRow), rows)
        if not (rows or removed):
            return
        _log.info(
            "bookings saved: %d booked or moved, %d removed, of %d plans",
            len(rows),
            len(removed),
            len({plan_id for plan_id, _key in (*removed, *put)}),
        )

    def _lock_bookings(self, db: DbSession) -> None:
        """Hold the unit's bookings until the end of the transaction: what is checked stays
        true until it is written (another coordinator's booking waits, then is checked)."""
        if self.engine.dialect.name == "postgresql":
            db.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _BOOKINGS_LOCK})
        else:  # SQLite: the first write statement takes the database's write lock
            db.execute(text("UPDATE bookings SET minutes = minutes WHERE 0"))

    def _check_bookings(self, db: DbSession, expected: Mapping[BookingKey, Booking | None]) -> None:
        """Each booking is still as the caller saw it, or :class:`Conflict` names the first
        that someone else changed."""
        plans = sorted({key[0] for key in expected})
        found = _read_bookings(db, _booking_select().where(_BOOKINGS.c.plan_id.in_(plans)))
        for key, seen in expected.items():
            now = found.get(key)
            if now == seen:
                continue
            where = (
                Message(N_("now none"))
                if now is None
                else Message(
                    N_("now {date} at {time} on {chair}"),
                    {
                        "date": now.day.isoformat() if now.day else "",
                        "time": now.start.isoformat(timespec="minutes"),
                        "chair": now.chair,
                    },
                )
            )
            raise Conflict(
                Message(
                    N_(
                        "the booking of cycle {cycle} day {day} was changed by someone else "
                        "({where}{who}); the bookings are shown again as they are now"
                    ),
                    {
                        "cycle": key[1][1],
                        "day": key[1][2],
                        "where": where,
                        "who": _booked_by(db, key) if now is not None else "",
                    },
                )
            )

    def _check_days(
        self,
        db: DbSession,
        days_seen: Mapping[date, Mapping[BookingKey, Booking]],
        own: set[BookingKey],
    ) -> None:
        """Each day's other bookings are as the caller saw them (``own`` are checked one by
        one), or :class:`Conflict` names the day and who changed it."""
        # Compared as plain tuples, without making a booking of each row: a delay at a large
        # unit moves sessions into some twenty busy days, tens of thousands of bookings.
        rows = db.execute(
            text(
                "SELECT plan_id, phase, cycle, day, date, start_minute, minutes, chair "
                "FROM bookings WHERE date IN :days"
            ).bindparams(bindparam("days", expanding=True, type_=Date)),
            {"days": sorted(days_seen)},
        )
        found: dict[str, set[tuple[Any, ...]]] = {day.isoformat(): set() for day in days_seen}
        for plan_id, phase, cycle, number, on, start, minutes, chair in rows:
            if (plan_id, (phase, cycle, number)) not in own:
                iso = on if isinstance(on, str) else on.isoformat()
                found[iso].add((plan_id, phase, cycle, number, start, minutes, chair))
        for day, seen_day in days_seen.items():
            seen_rows = {
                (k[0], *k[1], b.start.hour * 60 + b.start.minute, b.minutes, b.chair)
                for k, b in seen_day.items()
                if k not in own
            }
            if found[day.isoformat()] != seen_rows:
                break
        else:
            return  # nobody changed these days
        now: dict[date, dict[BookingKey, Booking]] = {day: {} for day in days_seen}
        query = _booking_select().where(_BOOKINGS.c.date.in_(sorted(days_seen)))
        for key, booking in _read_bookings(db, query).items():
            if key not in own and booking.day is not None:
                now[booking.day][key] = booking
        for day in sorted(days_seen):
            seen = {k: b for k, b in days_seen[day].items() if k not in own}
            if now[day] == seen:
                continue
            newer = [k for k, b in now[day].items() if seen.get(k) != b]
            raise Conflict(
                Message(
                    N_(
                        "the day hospital's bookings of {date} were changed by someone else "
                        "meanwhile{who}; the bookings are shown again as they are now: "
                        "book again"
                    ),
                    {
                        "date": day.isoformat(),
                        "who": _booked_by(db, newer[0]) if newer else "",
                    },
                )
            )


_BOOKINGS = cast(Table, BookingRow.__table__)
_TIMES = {m: time(m // 60, m % 60) for m in range(0, 24 * 60, 5)}
"""Start times, made once: a unit reads tens of thousands of bookings."""


_BOOKINGS_LOCK = 0x504C_4E52
"""PostgreSQL advisory lock held while bookings are checked and written."""


def _booked_by(db: DbSession, key: BookingKey) -> Message | str:
    """ ", by cb at 10:42" for a booking (who made it and when, in the unit's time)."""
    c = _BOOKINGS.c
    plan_id, (phase, cycle, day) = key
    row = db.execute(
        select(c.booked_by, c.booked_at).where(
            c.plan_id == plan_id, c.phase == phase, c.cycle == cycle, c.day == day
        )
    ).first()
    if row is None:
        return ""
    return Message(
        N_(", by {author} at {time}"),
        {"author": row[0], "time": moment(row[1]).astimezone(UNIT_ZONE).strftime("%H:%M")},
    )


def _booking_select() -> Select[Any]:
    c = _BOOKINGS.c
    return select(c.plan_id, c.phase, c.cycle, c.day, c.date, c.start_minute, c.minutes, c.chair)


def _read_bookings(db: DbSession, query: Select[Any]) -> dict[BookingKey, Booking]:
    """Bookings from plain rows, not ORM objects (a unit has tens of thousands)."""
    return {
        (plan_id, (phase, cycle, day)): Booking(
            _TIMES.get(start) or time(start // 60, start % 60), minutes, chair, on
        )
        for plan_id, phase, cycle, day, on, start, minutes, chair in db.execute(query)
    }
