"""Patients' calendars published on the unit's CalDAV server: the links, the changes
waiting to reach the server (the outbox the database's triggers fill, migration 0007), and
the collections of renewed or stopped links still to remove.

The publisher (:mod:`planner.calendars.publisher`) takes a patient's waiting changes, sends
the calendar as it now is, and only then takes those changes off (:meth:`CalendarLinks.
published`): a change recorded meanwhile stays waiting; a failure leaves everything waiting
and says when to try again (:meth:`CalendarLinks.failed`). Giving, renewing and stopping a
link are written in the patient's audit trail, shown in each plan's history.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session as DbSession

from planner.i18n import N_, Message
from planner.store.database import StoreError
from planner.store.schema import (
    CalendarExportRow,
    CalendarLinkRow,
    CalendarOutboxRow,
    LedgerRow,
    PatientRow,
    PlanRow,
    RetiredCalendarRow,
    SettingRow,
)

PUBLISHED = "calendar-published"
RENEWED = "calendar-link-renewed"
UNPUBLISHED = "calendar-unpublished"
"""The audit trail's kinds for a patient's published calendar (planner.history)."""

DETAILS = ("minimal", "full")
SERVER_KEY = "calendar_server"
"""The unit's settings row of its calendar server (planner.calendars.publisher.
ServerSettings: address, user, TLS check; never the password)."""


@dataclass(frozen=True, slots=True)
class CalendarLink:
    """A published patient's calendar as the unit's database has it."""

    patient_id: str
    token: str
    detail: str
    created_at: datetime
    created_by: str
    items: Mapping[str, str]
    """By UID, what the server holds of each event ("sequence:fingerprint")."""
    published_at: datetime | None
    failing_since: datetime | None
    last_error: str
    attempts: int
    next_try: datetime | None
    waiting: int
    """Changes recorded since the server last took the calendar."""


@dataclass(frozen=True, slots=True)
class Due:
    """A patient whose calendar has changes to send: up to which outbox row."""

    patient_id: str
    token: str
    upto: int


Transaction = Callable[[], AbstractContextManager[DbSession]]


class CalendarLinks:
    """The unit's published calendars, in its database (``store.calendars``)."""

    def __init__(self, transaction: Transaction) -> None:
        self._transaction = transaction

    # ------------------------------------------------------------------ reading
    def link(self, patient_id: str) -> CalendarLink | None:
        with self._transaction() as db:
            found = _links(db, CalendarLinkRow.patient_id == patient_id)
        return found[0] if found else None

    def links(self) -> list[CalendarLink]:
        """Every published patient's link, with the changes waiting for each."""
        with self._transaction() as db:
            return _links(db)

    def waiting(self) -> int:
        """Changes waiting to reach the server, over the unit."""
        with self._transaction() as db:
            return int(
                db.scalar(
                    select(func.count())
                    .select_from(CalendarOutboxRow)
                    .join(
                        CalendarLinkRow, CalendarLinkRow.patient_id == CalendarOutboxRow.patient_id
                    )
                )
                or 0
            )

    def due(self, now: datetime, patient_ids: set[str] | None = None) -> list[Due]:
        """The patients with changes waiting whose next try has come (all of
        ``patient_ids``' waiting ones, whatever their next try, when given)."""
        with self._transaction() as db:
            rows = db.execute(
                select(
                    CalendarLinkRow.patient_id,
                    CalendarLinkRow.token,
                    CalendarLinkRow.next_try,
                    func.max(CalendarOutboxRow.id),
                )
                .join(CalendarOutboxRow, CalendarOutboxRow.patient_id == CalendarLinkRow.patient_id)
                .group_by(
                    CalendarLinkRow.patient_id, CalendarLinkRow.token, CalendarLinkRow.next_try
                )
                .order_by(func.min(CalendarOutboxRow.id))
            ).all()
        found = []
        for patient_id, token, next_try, upto in rows:
            if patient_ids is not None:
                if patient_id in patient_ids:
                    found.append(Due(patient_id, token, int(upto)))
            elif next_try is None or next_try <= now:
                found.append(Due(patient_id, token, int(upto)))
        return found

    def retired(self) -> list[tuple[str, str]]:
        """The collections still to remove from the server: (token, patient id)."""
        with self._transaction() as db:
            return [
                (r.token, r.patient_id)
                for r in db.scalars(
                    select(RetiredCalendarRow).order_by(RetiredCalendarRow.retired_at)
                )
            ]

    def server(self) -> dict[str, Any] | None:
        """The unit's calendar server as saved (None: not set)."""
        with self._transaction() as db:
            row = db.get(SettingRow, SERVER_KEY)
            return dict(row.value) if row is not None else None

    def save_server(self, value: dict[str, Any] | None) -> None:
        """Save (or, with None, forget) the unit's calendar server. Another address: the
        new server holds nothing yet, every published calendar is sent whole."""
        with self._transaction() as db:
            row = db.get(SettingRow, SERVER_KEY)
            before = dict(row.value) if row is not None else None
            if value is None:
                if row is not None:
                    db.delete(row)
            else:
                db.merge(SettingRow(key=SERVER_KEY, value=value))
            if (before or {}).get("url") != (value or {}).get("url"):
                db.execute(
                    update(CalendarLinkRow)
                    .values(items={}, next_try=None)
                    .execution_options(synchronize_session=False)
                )

    # ------------------------------------------------------------------ the coordinator's acts
    def create(
        self, patient_id: str, token: str, *, detail: str, author: str, at: datetime
    ) -> CalendarLink:
        """Publish the patient's calendar under ``token``: written in the patient's trail,
        and queued for the server."""
        _check_detail(detail)
        with self._transaction() as db:
            if db.get(PatientRow, patient_id) is None:
                raise StoreError(Message(N_("no patient '{id}'"), {"id": patient_id}))
            if db.get(CalendarLinkRow, patient_id) is not None:
                raise StoreError(Message(N_("this patient's calendar is already published"), {}))
            db.add(
                CalendarLinkRow(
                    patient_id=patient_id,
                    token=token,
                    detail=detail,
                    created_at=at,
                    created_by=author,
                    items={},
                    last_error="",
                    attempts=0,
                )
            )
            db.flush()
            db.add(_record(patient_id, PUBLISHED, {"detail": detail}, author, at))
        return self._existing(patient_id)

    def renew(self, patient_id: str, token: str, *, author: str, at: datetime) -> CalendarLink:
        """A new link for the patient's calendar: the old collection is to be removed (the
        old link then stops working), the calendar published whole under ``token``."""
        with self._transaction() as db:
            row = _row(db, patient_id)
            db.add(RetiredCalendarRow(token=row.token, patient_id=patient_id, retired_at=at))
            row.token, row.items, row.published_at = token, {}, None
            row.failing_since, row.last_error, row.attempts, row.next_try = None, "", 0, None
            db.flush()
            db.add(_record(patient_id, RENEWED, {}, author, at))
        return self._existing(patient_id)

    def stop(self, patient_id: str, *, author: str, at: datetime) -> None:
        """Stop publishing the patient's calendar: its collection is to be removed, its
        waiting changes are dropped."""
        with self._transaction() as db:
            row = _row(db, patient_id)
            db.add(RetiredCalendarRow(token=row.token, patient_id=patient_id, retired_at=at))
            db.execute(delete(CalendarOutboxRow).where(CalendarOutboxRow.patient_id == patient_id))
            db.delete(row)
            db.flush()
            db.add(_record(patient_id, UNPUBLISHED, {}, author, at))

    def queue_all(self, patient_ids: set[str] | None = None) -> int:
        """Queue every published patient (or those of ``patient_ids``) for the server, and
        try at once: after a restore of the server, or to check. How many were queued."""
        with self._transaction() as db:
            query = select(CalendarLinkRow.patient_id)
            if patient_ids is not None:
                query = query.where(CalendarLinkRow.patient_id.in_(patient_ids))
            ids = list(db.scalars(query))
            db.add_all(CalendarOutboxRow(patient_id=i) for i in ids)
            db.execute(
                update(CalendarLinkRow)
                .where(CalendarLinkRow.patient_id.in_(ids))
                .values(next_try=None, items={})
                .execution_options(synchronize_session=False)
            )
        return len(ids)

    # ------------------------------------------------------------------ the publisher's
    def states(self, plan_ids: list[str]) -> dict[str, dict[str, Any]]:
        """What each plan's patient calendar was last given (empty before a first)."""
        with self._transaction() as db:
            rows = db.scalars(
                select(CalendarExportRow).where(CalendarExportRow.plan_id.in_(plan_ids))
            )
            return {r.plan_id: dict(r.state) for r in rows}

    def published(
        self,
        due: Due,
        *,
        items: Mapping[str, str],
        states: Mapping[str, dict[str, Any]],
        by: str,
        at: datetime,
    ) -> bool:
        """The server has the patient's calendar as of outbox row ``due.upto``: those
        changes are taken off, what the server holds and each plan's calendar state saved.
        False (nothing saved) when the link was renewed or stopped meanwhile."""
        with self._transaction() as db:
            row = db.get(CalendarLinkRow, due.patient_id)
            if row is None or row.token != due.token:
                return False
            db.execute(
                delete(CalendarOutboxRow).where(
                    CalendarOutboxRow.patient_id == due.patient_id,
                    CalendarOutboxRow.id <= due.upto,
                )
            )
            row.items = dict(items)
            row.published_at = at
            row.failing_since, row.last_error, row.attempts, row.next_try = None, "", 0, None
            for plan_id, state in states.items():
                if db.get(PlanRow, plan_id) is not None:
                    db.merge(
                        CalendarExportRow(
                            plan_id=plan_id, state=state, exported_at=at, exported_by=by
                        )
                    )
        return True

    def failed(self, due: Due, *, error: str, at: datetime, next_try: datetime) -> None:
        """Sending failed: everything stays waiting until ``next_try``."""
        with self._transaction() as db:
            row = db.get(CalendarLinkRow, due.patient_id)
            if row is None or row.token != due.token:
                return
            row.failing_since = row.failing_since or at
            row.last_error = error
            row.attempts += 1
            row.next_try = next_try

    def removed(self, token: str) -> None:
        """The server no longer has the collection ``token``."""
        with self._transaction() as db:
            db.execute(delete(RetiredCalendarRow).where(RetiredCalendarRow.token == token))

    def _existing(self, patient_id: str) -> CalendarLink:
        found = self.link(patient_id)
        assert found is not None
        return found


