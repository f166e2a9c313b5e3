"""Response imaging follows what the treatment is for (issue 21).

RECIST 1.1 (Eisenhauer et al., Eur J Cancer 2009) assesses response on measurable disease:
a regimen given after surgery has none left, one given before it is judged at surgery. Such
regimens plan no response scan and no iRECIST confirmation scan, unless the coordinator asks
for imaging in one plan.

Expected dates are worked out by hand below. Calendar facts: 2027-01-04 is a Monday; Easter
Monday 2027 is 29 March; Saturday 8 May 2027 is a public holiday.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from planner.catalog import Catalog
from planner.core import changes
from planner.core.changes import ChangeRefused, Refusal
from planner.core.patient import Patient
from planner.core.plan import (
    DEFAULT_IMAGING_WEEKS,
    Change,
    Plan,
    PlanOptions,
    SuspectProgression,
    imaging_weeks,
    measures_response,
    regimen_imaging_weeks,
)
from planner.core.plan_schedule import PlanSchedule, schedule_of
from planner.core.regimen import Intent
from planner.core.schedule import EventKind

AT = datetime(2027, 1, 1, 9, 0, tzinfo=UTC)
PATIENT = Patient("patient-1", "Martin", "Jeanne", "H123456")

# The regimens given around surgery, and what for (their files say why, with sources).
AROUND_SURGERY = {
    "ac-q21-then-paclitaxel-weekly-x12": Intent.PERIOPERATIVE,  # adjuvant or neoadjuvant
    "dose-dense-ac-then-paclitaxel-q14": Intent.PERIOPERATIVE,
    "trastuzumab-q3w-adjuvant": Intent.ADJUVANT,
    "mfolfox6-q14": Intent.ADJUVANT,  # the file encodes the 12 adjuvant cycles
    "capox-q21": Intent.ADJUVANT,
    "mfolfirinox-q14": Intent.ADJUVANT,
    "trastuzumab-sc-600-q21": Intent.PERIOPERATIVE,  # neoadjuvant then adjuvant
    "pertuzumab-trastuzumab-sc-phesgo-q21": Intent.PERIOPERATIVE,
    "pembrolizumab-chemo-kn522": Intent.PERIOPERATIVE,
}


def make(catalog: Catalog, regimen_id: str, weeks: int | None = None) -> Plan:
    options = PlanOptions(imaging_weeks=weeks)
    return Plan("plan-1", PATIENT, catalog.regimen(regimen_id), date(2027, 1, 4), options=options)


def apply(catalog: Catalog, plan: Plan, change: Change, today: date) -> Plan:
    return changes.apply(
        plan, change, author="coordinator", at=AT, today=today, port_rules=catalog.port_rules
    )


def scans(schedule: PlanSchedule, kind: EventKind) -> list[tuple[date, date]]:
    """(the scan's day, the day of the session it informs)."""
    return [(e.date, schedule.sessions[e.session].date) for e in schedule.events if e.kind is kind]


def test_the_regimens_given_around_surgery_say_so(catalog: Catalog) -> None:
    marked = {r.id: r.intent for r in catalog if r.intent is not None}
    assert marked == AROUND_SURGERY
    for regimen in catalog:
        expected = 0 if regimen.id in AROUND_SURGERY else DEFAULT_IMAGING_WEEKS
        assert regimen_imaging_weeks(regimen) == expected, regimen.id
        assert regimen.measures_response is (regimen.id not in AROUND_SURGERY)


def test_adjuvant_mfolfox6_plans_no_imaging_unless_the_coordinator_asks(catalog: Catalog) -> None:
    plan = make(catalog, "mfolfox6-q14")
    assert imaging_weeks(plan) == 0
    assert scans(schedule_of(plan, catalog.port_rules), EventKind.IMAGING) == []
    # Asked for every 9 weeks: sessions every 14 days from Monday 4 January (C6 Monday
    # 15 March, C10 Monday 10 May, C12 Monday 7 June). Week 9 is Monday 8 March: the session
    # that follows is C6 on 15 March, scanned on the latest open day from D-7 to D-2, Friday
    # 12 March (Saturday 13 is closed). Week 18 is Monday 10 May, C10 itself: Saturday 8 May
    # is closed (a weekend and a holiday), so Friday 7 May. Week 27 (12 July) is after the
    # last session: no third scan.
    asked = schedule_of(make(catalog, "mfolfox6-q14", weeks=9), catalog.port_rules)
    assert scans(asked, EventKind.IMAGING) == [
        (date(2027, 3, 12), date(2027, 3, 15)),
        (date(2027, 5, 7), date(2027, 5, 10)),
    ]


def test_keynote_522_has_no_imaging_and_no_confirmation_scan(catalog: Catalog) -> None:
    """The neoadjuvant response is judged at surgery (pathological complete response), and
    after surgery nothing is left to measure: iRECIST does not apply."""
    plan = make(catalog, "pembrolizumab-chemo-kn522")
    assert not measures_response(plan)
    assert scans(schedule_of(plan, catalog.port_rules), EventKind.IMAGING) == []
    with pytest.raises(ChangeRefused) as refused:
        apply(
            catalog,
            plan,
            SuspectProgression(date(2027, 3, 5), stable_confirmed_by="Dr Moreau"),
            date(2027, 3, 8),
        )
    assert refused.value.refusal is Refusal.NO_RESPONSE_IMAGING
    assert refused.value.details == {"regimen": "pembrolizumab-chemo-kn522"}


def test_keynote_522_with_imaging_asked_for_gets_the_confirmation_scan(catalog: Catalog) -> None:
    """A coordinator who asks for imaging in the plan says there is disease to follow: then
    a suspected progression is confirmed as iRECIST says."""
    plan = make(catalog, "pembrolizumab-chemo-kn522", weeks=9)
    assert measures_response(plan)
    before = schedule_of(plan, catalog.port_rules)
    # Paclitaxel weekly, so sessions every Monday; week 9 is Monday 8 March (C4 D1): the
    # scan on Friday 5 March.
    assert scans(before, EventKind.IMAGING)[0] == (date(2027, 3, 5), date(2027, 3, 8))
    after = schedule_of(
        apply(
            catalog,
            plan,
            SuspectProgression(date(2027, 3, 5), stable_confirmed_by="Dr Moreau"),
            date(2027, 3, 8),
        ),
        catalog.port_rules,
    )
    # Target 5 March + 42 = Friday 16 April. The session after it is AC C2 on Monday 19 April
    # (AC C1 on 29 March, Easter Monday, moved to Tuesday 30; grid: C2 = 29 March + 21). The
    # latest open day from D-7 to D-2 before it is Friday 16 April, within +28..+56 days.
    assert scans(after, EventKind.CONFIRMATION_SCAN) == [(date(2027, 4, 16), date(2027, 4, 19))]


def test_a_regimen_with_no_response_imaging_and_no_intent(catalog: Catalog) -> None:
    """``response_imaging_weeks = 0`` alone marks a regimen without response imaging (a
    centre's copy of nivolumab for adjuvant melanoma); an explicit number beats the intent."""
    nivolumab = catalog.regimen("nivolumab-240-q2w")
    adjuvant_copy = replace(nivolumab, response_imaging_weeks=0)
    assert regimen_imaging_weeks(adjuvant_copy) == 0
    assert not adjuvant_copy.measures_response
    plan = Plan("plan-1", PATIENT, adjuvant_copy, date(2027, 1, 4))
    with pytest.raises(ChangeRefused) as refused:
        apply(
            catalog,
            plan,
            SuspectProgression(date(2027, 3, 1), stable_confirmed_by="Dr Moreau"),
            date(2027, 3, 2),
        )
    assert refused.value.refusal is Refusal.NO_RESPONSE_IMAGING
    # A metastatic regimen whose file sets its own interval; an adjuvant one that asks for
    # scans anyway gets them, and with them the iRECIST confirmation.
    assert regimen_imaging_weeks(replace(nivolumab, response_imaging_weeks=12)) == 12
    asks = replace(nivolumab, intent=Intent.ADJUVANT, response_imaging_weeks=12)
    assert regimen_imaging_weeks(asks) == 12
    assert not asks.measures_response
    assert measures_response(Plan("plan-2", PATIENT, asks, date(2027, 1, 4)))
    # Advanced disease says so explicitly: the default interval, and iRECIST applies.
    advanced = replace(nivolumab, intent=Intent.ADVANCED)
    assert regimen_imaging_weeks(advanced) == DEFAULT_IMAGING_WEEKS
    assert advanced.measures_response
