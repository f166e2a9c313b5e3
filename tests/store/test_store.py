"""Patients, plans and the ledger in a database: saved, reloaded, never lost or overwritten."""

from __future__ import annotations

import json
import logging
import stat
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.catalog import load_catalog
from planner.core import changes
from planner.core.changes import ChangeRefused
from planner.core.closures import ClosureSet, UnitClosure
from planner.core.plan import Change, Give, Plan, PlanOptions, Stop, SuspectProgression
from planner.core.plan_schedule import PlanSchedule, schedule_of
from planner.core.port import PortCriterion, PortLevel, PortRule
from planner.core.regimen import AgentClass, Minutes, Route
from planner.core.schedule import DelayReason, Policy, SessionKey
from planner.core.settings import UnitSettings
from planner.store import Conflict, Store, StoreError, codec
from tests.catalog.test_port_rules_file import rules as port_rule_strategy
from tests.store.conftest import AT

CATALOG = load_catalog()
RULES = CATALOG.port_rules


def test_a_plan_and_its_ledger_come_back_as_they_were_saved(store: Store, where: str) -> None:
    patient = store.add_patient("MARTIN", "Jeanne", "H001", author="cb", at=AT, contact="06 12")
    plan = store.create_plan(
        patient,
        CATALOG.regimen("pembrolizumab-pemetrexed-platinum-kn189"),
        date(2027, 1, 4),
        author="cb",
        at=AT,
        options=PlanOptions(imaging_weeks=6),
    )
    current = schedule_of(plan, RULES)
    plan = store.record(
        plan,
        changes.delay(current, (1, 3, 1), DelayReason.TOXICITY, days=7),
        author="cb",
        at=AT,
        today=date(2027, 2, 12),
        port_rules=RULES,
        note="neutropénie grade 3",
    )
    plan = store.record(
        plan,
        Give((1, 1, 1), date(2027, 1, 4)),
        author="ab",
        at=AT + timedelta(hours=1),
        today=date(2027, 2, 12),
        port_rules=RULES,
    )
    store.close()
    with Store.open(where) as reopened:
        loaded = reopened.plan(plan.id)
        assert loaded == plan
        assert schedule_of(loaded, RULES).events == schedule_of(plan, RULES).events
        assert [e.note for e in loaded.ledger] == ["neutropénie grade 3", ""]
        assert [e.author for e in loaded.ledger] == ["cb", "ab"]
        assert loaded.ledger[0].at == AT
        assert reopened.patients() == [patient]
        assert reopened.patient("H001") == patient


def test_the_clinician_confirming_stability_is_kept_and_older_entries_still_read() -> None:
    """A suspected progression now names the clinician who confirmed the patient clinically
    stable. The name is written only when there is one, so an entry recorded before reads
    back as it was (no name) and is stored as it always was."""
    confirmed = SuspectProgression(date(2027, 5, 7), 42, stable_confirmed_by="Dr Moreau")
    kind, payload = codec.change_to_json(confirmed)
    assert payload == {
        "imaging": "2027-05-07",
        "confirm_after_days": 42,
        "stable_confirmed_by": "Dr Moreau",
    }
    assert codec.change_from_json(kind, payload) == confirmed
    before = {"imaging": "2027-05-07", "confirm_after_days": 42}
    assert codec.change_to_json(SuspectProgression(date(2027, 5, 7)))[1] == before
    assert codec.change_from_json(kind, before) == SuspectProgression(date(2027, 5, 7))