def _check_detail(detail: str) -> None:
    if detail not in DETAILS:
        raise ValueError(f"a calendar's detail is one of {DETAILS}, not {detail!r}")


def _row(db: DbSession, patient_id: str) -> CalendarLinkRow:
    row = db.get(CalendarLinkRow, patient_id)
    if row is None:
        raise StoreError(Message(N_("this patient's calendar is not published"), {}))
    return row


def _record(
    patient_id: str, kind: str, payload: dict[str, Any], author: str, at: datetime
) -> LedgerRow:
    return LedgerRow(
        patient_id=patient_id,
        plan_id=None,
        seq=None,
        kind=kind,
        payload=payload,
        author=author,
        at=at,
        note="",
    )


def _links(db: DbSession, *where: Any) -> list[CalendarLink]:
    waiting = (
        select(CalendarOutboxRow.patient_id, func.count().label("n"))
        .group_by(CalendarOutboxRow.patient_id)
        .subquery()
    )
    rows = db.execute(
        select(CalendarLinkRow, waiting.c.n)
        .outerjoin(waiting, waiting.c.patient_id == CalendarLinkRow.patient_id)
        .where(*where)
        .order_by(CalendarLinkRow.created_at)
    ).all()
    return [
        CalendarLink(
            r.patient_id,
            r.token,
            r.detail,
            r.created_at,
            r.created_by,
            dict(r.items),
            r.published_at,
            r.failing_since,
            r.last_error,
            r.attempts,
            r.next_try,
            int(n or 0),
        )
        for r, n in rows
    ]
