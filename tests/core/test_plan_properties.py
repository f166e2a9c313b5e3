"""Properties of plan changes, for random catalogue regimens, starts, policies and changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from planner.catalog import load_catalog
from planner.core import changes
from planner.core.changes import ChangeRefused
from planner.core.closures import ClosureCalendar, ClosureSet
from planner.core.patient import Patient
from planner.core.plan import Give, Plan, Stop, SuspectProgression
from planner.core.plan_schedule import schedule_of
from planner.core.schedule import DelayReason, Policy

CATALOG = load_catalog()
RULES = CATALOG.port_rules
REGIMENS = sorted(CATALOG.entries)
AT = datetime(2027, 1, 1, tzinfo=UTC)
NONE = ClosureCalendar(ClosureSet.NONE)


@st.composite
def plans(draw: st.DrawFn, calendar: ClosureCalendar | None = None) -> Plan:
    regimen = CATALOG.regimen(draw(st.sampled_from(REGIMENS)))
    start = draw(st.dates(date(2026, 6, 1), date(2028, 6, 1)))
    policy = draw(st.sampled_from(list(Policy)))
    if calendar is None:
        calendar = ClosureCalendar(draw(st.sampled_from(list(ClosureSet))))
    patient = Patient("p", "Test", "", "1", port_in_place=draw(st.booleans()))
    return Plan("plan", patient, regimen, start, policy=policy, calendar=calendar)


@settings(max_examples=150, deadline=None)
@given(plans(NONE), st.data(), st.integers(1, 28))
def test_a_delay_of_n_days_moves_every_later_d1_by_n(
    plan: Plan, data: st.DataObject, n: int
) -> None:
    before = schedule_of(plan, RULES)
    d1s = [s for s in before.sessions if s.day == 1]
    assume(len(d1s) >= 2)
    target = data.draw(st.sampled_from(d1s[:-1]))
    change = changes.delay(before, target.key, DelayReason.TOXICITY, days=n)
    after = schedule_of(plan.with_entry(change, "t", AT), RULES)
    old = {s.key: s.date for s in before.sessions}
    new = {s.key: s.date for s in after.sessions}
    for key, day in old.items():
        if key < target.key:
            assert new[key] == day, "a session before the delayed one moved"
        elif key[2] == 1 and key in new:
            assert new[key] == day + timedelta(days=n), key


@settings(max_examples=150, deadline=None)
@given(plans(), st.data())
def test_undoing_a_change_restores_the_previous_schedule_exactly(
    plan: Plan, data: st.DataObject
) -> None:
    before = schedule_of(plan, RULES)
    assume(before.sessions)
    session = data.draw(st.sampled_from(before.sessions))
    kind = data.draw(st.sampled_from(["delay", "omit", "give", "stop", "progression"]))
    if kind == "delay":
        change: object = changes.delay(
            before, session.key, DelayReason.OTHER, days=data.draw(st.integers(1, 10))
        )
    elif kind == "omit":
        change = changes.omit(before, session.key)
    elif kind == "give":
        change = Give(session.key, session.date)
    elif kind == "stop":
        change = Stop(session.date, "test")
    else:
        change = SuspectProgression(session.date, stable_confirmed_by="Dr Moreau")
    today = session.date + timedelta(days=1)
    try:
        changed = changes.apply(plan, change, author="t", at=AT, today=today, port_rules=RULES)  # type: ignore[arg-type]
    except ChangeRefused:
        changed = None
    assume(changed is not None)
    assert changed is not None
    undone = changes.apply(
        changed, changes.undo(changed), author="t", at=AT, today=today, port_rules=RULES
    )
    after = schedule_of(undone, RULES)
    assert after.sessions == before.sessions
    assert after.events == before.events
    # Every earlier state can be rebuilt from a prefix of the ledger.
    assert schedule_of(undone.until(1), RULES).sessions == schedule_of(changed, RULES).sessions
    assert schedule_of(undone.until(0), RULES).sessions == before.sessions