def test_the_audit_trail_says_who_did_what_when_and_why(store: Store) -> None:
    patient = store.add_patient("DURAND", "Paul", "H002", author="cb", at=AT)
    patient = store.update_patient(
        patient, author="ab", at=AT, note="posée le 3/1", port_in_place=True
    )
    plan = store.create_plan(
        patient, CATALOG.regimen("mfolfox6-q14"), date(2027, 1, 11), author="cb", at=AT
    )
    store.record(
        plan,
        Stop(date(2027, 1, 12), "souhait du patient"),
        author="cb",
        at=AT,
        today=date(2027, 1, 12),
        port_rules=RULES,
    )
    trail = store.audit(patient)
    assert [(t["kind"], t["author"]) for t in trail] == [
        ("patient-created", "cb"),
        ("patient-updated", "ab"),
        ("plan-created", "cb"),
        ("stop", "cb"),
    ]
    assert trail[1]["payload"] == {"port_in_place": True}
    assert trail[1]["note"] == "posée le 3/1"
    # The port in place removes the port placement from the plan.
    assert not schedule_of(store.plan(plan.id), RULES).port_task


def test_the_ledger_cannot_be_rewritten_even_by_hand(store: Store, where: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import DBAPIError

    patient = store.add_patient("A", "", "H1", author="cb", at=AT)
    store.create_plan(
        patient, CATALOG.regimen("nivolumab-240-q2w"), date(2027, 1, 4), author="cb", at=AT
    )
    url = where if "://" in where else f"sqlite:///{where}"
    raw = create_engine(url)
    try:
        for statement in ("DELETE FROM ledger", "UPDATE ledger SET author = 'x'"):
            with raw.connect() as connection, pytest.raises(DBAPIError, match="append-only"):
                connection.execute(text(statement))
    finally:
        raw.dispose()


def test_two_coordinators_cannot_both_change_the_same_plan(store: Store) -> None:
    patient = store.add_patient("A", "", "H1", author="cb", at=AT)
    plan = store.create_plan(
        patient, CATALOG.regimen("nivolumab-240-q2w"), date(2027, 1, 4), author="cb", at=AT
    )
    current = schedule_of(plan, RULES)
    first = changes.delay(current, (1, 3, 1), DelayReason.TOXICITY, days=7)
    store.record(plan, first, author="cb", at=AT, today=date(2027, 1, 10), port_rules=RULES)
    # The second coordinator still has the plan as it was before the first change.
    second = changes.delay(current, (1, 4, 1), DelayReason.CAPACITY, days=2)
    with pytest.raises(Conflict) as refused:
        store.record(plan, second, author="ab", at=AT, today=date(2027, 1, 10), port_rules=RULES)
    # It says who changed the plan, when (unit time) and what.
    assert str(refused.value.message) == (
        "cb recorded a delay in this plan at 10:00, after you opened it; it is shown again as "
        "it is now: decide again"
    )
    assert [e.change for e in store.plan(plan.id).ledger] == [first]


def test_a_refused_change_saves_nothing(store: Store) -> None:
    patient = store.add_patient("A", "", "H1", author="cb", at=AT)
    plan = store.create_plan(
        patient, CATALOG.regimen("mfolfox6-q14"), date(2027, 1, 4), author="cb", at=AT
    )
    with pytest.raises(ChangeRefused):
        store.record(
            plan,
            Give((1, 2, 1), date(2027, 1, 18)),
            author="cb",
            at=AT,
            today=date(2027, 1, 10),
            port_rules=RULES,
        )
    assert store.plan(plan.id).ledger == ()
    assert len(store.audit(patient)) == 2  # patient-created, plan-created


def test_hospital_numbers_are_unique(store: Store) -> None:
    store.add_patient("A", "", "H1", author="cb", at=AT)
    with pytest.raises(StoreError, match="H1 already exists"):
        store.add_patient("B", "", "H1", author="cb", at=AT)
    assert len(store.patients()) == 1


def test_a_closure_keeps_when_and_by_whom_it_was_recorded(store: Store) -> None:
    from sqlalchemy import select, update

    from planner.store.schema import SettingRow

    stamped = UnitClosure(date(2027, 6, 10), "formation", AT, "cadre")
    store.save_settings(UnitSettings(unit_closures=(stamped,)))
    assert store.settings().unit_closures == (stamped,)
    # Settings saved before closures were stamped (no "added_at") are read, unstamped.
    with store.engine.begin() as connection:
        value = connection.execute(
            select(SettingRow.value).where(SettingRow.key == "unit")
        ).scalar_one()
        value = {**value, "unit_closures": [{"date": "2027-06-11", "label": "grève"}]}
        connection.execute(update(SettingRow).where(SettingRow.key == "unit").values(value=value))
    assert store.settings().unit_closures == (UnitClosure(date(2027, 6, 11), "grève"),)


def test_unit_settings_round_trip(store: Store) -> None:
    assert store.settings() == UnitSettings()
    mine = UnitSettings(
        name="HDJ Oncologie",
        address="1 rue X",
        phone="01",
        closure_set=ClosureSet.FR_ALSACE_MOSELLE,
        unit_closures=(UnitClosure(date(2027, 6, 10), "formation"),),
        open_days=frozenset({date(2027, 6, 12)}),
        default_policy=Policy.REANCHOR,
        port_lead_days=10,
    )
    store.save_settings(mine)
    assert store.settings() == mine
    patient = store.add_patient("A", "", "H1", author="cb", at=AT)
    plan = store.create_plan(
        patient, CATALOG.regimen("nivolumab-240-q2w"), date(2027, 6, 3), author="cb", at=AT
    )
    # New plans take the unit's defaults, and the unit's closures apply to them.
    assert plan.policy is Policy.REANCHOR
    assert plan.options.port_lead_days == 10
    assert store.plan(plan.id).calendar.closure_set is ClosureSet.FR_ALSACE_MOSELLE
    assert not store.plan(plan.id).calendar.is_open(date(2027, 6, 10))


LOCAL_RULES = (
    PortRule(PortLevel.REQUIRED, PortCriterion.CONTINUOUS_INFUSION, source="CCMB"),
    PortRule(
        PortLevel.RECOMMENDED,
        PortCriterion.FAMILY,
        families=frozenset({"anthracycline", "taxane"}),
        source="Protocole local",
    ),
    PortRule(
        PortLevel.CONSIDER,
        PortCriterion.CLASS,
        classes=frozenset({AgentClass.CHEMOTHERAPY, AgentClass.IMMUNOTHERAPY}),
        route=Route.IV,
    ),
)


def test_the_units_port_rules_round_trip_and_going_back_removes_them(store: Store) -> None:
    assert store.port_rules() is None  # none of its own: the shipped table applies
    store.save_port_rules(LOCAL_RULES, expected=None, author="cb", at=AT)
    assert store.port_rules() == LOCAL_RULES
    fewer = LOCAL_RULES[:1]
    store.save_port_rules(fewer, expected=LOCAL_RULES, author="ab", at=AT)
    assert store.port_rules() == fewer
    store.save_port_rules(None, expected=fewer, author="cb", at=AT)
    assert store.port_rules() is None


@settings(max_examples=50)
@given(st.lists(port_rule_strategy(), min_size=1, max_size=6).map(tuple))
def test_any_port_rule_table_comes_back_from_its_stored_json(table: tuple[PortRule, ...]) -> None:
    value = codec.port_rules_to_json(table, saved_by="cb", saved_at=AT)
    assert codec.port_rules_from_json(json.loads(json.dumps(value))) == table


def test_a_second_infusion_time_is_stored_only_for_a_drug_that_has_one() -> None:
    """Minutes are stored as [first, later], and [first, later, second] only when the label
    gives a second administration's time: every regimen stored before keeps its snapshot,
    and so its digest, and old snapshots read back without one."""
    regimen = CATALOG.regimen("pembrolizumab-200-q3w")
    [pembrolizumab] = regimen.phases[0].administrations
    stored = codec.regimen_to_json(regimen)
    assert stored["phases"][0]["administrations"][0]["infusion"] == [30, 30]
    assert codec.regimen_from_json(stored) == regimen
    three_times = replace(pembrolizumab, infusion=Minutes(90, 30, second=60))
    changed = replace(regimen, phases=(replace(regimen.phases[0], administrations=(three_times,)),))
    stored = json.loads(json.dumps(codec.regimen_to_json(changed)))
    assert stored["phases"][0]["administrations"][0]["infusion"] == [90, 30, 60]
    assert codec.regimen_from_json(stored) == changed
    assert codec.digest(stored) != codec.digest(codec.regimen_to_json(regimen))


def test_port_rules_saved_meanwhile_by_someone_else_are_not_overwritten(
    store: Store,
) -> None:
    store.save_port_rules(LOCAL_RULES, expected=None, author="ab", at=AT)
    # A coordinator who read the unit before ab saved (no rules of its own then):
    with pytest.raises(
        Conflict, match="ab saved other port rules for the unit at 10:00, after they were read"
    ):
        store.save_port_rules(LOCAL_RULES[:1], expected=None, author="cb", at=AT)
    with pytest.raises(Conflict):
        store.save_port_rules(None, expected=LOCAL_RULES[1:], author="cb", at=AT)
    assert store.port_rules() == LOCAL_RULES


def test_port_rules_a_newer_version_saved_are_refused_in_words(store: Store) -> None:
    from planner.store.schema import SettingRow

    with store._transaction() as db:
        db.add(SettingRow(key="port_rules", value={"format": 2, "tables": {}}))
    with pytest.raises(StoreError, match=r"port rules in .* cannot be read .*newer version"):
        store.port_rules()


@pytest.mark.posix_only  # Windows: the folder's access list (tests/test_platform.py)
def test_the_database_file_is_readable_by_its_owner_only(
    sqlite_store: Store, db_path: Path
) -> None:
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600


def test_a_plan_keeps_the_regimen_it_was_made_with(tmp_path: Path, store: Store) -> None:
    """Correcting a regimen file later never moves the dates of plans under way."""
    patient = store.add_patient("A", "", "H1", author="cb", at=AT)
    regimen = CATALOG.regimen("folfiri-q14")
    plan = store.create_plan(patient, regimen, date(2027, 1, 4), author="cb", at=AT)
    from dataclasses import replace

    corrected = replace(regimen, phases=(replace(regimen.phases[0], cycle_days=21),))
    later = store.create_plan(patient, corrected, date(2027, 1, 4), author="cb", at=AT)
    assert store.plan(plan.id).regimen == regimen
    assert store.plan(later.id).regimen == corrected


def test_a_check_needed_before_c1_is_kept_in_the_snapshot_and_older_ones_still_read() -> None:
    """The flag and the result's days are written only when set: a regimen without them
    keeps the snapshot, and so the digest, it had; a snapshot saved before they existed reads
    with the defaults."""
    regimen = CATALOG.regimen("mfolfox6-q14")
    saved = json.loads(json.dumps(codec.regimen_to_json(regimen)))
    assert codec.regimen_from_json(saved) == regimen
    dpd = [m for m in saved["monitoring"] if "result_before_c1" in m]
    assert [(m["result_before_c1"], m["result_days"]) for m in dpd] == [(True, 10)]
    for regimen_id in ("pembrolizumab-200-q3w", "atezolizumab-bevacizumab-imbrave150"):
        for rule in codec.regimen_to_json(CATALOG.regimen(regimen_id))["monitoring"]:
            assert "result_before_c1" not in rule
            assert "result_days" not in rule
    for rule in saved["monitoring"]:
        rule.pop("result_before_c1", None)
        rule.pop("result_days", None)
    older = codec.regimen_from_json(saved)
    assert not any(m.result_before_c1 or m.result_days for m in older.monitoring)
    assert codec.digest(codec.regimen_to_json(older)) == codec.digest(saved)


def _decision(kind: str, plan: Plan, current: PlanSchedule, key: SessionKey, n: int) -> Change:
    session = current.sessions[[s.key for s in current.sessions].index(key)]
    if kind == "delay":
        return changes.delay(current, key, DelayReason.OTHER, days=1 + n % 9)
    if kind == "omit":
        return changes.omit(current, key)
    if kind == "give":
        return Give(key, session.date)
    if kind == "stop":
        return Stop(session.date, "x")
    if kind == "progression":
        return SuspectProgression(session.date, stable_confirmed_by="Dr Moreau")
    return changes.undo(plan)


@st.composite
def decisions(draw: st.DrawFn) -> tuple[str, date, list[tuple[str, int]]]:
    regimen = draw(st.sampled_from(sorted(CATALOG.entries)))
    start = draw(st.dates(date(2026, 6, 1), date(2028, 6, 1)))
    steps = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["delay", "omit", "give", "stop", "progression", "undo"]),
                st.integers(0, 40),
            ),
            max_size=6,
        )
    )
    return regimen, start, steps


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(decisions())
def test_saved_then_reloaded_plans_give_the_same_schedule(
    tmp_path: Path, case: tuple[str, date, list[tuple[str, int]]]
) -> None:
    regimen_id, start, steps = case
    path = tmp_path / "planner.db"
    for leftover in tmp_path.glob("planner.db*"):
        leftover.unlink()  # each example starts from a new database
    with Store.open(path) as store:
        patient = store.add_patient("A", "", "H1", author="t", at=AT)
        plan = store.create_plan(patient, CATALOG.regimen(regimen_id), start, author="t", at=AT)
        for kind, n in steps:
            current = schedule_of(plan, RULES)
            if not current.sessions:
                break  # stopped before its first session
            session = current.sessions[n % len(current.sessions)]
            today = session.date + timedelta(days=1)
            try:
                change = _decision(kind, plan, current, session.key, n)
                plan = store.record(plan, change, author="t", at=AT, today=today, port_rules=RULES)
            except ChangeRefused:
                continue
    with Store.open(path) as store:
        loaded = store.plan(plan.id)
    assert loaded == plan
    assert schedule_of(loaded, RULES).sessions == schedule_of(plan, RULES).sessions
    assert schedule_of(loaded, RULES).events == schedule_of(plan, RULES).events


