"""Plans that live: delays, omissions, doses given, stops, progression, monitoring, port.

Expected dates are worked out by hand below. Calendar facts: 2027-01-04 is a Monday; Easter
Monday 2027 is 29 March, Whit Monday 17 May, All Saints' Day Monday 1 November.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from planner.catalog import Catalog
from planner.core import changes
from planner.core.changes import ChangeRefused, Refusal
from planner.core.closures import ClosureCalendar, ClosureSet, UnitClosure
from planner.core.patient import Patient
from planner.core.plan import (
    Change,
    ConfirmPort,
    Give,
    Plan,
    PlanOptions,
    Revert,
    Stop,
    SuspectProgression,
)
from planner.core.plan_schedule import PlanSchedule, PlanWarning, schedule_of
from planner.core.schedule import DelayReason, EventKind, Policy, SessionStatus

AT = datetime(2027, 1, 1, 9, 0, tzinfo=UTC)
CLINICIAN = "Dr Moreau"
"""Who confirms that a patient with a suspected progression is clinically stable."""
PATIENT = Patient("patient-1", "Martin", "Jeanne", "H123456")


def make(catalog: Catalog, regimen_id: str, start: date, **kwargs: object) -> Plan:
    return Plan("plan-1", PATIENT, catalog.regimen(regimen_id), start, **kwargs)  # type: ignore[arg-type]


def apply(catalog: Catalog, plan: Plan, change: Change, today: date) -> Plan:
    return changes.apply(
        plan,
        change,
        author="coordinator",
        at=AT,
        today=today,
        port_rules=catalog.port_rules,
    )


def days_of(schedule: PlanSchedule, kind: EventKind, code: str | None = None) -> list[date]:
    return [e.date for e in schedule.events if e.kind is kind and (code is None or e.code == code)]


def test_keynote_189_delayed_7_days_at_cycle_3(catalog: Catalog) -> None:
    plan = make(catalog, "pembrolizumab-pemetrexed-platinum-kn189", date(2027, 1, 4))
    before = schedule_of(plan, catalog.port_rules)
    change = changes.delay(before, (1, 3, 1), DelayReason.TOXICITY, days=7)
    assert (change.to, change.moved_from) == (date(2027, 2, 22), date(2027, 2, 15))
    after = schedule_of(apply(catalog, plan, change, date(2027, 2, 12)), catalog.port_rules)
    got = [(s.phase, s.cycle, s.date) for s in after.sessions[:17]]
    assert got == [
        (1, 1, date(2027, 1, 4)),
        (1, 2, date(2027, 1, 25)),
        (1, 3, date(2027, 2, 22)),  # delayed 7 days for toxicity
        (1, 4, date(2027, 3, 15)),  # every later cycle keeps its 21-day interval
        (2, 1, date(2027, 4, 5)),  # maintenance 21 days after C4
        (2, 2, date(2027, 4, 26)),
        (2, 3, date(2027, 5, 18)),  # Whit Monday 17 May -> Tuesday
        (2, 4, date(2027, 6, 7)),  # grid: back on Mondays
        (2, 5, date(2027, 6, 28)),
        (2, 6, date(2027, 7, 19)),
        (2, 7, date(2027, 8, 9)),
        (2, 8, date(2027, 8, 30)),
        (2, 9, date(2027, 9, 20)),
        (2, 10, date(2027, 10, 11)),
        (2, 11, date(2027, 11, 2)),  # All Saints' Day 1 November -> Tuesday
        (2, 12, date(2027, 11, 22)),
        (2, 13, date(2027, 12, 13)),
    ]
    delayed = after.sessions[2]
    assert delayed.rescheduled is not None
    assert delayed.rescheduled.reason is DelayReason.TOXICITY
    assert all(s.follows == (1, 3, 1) for s in after.sessions[2:])
    # Without the delay maintenance would have started on Easter Monday (-> 30 March).
    assert before.sessions[4].date == date(2027, 3, 30)
    # The blood test follows its session: Saturday before Monday 22 February.
    assert days_of(after, EventKind.LAB)[2] == date(2027, 2, 20)


def test_the_same_delay_under_reanchor_carries_every_later_move(catalog: Catalog) -> None:
    plan = make(
        catalog,
        "pembrolizumab-pemetrexed-platinum-kn189",
        date(2027, 1, 4),
        policy=Policy.REANCHOR,
    )
    change = changes.delay(
        schedule_of(plan, catalog.port_rules), (1, 3, 1), DelayReason.TOXICITY, days=7
    )
    after = schedule_of(apply(catalog, plan, change, date(2027, 2, 12)), catalog.port_rules)
    assert [s.date for s in after.sessions[2:9]] == [
        date(2027, 2, 22),
        date(2027, 3, 15),
        date(2027, 4, 5),
        date(2027, 4, 26),
        date(2027, 5, 18),  # Whit Monday -> Tuesday...
        date(2027, 6, 8),  # ...and everything after follows on Tuesdays
        date(2027, 6, 29),
    ]


def test_a_day_inside_a_cycle_moves_alone_unless_the_rest_of_the_cycle_follows(
    catalog: Catalog,
) -> None:
    # Cisplatin D1 + etoposide D1-D3 from Monday 4 January 2027.
    plan = make(catalog, "cisplatin-etoposide-q21", date(2027, 1, 4))
    current = schedule_of(plan, catalog.port_rules)
    alone = changes.delay(current, (1, 1, 2), DelayReason.PATIENT_REQUEST, days=2)
    moved = schedule_of(apply(catalog, plan, alone, date(2027, 1, 4)), catalog.port_rules)
    # D2 Tuesday 5 -> Thursday 7; D3 (Wednesday 6) would now come before it: it goes after.
    assert [s.date for s in moved.sessions[:4]] == [
        date(2027, 1, 4),
        date(2027, 1, 7),
        date(2027, 1, 8),
        date(2027, 1, 25),
    ]
    shifted = changes.delay(
        current, (1, 1, 2), DelayReason.PATIENT_REQUEST, days=1, shift_rest_of_cycle=True
    )
    moved = schedule_of(apply(catalog, plan, shifted, date(2027, 1, 4)), catalog.port_rules)
    assert [s.date for s in moved.sessions[:4]] == [
        date(2027, 1, 4),
        date(2027, 1, 6),
        date(2027, 1, 7),
        date(2027, 1, 25),
    ]
    # A day inside a cycle cannot pass the next cycle's D1: delay that D1 instead.
    with pytest.raises(ChangeRefused) as refused:
        apply(
            catalog,
            plan,
            changes.delay(current, (1, 1, 3), DelayReason.OTHER, days=20),
            date(2027, 1, 4),
        )
    assert refused.value.refusal is Refusal.PAST_NEXT_CYCLE
    assert refused.value.details["next_start"] == date(2027, 1, 25)


def test_a_delay_must_move_later(catalog: Catalog) -> None:
    plan = make(catalog, "nivolumab-240-q2w", date(2027, 1, 4))
    current = schedule_of(plan, catalog.port_rules)
    with pytest.raises(ChangeRefused) as refused:
        apply(
            catalog,
            plan,
            changes.delay(current, (1, 2, 1), DelayReason.OTHER, to=date(2027, 1, 18)),
            date(2027, 1, 4),
        )
    assert refused.value.refusal is Refusal.NOT_LATER
    with pytest.raises(ChangeRefused):
        changes.delay(current, (1, 99, 1), DelayReason.OTHER, days=3)


def test_an_omitted_dose_shifts_nothing_and_does_not_count_against_the_cap(
    catalog: Catalog,
) -> None:
    plan = make(catalog, "pembrolizumab-pemetrexed-platinum-kn189", date(2027, 1, 4))
    current = schedule_of(plan, catalog.port_rules)
    change = changes.omit(current, (2, 1, 1), ("pembrolizumab",), reason="hepatitis")
    after = schedule_of(apply(catalog, plan, change, date(2027, 3, 20)), catalog.port_rules)
    assert [s.date for s in after.sessions] == [s.date for s in current.sessions]
    session = after.sessions[4]
    assert session.agents == ("pemetrexed",)
    assert [d.inn for d in session.omitted] == ["pembrolizumab"]
    # Caps count what is given: the 35th pembrolizumab now comes one cycle later.
    wide = Plan(
        "p",
        PATIENT,
        plan.regimen,
        plan.start,
        ledger=apply(catalog, plan, change, date(2027, 3, 20)).ledger,
    )
    from planner.core.engine import plan as engine_plan
    from planner.core.plan import plan_state

    sessions = engine_plan(
        wide.regimen, wide.start, until=date(2030, 1, 1), adjustments=plan_state(wide).adjustments
    ).sessions
    with_pembro = [i for i, s in enumerate(sessions) if "pembrolizumab" in s.agents]
    assert len(with_pembro) == 35
    assert with_pembro[-1] == 35  # the 36th session, not the 35th


def test_a_whole_session_omitted_has_no_blood_test(catalog: Catalog) -> None:
    plan = make(catalog, "nivolumab-240-q2w", date(2027, 1, 4))
    current = schedule_of(plan, catalog.port_rules)
    after = schedule_of(
        apply(catalog, plan, changes.omit(current, (1, 2, 1)), date(2027, 1, 10)),
        catalog.port_rules,
    )
    assert after.sessions[1].status is SessionStatus.OMITTED
    assert after.sessions[1].date == date(2027, 1, 18)
    labs = [(e.date, e.session) for e in after.events if e.kind is EventKind.LAB]
    assert 1 not in [session for _day, session in labs]
    assert len(labs) == len(current.sessions) - 1


def test_given_on_another_day(catalog: Catalog) -> None:
    grid = make(catalog, "pembrolizumab-200-q3w", date(2027, 1, 4))
    reanchor = make(catalog, "pembrolizumab-200-q3w", date(2027, 1, 4), policy=Policy.REANCHOR)
    for plan, third in ((grid, date(2027, 2, 15)), (reanchor, date(2027, 2, 17))):
        given = apply(catalog, plan, Give((1, 2, 1), date(2027, 1, 27)), date(2027, 1, 28))
        after = schedule_of(given, catalog.port_rules)
        assert after.sessions[1].status is SessionStatus.GIVEN
        assert after.sessions[1].date == date(2027, 1, 27)
        assert after.sessions[2].date == third  # reanchor follows the day it was given
    with pytest.raises(ChangeRefused) as refused:
        apply(catalog, grid, Give((1, 2, 1), date(2027, 1, 27)), date(2027, 1, 26))
    assert refused.value.refusal is Refusal.IN_THE_FUTURE
    given = apply(catalog, grid, Give((1, 1, 1), date(2027, 1, 4)), date(2027, 1, 4))
    with pytest.raises(ChangeRefused) as refused:
        apply(catalog, given, Give((1, 1, 1), date(2027, 1, 4)), date(2027, 1, 4))
    assert refused.value.refusal is Refusal.ALREADY_GIVEN


def test_stopping_a_plan(catalog: Catalog) -> None:
    plan = make(catalog, "mfolfox6-q14", date(2027, 1, 4))
    # Cycle 2 on Monday 18 January; its pump comes off on Wednesday 20.
    stopped = apply(catalog, plan, Stop(date(2027, 1, 19), "progression"), date(2027, 1, 19))
    after = schedule_of(stopped, catalog.port_rules)
    assert [s.date for s in after.sessions] == [date(2027, 1, 4), date(2027, 1, 18)]
    assert days_of(after, EventKind.PUMP_DISCONNECT) == [date(2027, 1, 6), date(2027, 1, 20)]
    assert after.stopped
    with pytest.raises(ChangeRefused) as refused:
        apply(catalog, stopped, Stop(date(2027, 1, 25), "again"), date(2027, 1, 25))
    assert refused.value.refusal is Refusal.ALREADY_STOPPED


def test_checkmate_067_with_suspected_progression(catalog: Catalog) -> None:
    plan = make(catalog, "ipilimumab-nivolumab-melanoma-cm067", date(2027, 1, 4))
    before = schedule_of(plan, catalog.port_rules)
    # Induction 4, 25 January, 15 February, 8 March; maintenance every 14 days from
    # 29 March (Easter Monday -> Tuesday 30), then 12 April, 26 April... 21 June.
    assert [s.date for s in before.sessions[:6]] == [
        date(2027, 1, 4),
        date(2027, 1, 25),
        date(2027, 2, 15),
        date(2027, 3, 8),
        date(2027, 3, 30),
        date(2027, 4, 12),
    ]
    progression = SuspectProgression(imaging=date(2027, 5, 7), stable_confirmed_by=CLINICIAN)
    after = schedule_of(apply(catalog, plan, progression, date(2027, 5, 10)), catalog.port_rules)
    # Target +42 days: Friday 18 June, which is the latest open day in the week before the
    # session of Monday 21 June it informs; the oncologist reads it at that session.
    scans = [e for e in after.events if e.kind is EventKind.CONFIRMATION_SCAN]
    assert [(e.date, after.sessions[e.session].date) for e in scans] == [
        (date(2027, 6, 18), date(2027, 6, 21))
    ]
    assert date(2027, 6, 21) in days_of(after, EventKind.CONSULTATION, "progression:2027-05-07")
    # Treatment continues: no session is removed.
    assert [s.date for s in after.sessions] == [s.date for s in before.sessions]


def test_a_routine_scan_less_than_4_weeks_after_a_suspected_progression_is_not_planned(
    catalog: Catalog,
) -> None:
    """iRECIST disregards a scan done less than 4 weeks after the suspected progression
    (RECIST Working Group FAQ: 2 days' variance, so it counts from day +26)."""
    plan = make(catalog, "pembrolizumab-200-q3w", date(2027, 1, 4))
    # Every 21 days: 4 and 25 January, 15 February, 8 March, 30 March (Easter Monday 29),
    # 19 April, 10 and 31 May, 21 June, 12 July... Response scans every 9 weeks, on the
    # latest open day from D-7 to D-2 of the session on or after: 8 March -> Friday 5 March;
    # 10 May -> Friday 7 May (Saturday 8 May closed); 12 July -> Friday 9 July.
    routine = days_of(schedule_of(plan, catalog.port_rules), EventKind.IMAGING)
    assert routine[:3] == [date(2027, 3, 5), date(2027, 5, 7), date(2027, 7, 9)]

    def after(imaging: date) -> PlanSchedule:
        suspected = SuspectProgression(imaging, stable_confirmed_by=CLINICIAN)
        changed = apply(catalog, plan, suspected, date(2027, 5, 7))
        return schedule_of(changed, catalog.port_rules)

    # An unscheduled scan on Friday 30 April suggests progression: the routine scan of
    # Friday 7 May, 7 days later, is not planned.
    suspected = after(date(2027, 4, 30))
    assert days_of(suspected, EventKind.IMAGING)[:2] == [date(2027, 3, 5), date(2027, 7, 9)]
    assert [(s.day, s.progression) for s in suspected.skipped_scans] == [
        (date(2027, 5, 7), date(2027, 4, 30))
    ]
    assert suspected.sessions[suspected.skipped_scans[0].session].date == date(2027, 5, 10)
    # The confirmation scan takes its place: target 30 April + 42 = Friday 11 June; it
    # informs the session of Monday 21 June, so Friday 18 June (within +28..+56 days).
    assert days_of(suspected, EventKind.CONFIRMATION_SCAN) == [date(2027, 6, 18)]
    # 7 May is 25 days after Monday 12 April: still disregarded...
    assert [s.day for s in after(date(2027, 4, 12)).skipped_scans] == [date(2027, 5, 7)]
    # ...and 26 days after Sunday 11 April: it counts, and stays.
    kept = after(date(2027, 4, 11))
    assert kept.skipped_scans == ()
    assert date(2027, 5, 7) in days_of(kept, EventKind.IMAGING)
    # The routine scan that showed the progression is that imaging: it stays, and so does
    # the next one, 63 days later.
    itself = after(date(2027, 5, 7))
    assert itself.skipped_scans == ()
    assert days_of(itself, EventKind.IMAGING)[:3] == routine[:3]


def test_progression_is_refused_without_immunotherapy(catalog: Catalog) -> None:
    plan = make(catalog, "mfolfox6-q14", date(2027, 1, 4))
    with pytest.raises(ChangeRefused) as refused:
        apply(catalog, plan, SuspectProgression(date(2027, 3, 1)), date(2027, 3, 2))
    assert refused.value.refusal is Refusal.NO_IMMUNOTHERAPY
    io = make(catalog, "nivolumab-240-q2w", date(2027, 1, 4))
    with pytest.raises(ChangeRefused) as refused:
        apply(
            catalog,
            io,
            SuspectProgression(date(2027, 3, 1), 20, stable_confirmed_by=CLINICIAN),
            date(2027, 3, 2),
        )
    assert refused.value.refusal is Refusal.CONFIRMATION_WINDOW


@pytest.mark.parametrize("clinician", ["", "   "])
def test_going_on_after_a_suspected_progression_needs_a_clinician_to_confirm_stability(
    catalog: Catalog, clinician: str
) -> None:
    """iRECIST: treatment beyond a suspected progression only for a clinically stable
    patient. Without a named clinician confirming it, the change is refused and nothing is
    recorded; with one, the ledger keeps who."""
    plan = make(catalog, "nivolumab-240-q2w", date(2027, 1, 4))
    with pytest.raises(ChangeRefused) as refused:
        apply(
            catalog,
            plan,
            SuspectProgression(date(2027, 3, 1), stable_confirmed_by=clinician),
            date(2027, 3, 2),
        )
    assert refused.value.refusal is Refusal.NOT_CONFIRMED_STABLE
    with pytest.raises(ChangeRefused):
        apply(catalog, plan, SuspectProgression(date(2027, 3, 1)), date(2027, 3, 2))
    confirmed = apply(
        catalog,
        plan,
        SuspectProgression(date(2027, 3, 1), stable_confirmed_by=CLINICIAN),
        date(2027, 3, 2),
    )
    [entry] = confirmed.ledger
    assert isinstance(entry.change, SuspectProgression)
    assert entry.change.stable_confirmed_by == "Dr Moreau"
    # Without immunotherapy the regimen is the reason, confirmation or not.
    with pytest.raises(ChangeRefused) as refused:
        apply(
            catalog,
            make(catalog, "mfolfox6-q14", date(2027, 1, 4)),
            SuspectProgression(date(2027, 3, 1), stable_confirmed_by=clinician),
            date(2027, 3, 2),
        )
    assert refused.value.refusal is Refusal.NO_IMMUNOTHERAPY


def test_port_placement_before_the_first_session(catalog: Catalog) -> None:
    plan = make(catalog, "mfolfox6-q14", date(2027, 1, 11))  # Monday
    scheduled = schedule_of(plan, catalog.port_rules, today=date(2026, 12, 1))
    assert scheduled.port_task
    # 7 days before Monday 11 January is Monday 4 January, an open day.
    assert days_of(scheduled, EventKind.PORT_PLACEMENT) == [date(2027, 1, 4)]
    assert scheduled.notices == ()
    # 7 days before Monday 4 January is Monday 28 December... and New Year on a Friday:
    early = make(catalog, "mfolfox6-q14", date(2027, 1, 8))  # Friday
    # 1 January (Friday) is closed: the latest open day before it is Thursday 31 December.
    assert days_of(schedule_of(early, catalog.port_rules), EventKind.PORT_PLACEMENT) == [
        date(2026, 12, 31)
    ]
    # Too late: today is after the last possible day.
    late = schedule_of(plan, catalog.port_rules, today=date(2027, 1, 6))
    assert [n.warning for n in late.notices] == [PlanWarning.PORT_TOO_LATE]
    # A patient whose port is in place needs none.
    placed = make(catalog, "mfolfox6-q14", date(2027, 1, 11))
    placed = Plan(
        placed.id, Patient("p2", "A", "", "1", port_in_place=True), placed.regimen, placed.start
    )
    assert days_of(schedule_of(placed, catalog.port_rules), EventKind.PORT_PLACEMENT) == []


def test_a_recommended_port_is_placed_once_the_coordinator_confirms(catalog: Catalog) -> None:
    plan = make(catalog, "carboplatin-paclitaxel-q21", date(2027, 1, 11))
    scheduled = schedule_of(plan, catalog.port_rules)
    assert scheduled.port.level.value == "recommended"
    assert not scheduled.port_task
    confirmed = apply(catalog, plan, ConfirmPort(), date(2027, 1, 1))
    assert schedule_of(confirmed, catalog.port_rules).port_task
    with pytest.raises(ChangeRefused) as refused:
        apply(
            catalog,
            make(catalog, "mfolfox6-q14", date(2027, 1, 11)),
            ConfirmPort(),
            date(2027, 1, 1),
        )
    assert refused.value.refusal is Refusal.PORT_ALREADY_REQUIRED


def test_monitoring_imaging_and_consultations(catalog: Catalog) -> None:
    plan = make(
        catalog,
        "pembrolizumab-200-q3w",
        date(2027, 1, 4),
        options=PlanOptions(imaging_weeks=12, consultation_every=2),
    )
    scheduled = schedule_of(plan, catalog.port_rules)
    sessions = [s.date for s in scheduled.sessions]
    # TSH with the blood test of every 3-week cycle (ASCO: every 4 to 6 weeks; issue 21):
    # the Saturday before the Mondays 4 and 25 January, 15 February and 8 March, and before
    # Tuesday 30 March (Easter Monday 29 is a holiday, Sunday 28 no lab day: Saturday 27).
    thyroid = days_of(scheduled, EventKind.MONITORING, "thyroid")
    assert thyroid[:5] == [
        date(2027, 1, 2),
        date(2027, 1, 23),
        date(2027, 2, 13),
        date(2027, 3, 6),
        date(2027, 3, 27),
    ]
    # Imaging every 12 weeks, on an open day of the week before the session it informs:
    # week 12 = Monday 29 March (Easter Monday), session on Tuesday 30 March -> scan on
    # Friday 26 March (the latest open day from D-7 to D-2).
    assert sessions[4] == date(2027, 3, 30)
    assert days_of(scheduled, EventKind.IMAGING)[0] == date(2027, 3, 26)
    # A consultation every 2 cycles, on the day of C1, C3, C5...
    consultations = days_of(scheduled, EventKind.CONSULTATION, "cycle")
    assert consultations[:3] == [sessions[0], sessions[2], sessions[4]]
    # The baseline chest X-ray in the week before C1.
    assert days_of(scheduled, EventKind.MONITORING, "chest-xray:baseline") == [date(2026, 12, 31)]


def test_cardiac_function_every_three_months_on_trastuzumab(catalog: Catalog) -> None:
    plan = make(catalog, "trastuzumab-q3w-adjuvant", date(2027, 1, 4))
    scheduled = schedule_of(plan, catalog.port_rules)
    lvef = [e for e in scheduled.events if e.kind is EventKind.MONITORING]
    # Sessions every 21 days from Monday 4 January: ... 30 March (Easter Monday moved),
    # 19 April, ... 21 June, 12 July, ... 13 September, 4 October. LVEF at baseline, then
    # for the first session on or after 4 April, 4 July and 4 October.
    informed = [scheduled.sessions[e.session].date for e in lvef if e.code == "cardiac"]
    assert informed == [date(2027, 4, 19), date(2027, 7, 12), date(2027, 10, 4)]
    # The baseline LVEF, its result needed before C1: Thursday 31 December (1 January and
    # the weekend closed).
    assert (lvef[0].code, lvef[0].date) == ("cardiac:before-c1", date(2026, 12, 31))
    assert all(
        scheduled.sessions[e.session].date - e.date <= (date(2027, 1, 8) - date(2027, 1, 1))
        for e in lvef
    )


def test_the_dpd_test_goes_ten_days_before_c1_for_its_result(catalog: Catalog) -> None:
    """HAS/INCa 2018: uracilaemia before any fluoropyrimidine, its result (about 10 days)
    known before the first dose."""
    from planner.explain import event_text

    plan = make(catalog, "mfolfox6-q14", date(2027, 1, 11))  # Monday
    scheduled = schedule_of(plan, catalog.port_rules)
    # 10 days before Monday 11 January is Friday 1 January, New Year's Day: Thursday 31
    # December, the latest open day at least 10 days before C1.
    dpd = [e for e in scheduled.events if e.code == "other:before-c1"]
    assert [(e.kind, e.date, e.session) for e in dpd] == [
        (EventKind.MONITORING, date(2026, 12, 31), 0)
    ]
    assert event_text(dpd[0]) == (
        "DPD deficiency test (uracilaemia blood test) before the first dose of 5-FU, unless "
        "already known — result needed before the first session"
    )
    # From Monday 8 March: Friday 26 February, an open day. CAPOX from Tuesday 4 May:
    # Saturday 24 April is closed, so Friday 23 April.
    later = schedule_of(make(catalog, "mfolfox6-q14", date(2027, 3, 8)), catalog.port_rules)
    assert days_of(later, EventKind.MONITORING, "other:before-c1") == [date(2027, 2, 26)]
    capox = schedule_of(make(catalog, "capox-q21", date(2027, 5, 4)), catalog.port_rules)
    assert days_of(capox, EventKind.MONITORING, "other:before-c1") == [date(2027, 4, 23)]
    # Every fluoropyrimidine regimen of the catalogue asks for it, and only those.
    with_dpd = {
        r.id for r in catalog for m in r.monitoring if m.result_before_c1 and m.result_days == 10
    }
    fluoropyrimidines = {
        r.id for r in catalog if {"fluorouracil", "capecitabine"} & {a.inn for a in r.agents}
    }
    assert (
        with_dpd
        == fluoropyrimidines
        == {
            "bevacizumab-5mgkg-q2w-with-folfox-or-folfiri",
            "capox-q21",
            "cetuximab-weekly-or-q2w-with-folfiri",
            "folfiri-q14",
            "mfolfirinox-q14",
            "mfolfox6-q14",
            "nivolumab-mfolfox6-cm649",
        }
    )


def test_lvef_before_an_anthracycline_is_known_before_c1(catalog: Catalog) -> None:
    # AC from Monday 4 January 2027: two days before is Saturday 2, New Year's Day is
    # Friday 1: the echocardiogram on Thursday 31 December, its report ready before C1.
    for regimen in ("ac-q21-then-paclitaxel-weekly-x12", "dose-dense-ac-then-paclitaxel-q14"):
        scheduled = schedule_of(make(catalog, regimen, date(2027, 1, 4)), catalog.port_rules)
        lvef = [e for e in scheduled.events if e.kind is EventKind.MONITORING]
        assert [(e.code, e.date) for e in lvef] == [("cardiac:before-c1", date(2026, 12, 31))]
    # The unit closed from Tuesday 5 to Friday 8 January (works), C1 on Tuesday 12: no open
    # day from D-2 (Sunday 10) to D-7 (Tuesday 5), and the day before (Monday 11) would
    # bring the report too late: Monday 4 January, the latest open day within a week of
    # D-2 (to D-9, Sunday 3).
    works = tuple(UnitClosure(date(2027, 1, d), "works") for d in (5, 6, 7, 8))
    closed = ClosureCalendar(ClosureSet.FR, unit_closures=works)
    plan = make(catalog, "ac-q21-then-paclitaxel-weekly-x12", date(2027, 1, 12), calendar=closed)
    scheduled = schedule_of(plan, catalog.port_rules)
    assert days_of(scheduled, EventKind.MONITORING, "cardiac:before-c1") == [date(2027, 1, 4)]
    assert scheduled.notices == ()
    # KEYNOTE-522 and the anti-HER2 regimens: the baseline LVEF too.
    for regimen in (
        "pembrolizumab-chemo-kn522",
        "trastuzumab-q3w-adjuvant",
        "trastuzumab-sc-600-q21",
        "pertuzumab-trastuzumab-docetaxel-q21",
        "pertuzumab-trastuzumab-sc-phesgo-q21",
        "trastuzumab-deruxtecan-q21",
    ):
        scheduled = schedule_of(make(catalog, regimen, date(2027, 1, 4)), catalog.port_rules)
        assert days_of(scheduled, EventKind.MONITORING, "cardiac:before-c1") == [
            date(2026, 12, 31)
        ], regimen


def test_two_checks_of_one_kind_before_c1_are_two_checks(catalog: Catalog) -> None:
    from dataclasses import replace

    from planner.core.plan_schedule import is_before_c1
    from planner.core.regimen import MonitoringKind, MonitoringRule
    from planner.core.text import Text

    regimen = catalog.regimen("mfolfox6-q14")
    other = MonitoringRule(
        MonitoringKind.OTHER, Text("ECG", "ECG"), baseline=True, result_before_c1=True
    )
    twice = replace(regimen, monitoring=(*regimen.monitoring, other))
    plan = Plan("plan-1", PATIENT, twice, date(2027, 3, 8))
    checks = [e for e in schedule_of(plan, catalog.port_rules).events if is_before_c1(e)]
    # The DPD test 10 days before (Friday 26 February), the ECG 2 days before (Saturday 6
    # March is closed: Friday 5).
    assert [(e.code, e.date) for e in checks] == [
        ("other:before-c1", date(2027, 2, 26)),
        ("other:before-c1-2", date(2027, 3, 5)),
    ]


def test_blood_pressure_and_urine_protein_before_each_bevacizumab_dose(catalog: Catalog) -> None:
    """Avastin SmPC 4.4: blood pressure and a urine dipstick before starting and during
    treatment, read here as at the consultation before each dose, C1's being the baseline."""
    for regimen, sessions in (
        # Every 14 days from Monday 4 January 2027.
        (
            "bevacizumab-5mgkg-q2w-with-folfox-or-folfiri",
            [date(2027, 1, 4), date(2027, 1, 18), date(2027, 2, 1), date(2027, 2, 15)],
        ),
        # Every 21 days: 4 January, 25 January, 15 February, 8 March.
        (
            "atezolizumab-bevacizumab-imbrave150",
            [date(2027, 1, 4), date(2027, 1, 25), date(2027, 2, 15), date(2027, 3, 8)],
        ),
    ):
        scheduled = schedule_of(make(catalog, regimen, date(2027, 1, 4)), catalog.port_rules)
        checks = [
            e
            for e in scheduled.events
            if e.kind is EventKind.CONSULTATION and e.code == "consultation"
        ]
        assert [e.date for e in checks[:4]] == sessions, regimen
        assert len(checks) == len([s for s in scheduled.sessions if "bevacizumab" in s.agents])
        assert all(e.date == scheduled.sessions[e.session].date for e in checks)
        assert checks[0].label is not None
        assert (
            checks[0].label.en
            == "Blood pressure and urine dipstick for protein, before bevacizumab"
        )
        # The check is made at the cycle's consultation, not at a second one.
        assert days_of(scheduled, EventKind.CONSULTATION, "cycle") == []


def test_antiemetics_at_home_after_ac_and_cisplatin(catalog: Catalog) -> None:
    """MASCC/ESMO 2023: aprepitant on the day and the 2 days after; after cisplatin,
    dexamethasone and olanzapine to day 4; none after the paclitaxel of the AC regimens."""
    from planner.explain import event_text

    def reminders(regimen: str) -> list[tuple[date, date | None]]:
        scheduled = schedule_of(make(catalog, regimen, date(2027, 1, 4)), catalog.port_rules)
        return [
            (e.date, e.until)
            for e in scheduled.events
            if e.kind is EventKind.PREMEDICATION and e.code.startswith("antiemetics:")
        ]

    # AC every 21 days from Monday 4 January: 25 January, 15 February, 8 March; then weekly
    # paclitaxel from 29 March (Easter Monday, moved to Tuesday 30), without them.
    assert reminders("ac-q21-then-paclitaxel-weekly-x12") == [
        (date(2027, 1, 4), date(2027, 1, 6)),
        (date(2027, 1, 25), date(2027, 1, 27)),
        (date(2027, 2, 15), date(2027, 2, 17)),
        (date(2027, 3, 8), date(2027, 3, 10)),
    ]
    # Dose-dense AC every 14 days: 4 and 18 January, 1 and 15 February.
    assert reminders("dose-dense-ac-then-paclitaxel-q14") == [
        (date(2027, 1, 4), date(2027, 1, 6)),
        (date(2027, 1, 18), date(2027, 1, 20)),
        (date(2027, 2, 1), date(2027, 2, 3)),
        (date(2027, 2, 15), date(2027, 2, 17)),
    ]
    # KEYNOTE-522: AC is the second phase, 21 days after the fourth paclitaxel-carboplatin
    # cycle (8 March): 29 March is Easter Monday, so Tuesday 30 March; then on the grid 19
    # April, 10 May, 31 May.
    assert reminders("pembrolizumab-chemo-kn522") == [
        (date(2027, 3, 30), date(2027, 4, 1)),
        (date(2027, 4, 19), date(2027, 4, 21)),
        (date(2027, 5, 10), date(2027, 5, 12)),
        (date(2027, 5, 31), date(2027, 6, 2)),
    ]
    # Cisplatin on D1 every 21 days (etoposide D1-D3): from the day to 3 days after; cycle 5
    # on Easter Monday 29 March moves to Tuesday 30.
    assert reminders("cisplatin-etoposide-q21") == [
        (date(2027, 1, 4), date(2027, 1, 7)),
        (date(2027, 1, 25), date(2027, 1, 28)),
        (date(2027, 2, 15), date(2027, 2, 18)),
        (date(2027, 3, 8), date(2027, 3, 11)),
        (date(2027, 3, 30), date(2027, 4, 2)),
        (date(2027, 4, 19), date(2027, 4, 22)),
    ]
    # TOPAZ-1: cisplatin on D1 and D8 of the 8 chemotherapy cycles, none in maintenance.
    topaz = reminders("gemcitabine-cisplatin-durvalumab-topaz1")
    assert topaz[:4] == [
        (date(2027, 1, 4), date(2027, 1, 7)),
        (date(2027, 1, 11), date(2027, 1, 14)),
        (date(2027, 1, 25), date(2027, 1, 28)),
        (date(2027, 2, 1), date(2027, 2, 4)),
    ]
    assert len(topaz) == 16
    scheduled = schedule_of(
        make(catalog, "cisplatin-etoposide-q21", date(2027, 1, 4)), catalog.port_rules
    )
    first = next(e for e in scheduled.events if e.code.startswith("antiemetics:"))
    assert first.code == "antiemetics:+0:+3"
    assert event_text(first) == (
        "Antiemetics by mouth as prescribed: aprepitant 3 days, dexamethasone and olanzapine "
        "4 days — the day of the session and the 3 days after it"
    )


def test_pemetrexed_premedication_as_in_the_label(catalog: Catalog) -> None:
    """CLINICAL_NOTES §2.2: C1D1 Monday 4 January 2027."""
    plan = make(catalog, "pembrolizumab-pemetrexed-platinum-kn189", date(2027, 1, 4))
    scheduled = schedule_of(plan, catalog.port_rules)
    premed = {e.code: e.date for e in scheduled.events if e.kind is EventKind.PREMEDICATION}
    assert premed["folic-acid:start"] == date(2026, 12, 28)  # 7 days before
    # B12 in the week before C1; 1 January is a public holiday: Thursday 31 December.
    assert premed["vitamin-b12:first"] == date(2026, 12, 31)
    # then every 9 weeks, with the session on or after: C4 on Monday 8 March.
    assert premed["vitamin-b12:1"] == date(2027, 3, 8)
    dexamethasone = [
        (e.date, e.until)
        for e in scheduled.events
        if e.kind is EventKind.PREMEDICATION and e.code.startswith("dexamethasone")
    ]
    # One entry from the day before to the day after: Sunday 3 to Tuesday 5 January.
    assert dexamethasone[0] == (date(2027, 1, 3), date(2027, 1, 5))
    assert len(dexamethasone) == len([s for s in scheduled.sessions if "pemetrexed" in s.agents])


def test_folic_acid_ends_21_days_after_the_last_pemetrexed_of_checkmate_9la(
    catalog: Catalog,
) -> None:
    """Pemetrexed label: folic acid from 7 days before the first dose to 21 days after the
    last. In CheckMate 9LA pemetrexed is given in the first 6-week phase only (D1 and D22),
    while nivolumab and ipilimumab go on: its last dose is known, and so is the end."""
    plan = make(catalog, "nivolumab-ipilimumab-chemo-cm9la", date(2027, 1, 4))
    scheduled = schedule_of(plan, catalog.port_rules)
    pemetrexed = [s.date for s in scheduled.sessions if "pemetrexed" in s.agents]
    # D1 Monday 4 January, D22 Monday 25 January (both open).
    assert pemetrexed == [date(2027, 1, 4), date(2027, 1, 25)]
    folic = {
        e.code: e.date
        for e in scheduled.events
        if e.kind is EventKind.PREMEDICATION and e.code.startswith("folic-acid")
    }
    # From Monday 28 December 2026 (7 days before) to Monday 15 February (25 January + 21).
    assert folic == {"folic-acid:start": date(2026, 12, 28), "folic-acid:stop": date(2027, 2, 15)}
    assert scheduled.sessions[-1].date > date(2028, 12, 1)  # the immunotherapy goes on
    # KEYNOTE-189: pemetrexed maintenance until progression, no end to say yet...
    kn189 = schedule_of(
        make(catalog, "pembrolizumab-pemetrexed-platinum-kn189", date(2027, 1, 4)),
        catalog.port_rules,
    )
    assert "folic-acid:stop" not in {e.code for e in kn189.events}
    # ...until the plan stops: 21 days after the last dose given.
    stopped = schedule_of(
        apply(
            catalog,
            kn189.plan,
            Stop(date(2027, 1, 26), "progression"),
            date(2027, 1, 26),
        ),
        catalog.port_rules,
    )
    # C2 on Monday 25 January, the last session before the stop: 25 January + 21 days.
    assert days_of(stopped, EventKind.PREMEDICATION, "folic-acid:stop") == [date(2027, 2, 15)]


def test_paclitaxel_dexamethasone_the_evening_before(catalog: Catalog) -> None:
    plan = make(catalog, "carboplatin-paclitaxel-q21", date(2027, 1, 5))  # Tuesday
    scheduled = schedule_of(plan, catalog.port_rules)
    first = next(e for e in scheduled.events if e.kind is EventKind.PREMEDICATION)
    assert (first.date, first.until, first.code) == (
        date(2027, 1, 4),
        date(2027, 1, 5),
        "dexamethasone:-1:+0",
    )
    assert first.label is not None
    assert "evening" in first.label.en
    from planner.explain import event_text

    assert event_text(first) == (
        "Dexamethasone tablets, 12 hours and 6 hours before paclitaxel (the evening before "
        "and in the morning) — the day before and the day of the session"
    )


def test_undo_restores_the_schedule_and_redo_brings_the_change_back(catalog: Catalog) -> None:
    plan = make(catalog, "pembrolizumab-pemetrexed-platinum-kn189", date(2027, 1, 4))
    original = schedule_of(plan, catalog.port_rules)
    delayed = apply(
        catalog,
        plan,
        changes.delay(original, (1, 3, 1), DelayReason.CAPACITY, days=7),
        date(2027, 2, 10),
    )
    undone = apply(catalog, delayed, changes.undo(delayed), date(2027, 2, 10))
    assert schedule_of(undone, catalog.port_rules).sessions == original.sessions
    assert schedule_of(undone, catalog.port_rules).events == original.events
    assert len(undone.ledger) == 2  # the audit trail keeps both
    redone = apply(catalog, undone, Revert(2), date(2027, 2, 10))
    assert (
        schedule_of(redone, catalog.port_rules).sessions
        == schedule_of(delayed, catalog.port_rules).sessions
    )
    with pytest.raises(ChangeRefused):
        changes.undo(plan)


def test_preview_lists_every_date_that_moves(catalog: Catalog) -> None:
    plan = make(
        catalog, "nivolumab-480-q4w", date(2027, 1, 4), calendar=ClosureCalendar(ClosureSet.NONE)
    )
    current = schedule_of(plan, catalog.port_rules)
    change = changes.delay(current, (1, 26, 1), DelayReason.TOXICITY, days=7)
    preview = changes.preview(plan, change, today=date(2028, 11, 1), port_rules=catalog.port_rules)
    # Every 28 days from 4 January 2027: C26 on 4 December 2028, C27 on 1 January 2029, the
    # last within two years. C26 moves a week; C27 moves past the two years and leaves.
    sessions = [m for m in preview.moved if m.kind == "session"]
    assert [(m.session, m.before, m.after) for m in sessions] == [
        ((1, 26, 1), date(2028, 12, 4), date(2028, 12, 11)),
        ((1, 27, 1), date(2029, 1, 1), None),
    ]
    assert preview.sessions_moved == 2
    assert plan.ledger == ()  # a preview changes nothing
