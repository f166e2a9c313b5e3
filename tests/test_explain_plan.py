"""A change's preview in one line: which sessions move, by how much, and how many dates."""

from __future__ import annotations

from datetime import date

from planner.catalog import Catalog
from planner.core import changes
from planner.core.patient import Patient
from planner.core.plan import Change, Give, Plan
from planner.core.plan_schedule import schedule_of
from planner.core.schedule import DelayReason
from planner.explain_plan import preview_summary
from planner.i18n import set_language

TODAY = date(2027, 3, 1)


def plan_of(catalog: Catalog, regimen: str) -> Plan:
    patient = Patient("p", "MARTIN", "Anne", "H1")
    return Plan("p", patient, catalog.regimen(regimen), date(2027, 3, 8))


def summary(catalog: Catalog, plan: Plan, change: Change, today: date = TODAY) -> str:
    preview = changes.preview(plan, change, today=today, port_rules=catalog.port_rules)
    return preview_summary(preview, plan)


def test_a_delay_says_which_sessions_move_and_by_how_much(catalog: Catalog) -> None:
    plan = plan_of(catalog, "nivolumab-480-q4w")
    current = schedule_of(plan, catalog.port_rules, TODAY)
    delay = changes.delay(current, (1, 3, 1), DelayReason.TOXICITY, days=7)
    # Two years of four-weekly cycles, C3 to C26, a week later; one lands on a closed day
    # and goes to the next open one. C27 would fall past the two years: it is said to go.
    # Each of these 25 sessions moves with its blood test, its consultation and its thyroid
    # check (every 4-week cycle has one), 100 dates, and so do 14 response scans: 114.
    assert summary(catalog, plan, delay) == (
        "C3 D1 to C26 D1 move by 7 to 8 days; 1 session no longer takes place; 114 dates in all."
    )


def test_one_day_of_a_cycle_moved_alone_is_said_alone(catalog: Catalog) -> None:
    plan = plan_of(catalog, "gemcitabine-carboplatin-d1-d8-q21")
    current = schedule_of(plan, catalog.port_rules, TODAY)
    delay = changes.delay(current, (1, 1, 8), DelayReason.PATIENT_REQUEST, days=2)
    assert summary(catalog, plan, delay).startswith("C1 D8 moves by 2 days; ")


def test_a_dose_given_earlier_moves_a_reanchored_plan_earlier(catalog: Catalog) -> None:
    from dataclasses import replace

    from planner.core.schedule import Policy

    plan = replace(plan_of(catalog, "nivolumab-240-q2w"), policy=Policy.REANCHOR)
    text = summary(catalog, plan, Give((1, 1, 1), date(2027, 3, 5)), today=date(2027, 3, 8))
    assert " earlier; " in text


def test_phases_are_named_and_french_says_j(catalog: Catalog) -> None:
    plan = plan_of(catalog, "pembrolizumab-pemetrexed-platinum-kn189")
    current = schedule_of(plan, catalog.port_rules, TODAY)
    delay = changes.delay(current, (1, 2, 1), DelayReason.TOXICITY, days=7)
    set_language("fr")
    text = summary(catalog, plan, delay)
    assert text.startswith("Induction C2 J1 à Entretien C")
    assert text.endswith(" dates en tout.")


def test_nothing_moving_is_said(catalog: Catalog) -> None:
    preview = changes.Preview(Give((1, 1, 1), date(2027, 3, 8)))
    assert preview_summary(preview, plan_of(catalog, "nivolumab-240-q2w")) == "No date moves."


def test_a_stop_says_its_sessions_no_longer_take_place(catalog: Catalog) -> None:
    """A stop moves no session: it takes them out of the plan. Its preview said "No session
    moves; 63 dates change." over a table of dates going to "—"."""
    from planner.core.plan import Stop

    plan = plan_of(catalog, "mfolfox6-q14")
    text = summary(catalog, plan, Stop(date(2027, 3, 8), "plan entered by mistake"))
    assert text.startswith("12 sessions no longer take place; ")
    assert text.endswith(" dates in all.")
    set_language("fr")
    text = summary(catalog, plan, Stop(date(2027, 3, 8), "plan saisi par erreur"))
    assert text.startswith("12 séances n'ont plus lieu\u00a0; ")