# ---------------------------------------------------------------- chairs and bookings


def test_resources_and_bookings_come_back_as_saved(store: Store, where: str) -> None:
    from datetime import time

    from planner.core.booking import Booking
    from planner.core.chairs import Chair, UnitResources, Weights
    from planner.core.patient import Preference

    assert store.resources() == UnitResources()  # the defaults until the unit says otherwise
    mine = UnitResources(
        chairs=(Chair("Fauteuil 1"), Chair("Lit 1", bed=True)),
        hours=((time(8, 30), time(17)),) * 5 + ((time(9), time(12)), None),
        nurses=2,
        starts_per_nurse=3,
        slot_minutes=30,
        installation_minutes=20,
        afternoon=time(12, 30),
        afternoon_nurses=1,
        pharmacy=(12, 12, 8, 12, 12, None, None),
        lab_result_start=time(10, 30),
        max_move_minutes=45,
        weights=Weights(preference=0, keep=1000, peak=7, spread=0, end=3),
    )
    store.save_resources(mine)
    catalog = load_catalog()
    patient = store.add_patient(
        "Martin", "Anne", "HN-1", author="t", at=AT, preference=Preference.AFTERNOON
    )
    plan = store.create_plan(
        patient, catalog.regimen("nivolumab-480-q4w"), date(2027, 3, 8), author="t", at=AT
    )
    c1 = Booking(time(13), 60, "Fauteuil 1", date(2027, 3, 8))
    c2 = Booking(time(14), 60, "Lit 1", date(2027, 4, 5))
    store.save_bookings({(plan.id, (1, 1, 1)): c1, (plan.id, (1, 2, 1)): c2}, author="t", at=AT)
    # Moving C2 and unbooking C1, in one go.
    moved = Booking(time(13, 30), 60, "Fauteuil 1", date(2027, 4, 6))
    store.save_bookings({(plan.id, (1, 2, 1)): moved}, [(plan.id, (1, 1, 1))], author="t", at=AT)
    with Store.open(where) as again:
        assert again.resources() == mine
        assert again.bookings() == {(plan.id, (1, 2, 1)): moved}
        assert again.bookings(date(2027, 4, 7)) == {}
        assert again.patient(patient.id).preference is Preference.AFTERNOON
        assert again.plans()[0].patient.preference is Preference.AFTERNOON


