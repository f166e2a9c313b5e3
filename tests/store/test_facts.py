"""The patient list's facts stored with each plan stay true: after every kind of change, an
undo, a patient's port, new plans, the unit's closures and port rules, a change made by a
program that does not write them, and a change made while they were being computed."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from planner.catalog import load_catalog
from planner.core import changes
from planner.core.closures import UnitClosure
from planner.core.plan import (
    ConfirmPort,
    Give,
    Omit,
    Plan,
    Revert,
    Stop,
    SuspectProgression,
)
from planner.core.plan_schedule import plan_facts, schedule_of
from planner.core.port import PortCriterion, PortLevel, PortRule
from planner.core.regimen import AgentClass
from planner.core.schedule import DelayReason
from planner.day_hospital.patient_list import patient_list
from planner.store import Store
from tests.store.conftest import AT

CATALOG = load_catalog()
RULES = CATALOG.port_rules
TODAY = date(2027, 2, 1)


def _fresh(store: Store, rules: tuple[PortRule, ...] = RULES) -> dict[str, object]:
    """The stored facts, after checking that none is stale."""
    lines = store.patient_lines(rules)
    assert lines.stale == []
    return dict(lines.facts)


def _true(plan: Plan, rules: tuple[PortRule, ...] = RULES) -> object:
    return plan_facts(schedule_of(plan, rules))


def _new(store: Store, regimen: str = "mfolfox6-q14", number: str = "H1") -> Plan:
    patient = store.add_patient("MARTIN", "Jeanne", number, author="cb", at=AT)
    return store.create_plan(
        patient, CATALOG.regimen(regimen), date(2027, 1, 4), author="cb", at=AT, port_rules=RULES
    )


def _record(store: Store, plan: Plan, change: object) -> Plan:
    return store.record(plan, change, author="cb", at=AT, today=TODAY, port_rules=RULES)  # type: ignore[arg-type]


def test_a_new_plan_is_saved_with_its_facts(store: Store) -> None:
    plan = _new(store)
    assert _fresh(store) == {plan.id: _true(plan)}


def test_every_kind_of_change_and_its_undo_keeps_the_facts_true(store: Store) -> None:
    plan = _new(store, "pembrolizumab-pemetrexed-platinum-kn189")
    steps = [
        lambda p: changes.delay(schedule_of(p, RULES), (1, 2, 1), DelayReason.TOXICITY, days=7),
        lambda p: Give((1, 1, 1), date(2027, 1, 4)),
        lambda p: Omit((1, 3, 1), ("pemetrexed",), "insuffisance rénale"),
        lambda p: SuspectProgression(date(2027, 1, 25), stable_confirmed_by="Dr Moreau"),
        lambda p: ConfirmPort(True),
        lambda p: Revert(len(p.ledger)),  # the port request undone
        lambda p: Stop(date(2027, 4, 1), "progression confirmée"),
    ]
    seen = [_fresh(store)[plan.id]]
    for step in steps:
        plan = _record(store, plan, step(plan))
        stored = _fresh(store)[plan.id]
        assert stored == _true(plan)
        seen.append(stored)
    assert len(set(map(repr, seen))) >= 4  # the delay, the dose given, the stop: new lines
    assert _fresh(store)[plan.id].stopped  # type: ignore[attr-defined]


def test_a_port_put_in_place_is_saved_with_the_facts_it_changes(store: Store) -> None:
    plan = _new(store, "mfolfox6-q14")  # infusional 5-FU: a port is required
    before = _fresh(store)[plan.id]
    assert before.port_late_after is not None  # type: ignore[attr-defined]
    patient = store.update_patient(
        plan.patient, author="cb", at=AT, port_rules=RULES, port_in_place=True
    )
    after = _fresh(store)[plan.id]
    assert after.port_late_after is None  # type: ignore[attr-defined]
    assert after == _true(store.plans(patient)[0])


def test_what_is_saved_without_the_port_rules_is_computed_again_when_read(store: Store) -> None:
    patient = store.add_patient("DURAND", "Paul", "H2", author="cb", at=AT)
    plan = store.create_plan(
        patient, CATALOG.regimen("folfiri-q14"), date(2027, 1, 4), author="cb", at=AT
    )
    assert store.patient_lines(RULES).stale == [plan.id]
    store.update_patient(patient, author="cb", at=AT, contact="06 12 34 56 78")
    told: list[tuple[int, int]] = []
    lines = patient_list(store, RULES, TODAY, "en", progress=lambda d, t: told.append((d, t)))
    assert told == [(1, 1)]
    assert [line.plan_id for line in lines] == [plan.id]
    assert lines[0].next_session == date(2027, 2, 1)
    assert _fresh(store) == {plan.id: _true(store.plan(plan.id))}


def test_the_units_closures_and_port_rules_make_every_plans_facts_stale(store: Store) -> None:
    first, second = _new(store, number="H1"), _new(store, "nivolumab-240-q2w", number="H2")
    _fresh(store)
    closed = UnitClosure(date(2027, 1, 18), "travaux")
    store.save_settings(replace(store.settings(), unit_closures=(closed,)))
    assert sorted(store.patient_lines(RULES).stale) == sorted([first.id, second.id])
    patient_list(store, RULES, TODAY, "en")
    assert _fresh(store)[first.id] == _true(store.plan(first.id))
    own = (
        PortRule(
            PortLevel.REQUIRED, PortCriterion.CLASS, classes=frozenset({AgentClass.IMMUNOTHERAPY})
        ),
    )
    assert sorted(store.patient_lines(own).stale) == sorted([first.id, second.id])
    patient_list(store, own, TODAY, "en")
    assert _fresh(store, own)[second.id] == _true(store.plan(second.id), own)
    assert _fresh(store, own)[second.id].port_late_after is not None  # type: ignore[attr-defined]


def test_a_change_saved_by_a_program_that_does_not_write_facts_is_seen(store: Store) -> None:
    """An older version of the program (or a script) bumps the plan's version only."""
    plan = _new(store)
    with store.engine.begin() as db:
        db.execute(text("UPDATE plans SET version = version + 1 WHERE id = :p"), {"p": plan.id})
    assert store.patient_lines(RULES).stale == [plan.id]


