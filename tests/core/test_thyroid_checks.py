"""Thyroid tests follow the cycle (issue 21).

ASCO 2018 (Brahmer et al.) asks for TSH every 4 to 6 weeks on a checkpoint inhibitor. "Every
6 weeks with the next session's blood test" gave alternating 8- and 4-week gaps on 4-weekly
regimens; a check that follows the cycles goes with the blood test of every cycle of 3 weeks
or more, of every other 2-week cycle, and with ipilimumab's 3- or 6-week cycles.

Expected dates are worked out by hand below. Calendar facts: 2027-01-04 is a Monday; Easter
Monday 2027 is 29 March; Saturday 8 May 2027 is a public holiday. The blood test is on the
latest Monday-to-Saturday non-holiday from D-3 to D-1: the Saturday before a Monday session.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from planner.catalog import Catalog
from planner.core import changes
from planner.core.patient import Patient
from planner.core.plan import Plan
from planner.core.plan_schedule import PlanSchedule, schedule_of
from planner.core.regimen import cycles_between_checks
from planner.core.schedule import DelayReason, EventKind, SessionKey

AT = datetime(2027, 1, 1, 9, 0, tzinfo=UTC)
PATIENT = Patient("patient-1", "Martin", "Jeanne", "H123456")
START = date(2027, 1, 4)  # a Monday


def make(catalog: Catalog, regimen_id: str) -> Plan:
    return Plan("plan-1", PATIENT, catalog.regimen(regimen_id), START)


def thyroid(schedule: PlanSchedule) -> list[tuple[date, SessionKey]]:
    """(the day of the check, the session whose blood test it is taken with)."""
    return [
        (e.date, schedule.sessions[e.session].key)
        for e in schedule.events
        if e.kind is EventKind.MONITORING and e.code == "thyroid"
    ]


def lab_of(schedule: PlanSchedule, key: SessionKey) -> date:
    index = next(i for i, s in enumerate(schedule.sessions) if s.key == key)
    return next(e.date for e in schedule.events if e.kind is EventKind.LAB and e.session == index)


@pytest.mark.parametrize(
    ("cycle_days", "every"), [(7, 4), (10, 2), (14, 2), (15, 1), (21, 1), (28, 1), (42, 1)]
)
def test_how_many_cycles_apart(cycle_days: int, every: int) -> None:
    # At most 4 weeks between checks on short cycles; every cycle from 15 days up.
    assert cycles_between_checks(cycle_days) == every


def test_every_thyroid_check_of_the_catalogue_follows_the_cycles(catalog: Catalog) -> None:
    checks = [m for r in catalog for m in r.monitoring if m.kind.value == "thyroid"]
    assert len(checks) == 28
    assert all(m.follow_cycles and m.every_weeks is None for m in checks)


def test_durvalumab_every_4_weeks_with_each_sessions_blood_test(catalog: Catalog) -> None:
    """PACIFIC: 13 four-weekly doses. The old rule gave 4 Jan, 1 Mar, 30 Mar, 24 May...:
    gaps of 8, 4, 8 weeks. Now every gap is 4 weeks."""
    scheduled = schedule_of(make(catalog, "durvalumab-1500-q4w-pacific"), catalog.port_rules)
    assert thyroid(scheduled) == [
        (date(2027, 1, 2), (1, 1, 1)),  # Monday 4 January
        (date(2027, 1, 30), (1, 2, 1)),  # Monday 1 February
        (date(2027, 2, 27), (1, 3, 1)),  # Monday 1 March
        (date(2027, 3, 27), (1, 4, 1)),  # Easter Monday 29 March -> Tuesday 30
        (date(2027, 4, 24), (1, 5, 1)),  # Monday 26 April
        (date(2027, 5, 22), (1, 6, 1)),  # Monday 24 May
        (date(2027, 6, 19), (1, 7, 1)),  # Monday 21 June
        (date(2027, 7, 17), (1, 8, 1)),  # Monday 19 July
        (date(2027, 8, 14), (1, 9, 1)),  # Monday 16 August
        (date(2027, 9, 11), (1, 10, 1)),  # Monday 13 September
        (date(2027, 10, 9), (1, 11, 1)),  # Monday 11 October
        (date(2027, 11, 6), (1, 12, 1)),  # Monday 8 November
        (date(2027, 12, 4), (1, 13, 1)),  # Monday 6 December
    ]


def test_a_delayed_cycle_takes_its_check_along(catalog: Catalog) -> None:
    plan = make(catalog, "durvalumab-1500-q4w-pacific")
    current = schedule_of(plan, catalog.port_rules)
    delay = changes.delay(current, (1, 2, 1), DelayReason.TOXICITY, days=7)
    later = changes.apply(
        plan, delay, author="c", at=AT, today=date(2027, 1, 29), port_rules=catalog.port_rules
    )
    scheduled = schedule_of(later, catalog.port_rules)
    # C2 on Monday 8 February: its blood test, and the check, on Saturday 6 February. A
    # delayed D1 re-anchors the cycles after it: C3 on Monday 8 March, its check on the 6th.
    assert thyroid(scheduled)[1:3] == [
        (date(2027, 2, 6), (1, 2, 1)),
        (date(2027, 3, 6), (1, 3, 1)),
    ]


def test_nivolumab_every_2_weeks_every_other_session(catalog: Catalog) -> None:
    scheduled = schedule_of(make(catalog, "nivolumab-240-q2w"), catalog.port_rules)
    # Sessions every 14 days: C1 4 January, C3 1 February, C5 1 March, C7 29 March (Easter
    # Monday -> Tuesday 30), C9 26 April, C11 24 May; C2, C4... have none.
    assert thyroid(scheduled)[:6] == [
        (date(2027, 1, 2), (1, 1, 1)),
        (date(2027, 1, 30), (1, 3, 1)),
        (date(2027, 2, 27), (1, 5, 1)),
        (date(2027, 3, 27), (1, 7, 1)),
        (date(2027, 4, 24), (1, 9, 1)),
        (date(2027, 5, 22), (1, 11, 1)),
    ]
    # Two years of 14-day cycles: C53 is planned 728 days after C1, on 1 January 2029 (New
    # Year's Day -> Tuesday 2), 3 days before the two years end. The odd cycles, C1 to C53.
    assert scheduled.sessions[-1].key == (1, 53, 1)
    assert [key[1] for _day, key in thyroid(scheduled)] == list(range(1, 54, 2))


def test_a_cycle_not_given_passes_its_check_to_the_next_session(catalog: Catalog) -> None:
    plan = make(catalog, "nivolumab-240-q2w")
    current = schedule_of(plan, catalog.port_rules)
    omitted = changes.apply(
        plan,
        changes.omit(current, (1, 3, 1)),
        author="c",
        at=AT,
        today=date(2027, 1, 29),
        port_rules=catalog.port_rules,
    )
    scheduled = schedule_of(omitted, catalog.port_rules)
    # C3 (1 February) is not given and has no blood test: the check goes with C4's, on
    # Saturday 13 February (C4 on Monday 15); C5 keeps its own (Saturday 27 February).
    assert thyroid(scheduled)[:3] == [
        (date(2027, 1, 2), (1, 1, 1)),
        (date(2027, 2, 13), (1, 4, 1)),
        (date(2027, 2, 27), (1, 5, 1)),
    ]


def test_ipilimumab_and_nivolumab_every_induction_cycle(catalog: Catalog) -> None:
    scheduled = schedule_of(
        make(catalog, "ipilimumab-nivolumab-melanoma-cm067"), catalog.port_rules
    )
    # Induction every 21 days with ipilimumab: 4 and 25 January, 15 February, 8 March; then
    # nivolumab every 14 days from 29 March (Easter Monday -> Tuesday 30): maintenance C1,
    # C3 (26 April), C5 (24 May), C7 (21 June).
    assert thyroid(scheduled)[:8] == [
        (date(2027, 1, 2), (1, 1, 1)),
        (date(2027, 1, 23), (1, 2, 1)),
        (date(2027, 2, 13), (1, 3, 1)),
        (date(2027, 3, 6), (1, 4, 1)),
        (date(2027, 3, 27), (2, 1, 1)),
        (date(2027, 4, 24), (2, 3, 1)),
        (date(2027, 5, 22), (2, 5, 1)),
        (date(2027, 6, 19), (2, 7, 1)),
    ]


def test_ipilimumab_every_6_weeks_the_check_goes_with_its_dose(catalog: Catalog) -> None:
    """CheckMate 227: nivolumab D1, D15, D29 and ipilimumab D1 of 42-day cycles; CheckMate
    9LA: nivolumab D1 and D22, ipilimumab D1. The check goes with D1, the ipilimumab dose."""
    cm227 = schedule_of(make(catalog, "nivolumab-ipilimumab-nsclc-cm227"), catalog.port_rules)
    # D1s: 4 January, 15 February, 29 March (Easter Monday -> Tuesday 30), 10 May (Saturday
    # 8 May is a holiday and Sunday 9 no lab day: the blood test on Friday 7 May).
    assert thyroid(cm227)[:4] == [
        (date(2027, 1, 2), (1, 1, 1)),
        (date(2027, 2, 13), (1, 2, 1)),
        (date(2027, 3, 27), (1, 3, 1)),
        (date(2027, 5, 7), (1, 4, 1)),
    ]
    assert lab_of(cm227, (1, 4, 1)) == date(2027, 5, 7)
    assert {key[2] for _day, key in thyroid(cm227)} == {1}
    cm9la = schedule_of(make(catalog, "nivolumab-ipilimumab-chemo-cm9la"), catalog.port_rules)
    # The first phase is one 42-day cycle, the second starts on day 43 (15 February).
    assert thyroid(cm9la)[:3] == [
        (date(2027, 1, 2), (1, 1, 1)),
        (date(2027, 2, 13), (2, 1, 1)),
        (date(2027, 3, 27), (2, 2, 1)),
    ]


def test_keynote_522_with_each_pembrolizumab_cycle_not_each_weekly_session(
    catalog: Catalog,
) -> None:
    scheduled = schedule_of(make(catalog, "pembrolizumab-chemo-kn522"), catalog.port_rules)
    # Paclitaxel every Monday, pembrolizumab and carboplatin on D1 of 21-day cycles: the
    # check with the blood tests of 4 and 25 January, 15 February, 8 March only.
    assert thyroid(scheduled)[:4] == [
        (date(2027, 1, 2), (1, 1, 1)),
        (date(2027, 1, 23), (1, 2, 1)),
        (date(2027, 2, 13), (1, 3, 1)),
        (date(2027, 3, 6), (1, 4, 1)),
    ]
    assert lab_of(scheduled, (1, 1, 8)) == date(2027, 1, 9)  # D8's blood test, no check