def test_resources_saved_past_the_bounds_by_an_older_version_still_open(
    store: Store, where: str
) -> None:
    """Before the bounds, a demo of 20,000 patients saved 1,000 chairs and 333 nurses: the
    unit opens with the first 500 chairs and 200 nurses, the saved value is kept as it was,
    and a booking on a chair past the limit is kept, to book again."""
    from datetime import time

    from planner.core.booking import Booking
    from planner.core.chairs import MAX_CHAIRS, MAX_NURSES, Chair, Problem, UnitResources
    from planner.day_hospital.bookings import occupancy
    from planner.store.schema import SettingRow

    saved = codec.resources_to_json(UnitResources())
    saved["chairs"] = [{"name": f"F{n}", "bed": False} for n in range(1, 1001)]
    saved["nurses"] = 333
    with store._transaction() as db:
        db.add(SettingRow(key="resources", value=saved))
    patient = store.add_patient("Martin", "Anne", "HN-1", author="t", at=AT)
    plan = store.create_plan(
        patient, CATALOG.regimen("nivolumab-480-q4w"), date(2027, 3, 8), author="t", at=AT
    )
    near = Booking(time(9), 60, "F500", date(2027, 3, 8))
    far = Booking(time(9), 60, "F900", date(2027, 4, 5))
    store.save_bookings({(plan.id, (1, 1, 1)): near, (plan.id, (1, 2, 1)): far}, author="t", at=AT)
    with Store.open(where) as again:
        resources = again.resources()
        assert resources.chairs == tuple(Chair(f"F{n}") for n in range(1, MAX_CHAIRS + 1))
        assert resources.nurses == MAX_NURSES
        unit = occupancy(again.settings(), resources, again.bookings())
        assert unit.misfits == {(plan.id, (1, 2, 1)): Problem.UNKNOWN_CHAIR}
        assert len(unit.bookings) == 2
        with again._transaction() as db:
            assert db.get(SettingRow, "resources").value == saved  # type: ignore[union-attr]