def test_a_plan_changed_while_its_facts_are_computed_keeps_the_changes_own(store: Store) -> None:
    plan = _new(store)
    with store.engine.begin() as db:
        db.execute(text("DELETE FROM plan_facts"))
    changed: list[Plan] = []

    def meanwhile(done: int, total: int) -> None:  # another coordinator records a delay
        current = schedule_of(plan, RULES)
        delay = changes.delay(current, (1, 2, 1), DelayReason.CAPACITY, days=7)
        changed.append(_record(store, plan, delay))

    computed = store.refresh_facts([plan.id], RULES, progress=meanwhile)
    assert computed[plan.id] == _true(plan)  # from the plan as it was read
    assert _fresh(store)[plan.id] == _true(changed[0])  # the delay's own facts stayed


def test_the_list_reads_every_patient_even_without_a_plan(store: Store) -> None:
    plan = _new(store)
    store.add_patient("ABEL", "Zoé", "H9", author="cb", at=AT)
    lines = patient_list(store, RULES, TODAY, "fr")
    assert [(line.patient.family_name, line.plan_id) for line in lines] == [
        ("ABEL", None),
        ("MARTIN", plan.id),
    ]
    assert lines[1].regimen == plan.regimen.name.fr
    assert lines[1].next_session == schedule_of(plan, RULES).sessions[2].date


@pytest.mark.parametrize("shift", [0, 30, 400])
def test_the_list_is_the_same_read_on_any_day(store: Store, shift: int) -> None:
    plan = _new(store)
    today = TODAY + timedelta(days=shift)
    [line] = patient_list(store, RULES, today, "en")
    ps = schedule_of(plan, RULES, today)
    from planner.explain_plan import next_session, warning_lines

    upcoming = next_session(ps, today)
    assert line.next_session == (upcoming.date if upcoming else None)
    assert line.warnings == len(warning_lines(ps))


def test_a_database_of_the_previous_version_gets_its_facts_once(tmp_path: Path) -> None:
    """The migration adds the table; the first opening fills it, its progress told."""
    path = tmp_path / "old.sqlite"
    shutil.copy(Path(__file__).parent / "data" / "schema-0005.sqlite", path)
    with Store.open(path) as store:
        plans = store.plans()
        assert plans
        assert sorted(store.patient_lines(RULES).stale) == sorted(p.id for p in plans)
        told: list[tuple[int, int]] = []
        first = patient_list(store, RULES, TODAY, "en", progress=lambda d, t: told.append((d, t)))
        assert told[-1] == (len(plans), len(plans))
        assert _fresh(store) == {p.id: _true(p) for p in plans}
        assert patient_list(store, RULES, TODAY, "en") == first
