"""Published calendars in the unit's database: the links, and the outbox the database's own
triggers fill in the transaction of every change (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from planner.catalog import load_catalog
from planner.core.booking import Booking
from planner.core.patient import Patient
from planner.core.plan import Give, Plan
from planner.core.settings import UnitSettings
from planner.history import plan_history
from planner.store import Store, StoreError
from planner.store.calendar_links import PUBLISHED, RENEWED, UNPUBLISHED

from .conftest import AT

RULES = load_catalog().port_rules


def _patient_and_plan(store: Store, number: str) -> tuple[Patient, Plan]:
    patient = store.add_patient("MARTIN", "Anne", number, author="t", at=AT)
    plan = store.create_plan(
        patient, load_catalog().regimen("mfolfox6-q14"), date(2027, 1, 4), author="t", at=AT
    )
    return patient, plan


def _waiting(store: Store) -> dict[str, int]:
    return {link.patient_id: link.waiting for link in store.calendars.links()}


def test_a_published_patient_has_every_change_queued_and_others_none(store: Store) -> None:
    anne, plan = _patient_and_plan(store, "HN-1")
    _paul, other = _patient_and_plan(store, "HN-2")
    link = store.calendars.create(anne.id, "t" * 32, detail="minimal", author="coord", at=AT)
    assert (link.token, link.detail, link.created_by, link.waiting) == (
        "t" * 32,
        "minimal",
        "coord",
        1,
    )
    # A decision on her plan, a change to her record: queued in the same transaction.
    store.record(
        plan,
        Give((1, 1, 1), date(2027, 1, 4)),
        author="t",
        at=AT,
        today=date(2027, 1, 4),
        port_rules=RULES,
    )
    store.update_patient(anne, author="t", at=AT, contact="06 12")
    assert _waiting(store) == {anne.id: 3}
    # Paul is not published: his changes queue nothing.
    store.record(
        other,
        Give((1, 1, 1), date(2027, 1, 4)),
        author="t",
        at=AT,
        today=date(2027, 1, 4),
        port_rules=RULES,
    )
    assert _waiting(store) == {anne.id: 3}
    assert store.calendars.waiting() == 3


def test_bookings_and_the_units_settings_queue_the_patients_they_touch(store: Store) -> None:
    anne, plan = _patient_and_plan(store, "HN-1")
    paul, _other = _patient_and_plan(store, "HN-2")
    store.calendars.create(anne.id, "a" * 32, detail="minimal", author="t", at=AT)
    store.calendars.create(paul.id, "p" * 32, detail="full", author="t", at=AT)
    day = date(2027, 1, 4)
    key = (plan.id, (1, 1, 1))
    seen = [_waiting(store)]
    for put, remove in (
        ({key: Booking(time(9), 120, "Fauteuil 1", day)}, []),  # booked
        ({key: Booking(time(10), 120, "Fauteuil 1", day)}, []),  # moved
        ({}, [key]),  # unbooked
    ):
        store.save_bookings(put, remove, author="t", at=AT)
        seen.append(_waiting(store))
    assert [w[anne.id] for w in seen] == sorted({w[anne.id] for w in seen})  # each queued
    assert {w[paul.id] for w in seen} == {1}  # Paul's plan was not touched
    after = seen[-1]
    store.save_settings(UnitSettings(name="HDJ", phone="01 02 03 04 05"))
    assert _waiting(store) == {anne.id: after[anne.id] + 1, paul.id: after[paul.id] + 1}


def test_published_takes_off_only_the_changes_it_sent(store: Store) -> None:
    anne, plan = _patient_and_plan(store, "HN-1")
    store.calendars.create(anne.id, "t" * 32, detail="minimal", author="t", at=AT)
    (due,) = store.calendars.due(AT)
    # A change recorded while the calendar was being sent stays waiting.
    store.update_patient(anne, author="t", at=AT, contact="06")
    state = {"uid@infusion-planner": [0, "f", "2027-01-04", "2027-01-05", "Séance", False]}
    assert store.calendars.published(
        due, items={"uid@infusion-planner": "0:f"}, states={plan.id: state}, by="t", at=AT
    )
    link = store.calendars.link(anne.id)
    assert link is not None
    assert (link.waiting, link.published_at, dict(link.items)) == (
        1,
        AT,
        {"uid@infusion-planner": "0:f"},
    )
    assert store.calendar_state(plan.id) == state  # the file export continues from it


def test_a_failure_keeps_everything_waiting_until_the_next_try(store: Store) -> None:
    anne, _plan = _patient_and_plan(store, "HN-1")
    store.calendars.create(anne.id, "t" * 32, detail="minimal", author="t", at=AT)
    (due,) = store.calendars.due(AT)
    later = AT + timedelta(seconds=30)
    store.calendars.failed(due, error="connection refused", at=AT, next_try=later)
    store.calendars.failed(due, error="timed out", at=later, next_try=later + timedelta(minutes=1))
    link = store.calendars.link(anne.id)
    assert link is not None
    assert (link.failing_since, link.last_error, link.attempts, link.waiting) == (
        AT,
        "timed out",
        2,
        1,
    )
    assert store.calendars.due(later) == []
    assert [d.patient_id for d in store.calendars.due(later + timedelta(minutes=1))] == [anne.id]
    # Asked for by name (the coordinator's "publish now"), it is due at once.
    assert [d.patient_id for d in store.calendars.due(AT, {anne.id})] == [anne.id]


def test_renewing_and_stopping_retire_the_collection_and_are_in_the_history(
    store: Store,
) -> None:
    anne, plan = _patient_and_plan(store, "HN-1")
    store.calendars.create(anne.id, "old" * 11, detail="minimal", author="t", at=AT)
    (due,) = store.calendars.due(AT)
    renewed = store.calendars.renew(anne.id, "new" * 11, author="coord", at=AT)
    assert (renewed.token, dict(renewed.items), renewed.published_at) == ("new" * 11, {}, None)
    assert store.calendars.retired() == [("old" * 11, anne.id)]
    # What was being sent under the old link is not taken for the new one.
    assert not store.calendars.published(due, items={"u": "0:f"}, states={}, by="t", at=AT)
    store.calendars.stop(anne.id, author="coord", at=AT)
    assert store.calendars.link(anne.id) is None
    assert store.calendars.waiting() == 0
    assert {token for token, _ in store.calendars.retired()} == {"old" * 11, "new" * 11}
    store.calendars.removed("old" * 11)
    assert store.calendars.retired() == [("new" * 11, anne.id)]
    kinds = [r["kind"] for r in store.audit(anne) if r["plan"] is None]
    assert kinds[-3:] == [PUBLISHED, RENEWED, UNPUBLISHED]
    lines = [line.what for line in plan_history(store.plan(plan.id), store.audit(anne))]
    assert "Calendar published for subscription" in lines
    assert "New subscription link: the old one no longer works" in lines
    assert "Calendar no longer published" in lines


def test_what_cannot_be_done_twice_or_to_nobody_is_refused(store: Store) -> None:
    anne, _plan = _patient_and_plan(store, "HN-1")
    with pytest.raises(StoreError, match="no patient"):
        store.calendars.create("nobody", "t" * 32, detail="minimal", author="t", at=AT)
    with pytest.raises(StoreError, match="not published"):
        store.calendars.renew(anne.id, "n" * 32, author="t", at=AT)
    with pytest.raises(ValueError, match="detail"):
        store.calendars.create(anne.id, "t" * 32, detail="everything", author="t", at=AT)
    store.calendars.create(anne.id, "t" * 32, detail="minimal", author="t", at=AT)
    with pytest.raises(StoreError, match="already published"):
        store.calendars.create(anne.id, "u" * 32, detail="minimal", author="t", at=AT)


def test_publishing_again_queues_every_patient_and_forgets_what_the_server_had(
    store: Store,
) -> None:
    anne, _plan = _patient_and_plan(store, "HN-1")
    store.calendars.create(anne.id, "t" * 32, detail="minimal", author="t", at=AT)
    (due,) = store.calendars.due(AT)
    store.calendars.published(due, items={"u": "0:f"}, states={}, by="t", at=AT)
    store.update_patient(anne, author="t", at=AT, contact="06")
    (due,) = store.calendars.due(AT)
    store.calendars.failed(due, error="x", at=AT, next_try=AT + timedelta(hours=1))
    assert store.calendars.queue_all() == 1
    link = store.calendars.link(anne.id)
    assert link is not None
    assert (link.waiting, dict(link.items), link.next_try) == (2, {}, None)