def test_resources_saved_before_the_pharmacy_and_the_optimiser_read_with_the_defaults(
    store: Store, where: str
) -> None:
    """A unit saved by a version without the afternoon's nurses, the pharmacy, the start
    after a same-day blood test, the optimiser's moves and weights opens with what it saved
    and the defaults for the rest; a weight missing from those saved is at its default."""
    from datetime import time

    from planner.core.chairs import UnitResources, Weights
    from planner.store.schema import SettingRow

    older = codec.resources_to_json(UnitResources(nurses=4, afternoon=time(12)))
    for key in ("afternoon_nurses", "pharmacy", "lab_result_start", "max_move_minutes"):
        del older[key]
    older["weights"] = {"keep": 5}
    with store._transaction() as db:
        db.add(SettingRow(key="resources", value=older))
    with Store.open(where) as again:
        assert again.resources() == UnitResources(
            nurses=4, afternoon=time(12), weights=Weights(keep=5)
        )
    del older["weights"]
    with store._transaction() as db:
        db.merge(SettingRow(key="resources", value=older))
    with Store.open(where) as again:
        resources = again.resources()
    assert resources == UnitResources(nurses=4, afternoon=time(12))
    assert (resources.afternoon_nurses, resources.pharmacy) == (None, (None,) * 7)
    assert (resources.lab_result_start, resources.max_move_minutes) == (None, 30)


