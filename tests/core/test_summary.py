"""A patient's line in the list, from the facts stored with their plans, is the line their
calendar computed on the day gives: on any day, for every kind of plan of the demo unit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.catalog import Catalog
from planner.core.batch import plan_schedules
from planner.core.plan import Plan
from planner.core.plan_schedule import plan_facts, schedule_of
from planner.core.summary import PlanFacts, days_text, patient_summary
from planner.core.text import Text
from planner.day_hospital.demo import build_demo
from planner.explain_plan import next_session, warning_lines

TODAY = date(2027, 3, 1)


@pytest.fixture(scope="module")
def demo_plans(catalog: Catalog) -> list[Plan]:
    return build_demo(catalog, 300, TODAY).plans


@pytest.mark.parametrize("shift", [-400, -30, -1, 0, 1, 6, 45, 200, 800])
def test_the_line_from_facts_is_the_line_of_the_calendar_of_the_day(
    catalog: Catalog, demo_plans: list[Plan], shift: int
) -> None:
    today = TODAY + timedelta(days=shift)
    rules = catalog.port_rules
    facts = [plan_facts(ps) for ps in plan_schedules(demo_plans, rules)]
    for plan, fact in zip(demo_plans, facts, strict=True):
        ps = schedule_of(plan, rules, today)
        upcoming = next_session(ps, today)
        line = patient_summary(plan.patient, [fact], today, "fr")
        assert line.next_session == (upcoming.date if upcoming else None), plan.id
        assert line.warnings == len(warning_lines(ps)), plan.id
        assert line.regimen == plan.regimen.name.fr
        assert line.plan_id == plan.id


def test_facts_do_not_depend_on_the_day_the_calendar_was_computed(
    catalog: Catalog, demo_plans: list[Plan]
) -> None:
    rules = catalog.port_rules
    for plan in demo_plans[:100]:
        assert plan_facts(schedule_of(plan, rules, TODAY)) == plan_facts(schedule_of(plan, rules))


def test_a_port_placed_too_late_counts_from_the_day_after_its_day(
    catalog: Catalog, demo_plans: list[Plan]
) -> None:
    """The demo has plans whose port is still to be placed before a first session."""
    rules = catalog.port_rules
    late = [f for f in (plan_facts(schedule_of(p, rules)) for p in demo_plans) if f.port_late_after]
    assert late, "the demo unit has a plan with a port to place"
    fact = late[0]
    day = fact.port_late_after
    assert day is not None
    assert fact.warnings_on(day) == fact.warnings
    assert fact.warnings_on(day + timedelta(days=1)) == fact.warnings + 1


def _facts(plan_id: str, stopped: bool, *days: date) -> PlanFacts:
    return PlanFacts(plan_id, Text("Schéma", "Regimen"), stopped, days_text(days), 0)


def test_the_line_shows_the_latest_plan_not_stopped_else_the_latest(demo_plans: list[Plan]) -> None:
    patient = demo_plans[0].patient
    a, b, c = (_facts("a", False), _facts("b", True), _facts("c", True))
    assert patient_summary(patient, [a, b], TODAY, "en").plan_id == "a"
    assert patient_summary(patient, [b, c], TODAY, "en").plan_id == "c"
    nothing = patient_summary(patient, [], TODAY, "en")
    assert (nothing.plan_id, nothing.regimen, nothing.next_session) == (None, "", None)
    assert patient_summary(patient, [a], TODAY, "en").regimen == "Regimen"


def test_the_next_session_is_today_included_and_none_once_all_are_given() -> None:
    fact = _facts("a", False, TODAY, TODAY + timedelta(days=21))
    assert fact.next_session(TODAY) == TODAY
    assert fact.next_session(TODAY + timedelta(days=1)) == TODAY + timedelta(days=21)
    assert fact.next_session(TODAY + timedelta(days=22)) is None


@given(
    st.lists(st.dates(date(2020, 1, 1), date(2035, 12, 31)), max_size=120, unique=True),
    st.dates(date(2019, 6, 1), date(2036, 6, 1)),
)
def test_the_next_session_is_found_in_the_text_as_in_the_list_of_days(
    days: list[date], today: date
) -> None:
    days.sort()
    fact = _facts("a", False, *days)
    expected = next((d for d in days if d >= today), None)
    assert fact.next_session(today) == expected
    assert fact.days_to_give == tuple(days)


def test_a_list_of_lines_made_when_asked_for_reads_as_a_list() -> None:
    from planner.core.patient import Patient
    from planner.core.summary import PatientSummary, SummaryList

    whole = [
        PatientSummary(Patient(f"p{n}", f"NOM{n}", "Anne", f"HN{n}"), None, "", None, 0)
        for n in range(5)
    ]
    asked: list[int] = []

    def make(at: int) -> PatientSummary:
        asked.append(at)
        return whole[at]

    lazy = SummaryList([s.patient.id for s in whole], make)
    assert len(lazy) == 5
    assert not asked
    assert lazy[-1] is whole[4]
    assert lazy[1:3] == whole[1:3]
    assert lazy == whole
    assert list(lazy) == whole
    assert lazy != whole[:4]
    assert sorted(asked) == list(range(5))  # each line made once
    with pytest.raises(IndexError):
        lazy[5]
    with pytest.raises(TypeError):
        hash(lazy)