def test_two_coordinators_cannot_both_move_the_same_booking(store: Store) -> None:
    from datetime import time

    from planner.core.booking import Booking

    patient = store.add_patient("A", "", "H1", author="cb", at=AT)
    plan = store.create_plan(
        patient, CATALOG.regimen("nivolumab-240-q2w"), date(2027, 1, 4), author="cb", at=AT
    )
    key = (plan.id, (1, 1, 1))
    booked = Booking(time(8), 45, "F1", date(2027, 1, 4))
    store.save_bookings({key: booked}, author="cb", at=AT, expected={key: None})
    # Both saw it at 8:00 on F1; the first moves it to 9:00...
    first = Booking(time(9), 45, "F1", date(2027, 1, 4))
    store.save_bookings({key: first}, author="cb", at=AT, expected={key: booked})
    # ...the second, still seeing 8:00, is refused and told where it is now.
    with pytest.raises(Conflict) as refused:
        store.save_bookings(
            {key: Booking(time(10), 45, "F2", date(2027, 1, 4))},
            author="ab",
            at=AT,
            expected={key: booked},
        )
    assert str(refused.value.message) == (
        "the booking of cycle 1 day 1 was changed by someone else (now 2027-01-04 at 09:00 on "
        "F1, by cb at 10:00); the bookings are shown again as they are now"
    )
    assert store.bookings() == {key: first}


def test_two_coordinators_never_put_two_patients_in_one_chair(store: Store) -> None:
    from datetime import time

    from planner.core.booking import Booking

    regimen = CATALOG.regimen("nivolumab-240-q2w")
    anne = store.create_plan(
        store.add_patient("Anne", "", "H1", author="cb", at=AT), regimen, date(2027, 1, 4),
        author="cb", at=AT,
    )  # fmt: skip
    bruno = store.create_plan(
        store.add_patient("Bruno", "", "H2", author="cb", at=AT), regimen, date(2027, 1, 4),
        author="cb", at=AT,
    )  # fmt: skip
    monday = date(2027, 1, 4)
    f1 = Booking(time(8), 45, "F1", monday)
    a_key, b_key = (anne.id, (1, 1, 1)), (bruno.id, (1, 1, 1))
    # Both coordinators see Monday empty; cb puts Anne on F1 at 8:00...
    store.save_bookings({a_key: f1}, author="cb", at=AT, expected={a_key: None}, days_seen={})
    # ...ab, still seeing the chair free, puts Bruno there: refused, with who and when.
    with pytest.raises(Conflict) as refused:
        store.save_bookings(
            {b_key: f1}, author="ab", at=AT, expected={b_key: None}, days_seen={monday: {}}
        )
    assert str(refused.value.message) == (
        "the day hospital's bookings of 2027-01-04 were changed by someone else meanwhile, by "
        "cb at 10:00; the bookings are shown again as they are now: book again"
    )
    assert store.bookings() == {a_key: f1}
    # Seeing Monday as it is now, ab books Bruno beside Anne.
    f2 = Booking(time(8), 45, "F2", monday)
    store.save_bookings(
        {b_key: f2}, author="ab", at=AT, expected={b_key: None}, days_seen={monday: {a_key: f1}}
    )
    assert store.bookings() == {a_key: f1, b_key: f2}


def test_checking_and_writing_bookings_is_one_step(
    store: Store, where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two coordinators saving into one day at the same moment: the second waits until the
    first has written, then sees its booking (checked, then written, nobody in between)."""
    import threading
    from datetime import time

    from planner.core.booking import Booking

    regimen = CATALOG.regimen("nivolumab-240-q2w")
    monday = date(2027, 1, 4)
    keys = []
    for name, number in (("Anne", "H1"), ("Bruno", "H2")):
        patient = store.add_patient(name, "", number, author="cb", at=AT)
        keys.append((store.create_plan(patient, regimen, monday, author="cb", at=AT).id, (1, 1, 1)))
    f1 = Booking(time(8), 45, "F1", monday)
    checked, go = threading.Event(), threading.Event()
    real = Store._check_days

    def pause_the_first(self: Store, db: Any, days_seen: Any, own: Any) -> None:
        real(self, db, days_seen, own)
        if threading.current_thread().name == "cb":
            checked.set()
            go.wait(10)

    monkeypatch.setattr(Store, "_check_days", pause_the_first)
    said: dict[str, str] = {}

    def book(target: Store, key: Any) -> None:
        who = threading.current_thread().name
        try:
            target.save_bookings(
                {key: f1}, author=who, at=AT, expected={key: None}, days_seen={monday: {}}
            )
            said[who] = "saved"
        except Conflict:
            said[who] = "refused"

    with Store.open(where) as other:
        first = threading.Thread(target=book, args=(store, keys[0]), name="cb")
        first.start()
        assert checked.wait(10)
        second = threading.Thread(target=book, args=(other, keys[1]), name="ab")
        second.start()
        second.join(0.5)
        assert second.is_alive()  # waiting for the first to finish
        go.set()
        first.join(10)
        second.join(10)
    assert said == {"cb": "saved", "ab": "refused"}
    assert store.bookings() == {keys[0]: f1}


@pytest.mark.parametrize("where", ["postgresql"], indirect=True)  # SQLite has no notices
def test_a_server_tells_the_other_windows_at_once(store: Store, where: str) -> None:
    import threading

    from planner.store.notices import wait_for_changes

    heard: list[str] = []
    listening = threading.Event()
    done = threading.Event()

    def listen() -> None:
        for table in wait_for_changes(
            where, done.is_set, poll_seconds=0.1, listening=listening.set
        ):
            heard.append(table)
            done.set()

    listener = threading.Thread(target=listen)
    listener.start()
    try:
        assert listening.wait(10)
        with Store.open(where) as other:
            other.add_patient("Martin", "Anne", "HN-1", author="ab", at=AT)
        assert done.wait(10), "no notice within 10 s"
    finally:
        done.set()
        listener.join(10)
    assert heard == ["ledger"]


def test_the_log_records_each_change_saved_by_ids_only(
    sqlite_store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    """What support reads: patients and plans by their ids, the kind and number of each
    change; never a name, a hospital number or a contact."""
    from datetime import time

    from planner.core.booking import Booking

    store = sqlite_store
    caplog.set_level(logging.INFO, logger="planner")
    patient = store.add_patient("MARTIN", "Jeanne", "H001", author="cb", at=AT, contact="06 12")
    patient = store.update_patient(patient, author="cb", at=AT, contact="06 34", port_in_place=True)
    plan = store.create_plan(
        patient, CATALOG.regimen("nivolumab-480-q4w"), date(2027, 3, 8), author="cb", at=AT
    )
    plan = store.record(
        plan,
        Give((1, 1, 1), date(2027, 3, 8)),
        author="cb",
        at=AT,
        today=date(2027, 3, 8),
        port_rules=RULES,
        note="MARTIN Jeanne a bien toléré",
    )
    store.save_bookings(
        {(plan.id, (1, 2, 1)): Booking(time(13), 60, "Fauteuil 1", date(2027, 4, 5))},
        author="cb",
        at=AT,
    )
    store.save_settings(UnitSettings(name="HDJ", phone="01 23 45 67 89"))
    said = [r.getMessage() for r in caplog.records if r.name.startswith("planner.store")]
    assert said == [
        f"patient {patient.id} added",
        f"patient {patient.id} edited: contact, port_in_place",
        f"plan {plan.id} created for patient {patient.id} (regimen nivolumab-480-q4w)",
        f"plan {plan.id}: give recorded (change 1)",
        "bookings saved: 1 booked or moved, 0 removed, of 1 plans",
        "unit settings saved",
    ]
    for private in ("MARTIN", "Jeanne", "H001", "06 12", "06 34", "toléré"):
        assert private not in caplog.text
