"""A patient's plan as a table: dates, where planned, why they moved, what became of them."""

from __future__ import annotations

from datetime import UTC, date, datetime

from pytestqt.modeltest import ModelTester

from planner.catalog import Catalog
from planner.core import changes
from planner.core.patient import Patient
from planner.core.plan import Change, Give, Omit, Plan, Stop
from planner.core.plan_schedule import PlanSchedule, schedule_of
from planner.core.schedule import DelayReason, Event, EventKind, Session
from planner.gui.models.plan_table import (
    DATE,
    ITEM_ROLE,
    PLANNED,
    REASON,
    SESSION_INDEX_ROLE,
    STATUS,
    WHAT,
    PlanTableModel,
)
from planner.i18n import set_language

AT = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
PATIENT = Patient("patient-1", "Martin", "Jeanne", "H123456")


def make(catalog: Catalog, regimen_id: str = "pembrolizumab-200-q3w") -> Plan:
    # Monday 8 March 2027: C2 falls on Easter Monday 29 March and moves to Tuesday 30.
    return Plan("plan-1", PATIENT, catalog.regimen(regimen_id), date(2027, 3, 8))


def changed(catalog: Catalog, plan: Plan, change: Change, today: date) -> Plan:
    return changes.apply(
        plan, change, author="coordinator", at=AT, today=today, port_rules=catalog.port_rules
    )


def model_of(ps: PlanSchedule) -> PlanTableModel:
    model = PlanTableModel()
    model.set_schedule(ps)
    return model


def row_of(model: PlanTableModel, key: tuple[int, int, int]) -> int:
    for row in range(model.rowCount()):
        item = model.data(model.index(row, 0), ITEM_ROLE)
        if isinstance(item, Session) and item.key == key:
            return row
    raise KeyError(key)


def cells(model: PlanTableModel, row: int) -> list[str]:
    return [model.data(model.index(row, c)) for c in range(model.columnCount())]


def test_the_model_passes_the_model_tester_full_and_empty(
    qtmodeltester: ModelTester, catalog: Catalog
) -> None:
    model = PlanTableModel()
    qtmodeltester.check(model)
    plan = make(catalog, "pembrolizumab-pemetrexed-platinum-kn189")
    model.set_schedule(schedule_of(plan, catalog.port_rules, date(2027, 3, 1)))
    qtmodeltester.check(model)
    assert model.rowCount() > 100
    model.set_schedule(None)
    qtmodeltester.check(model)
    assert model.rowCount() == 0


def test_a_session_moved_off_easter_monday_says_where_and_why(catalog: Catalog) -> None:
    ps = schedule_of(make(catalog), catalog.port_rules)
    model = model_of(ps)
    row = row_of(model, (1, 2, 1))
    assert cells(model, row) == [
        "Tue 30 Mar 2027",
        "Mon 29 Mar 2027",
        "pembrolizumab",
        "Monotherapy",
        "2",
        "1",
        "moved from Mon 29 Mar 2027: Easter Monday (public holiday)",
        "moved",
    ]
    assert model.data(model.index(row, DATE), SESSION_INDEX_ROLE) == 1
    assert model.data(model.index(row, PLANNED), 3) == "Monday 29 March 2027"  # tooltip
    # C1 did not move: no planned date, status planned; session rows are bold.
    first = row_of(model, (1, 1, 1))
    assert model.data(model.index(first, PLANNED)) == ""
    assert model.data(model.index(first, STATUS)) == "planned"
    assert model.data(model.index(first, WHAT), 6).bold()  # FontRole


def test_event_rows_belong_to_their_session_and_rows_are_in_date_order(catalog: Catalog) -> None:
    ps = schedule_of(make(catalog), catalog.port_rules)
    model = model_of(ps)
    days = [model.data(model.index(r, 0), ITEM_ROLE).date for r in range(model.rowCount())]
    assert days == sorted(days)
    # The blood test for C2: Saturday 27 March (Sunday, then the Easter Monday holiday).
    row = model.row_of_date(date(2027, 3, 27))
    assert row is not None
    event = model.data(model.index(row, 0), ITEM_ROLE)
    assert isinstance(event, Event)
    assert event.kind is EventKind.LAB
    assert model.data(model.index(row, WHAT)) == "Blood test"
    assert model.data(model.index(row, 0), SESSION_INDEX_ROLE) == 1
    assert model.data(model.index(row, WHAT), 6) is None  # not bold
    assert model.row_of_date(date(2027, 3, 29)) is None  # nothing on the holiday itself


def test_a_delayed_session_shows_the_delay_and_its_reason(catalog: Catalog) -> None:
    plan = make(catalog)
    before = schedule_of(plan, catalog.port_rules)
    delay = changes.delay(before, (1, 2, 1), DelayReason.TOXICITY, days=7)
    after = schedule_of(changed(catalog, plan, delay, date(2027, 3, 25)), catalog.port_rules)
    model = model_of(after)
    row = row_of(model, (1, 2, 1))
    assert model.data(model.index(row, DATE)) == "Tue 6 Apr 2027"
    assert model.data(model.index(row, PLANNED)) == "Tue 30 Mar 2027"
    assert model.data(model.index(row, REASON)) == "delayed from Tue 30 Mar 2027 (toxicity)"
    assert model.data(model.index(row, STATUS)) == "delayed"
    assert model.row_of_date(date(2027, 4, 6)) is not None


def test_given_omitted_and_stopped(catalog: Catalog) -> None:
    plan = make(catalog)
    plan = changed(catalog, plan, Give((1, 1, 1), date(2027, 3, 8)), date(2027, 3, 8))
    plan = changed(catalog, plan, Omit((1, 2, 1), ("pembrolizumab",), "colitis"), date(2027, 3, 25))
    plan = changed(catalog, plan, Stop(date(2027, 4, 12), "progression"), date(2027, 4, 12))
    model = model_of(schedule_of(plan, catalog.port_rules))
    given = row_of(model, (1, 1, 1))
    assert model.data(model.index(given, STATUS)) == "given on Mon 8 Mar 2027"
    assert "given on" not in model.data(model.index(given, REASON))
    omitted = row_of(model, (1, 2, 1))
    assert model.data(model.index(omitted, WHAT)) == "Session not given"
    assert model.data(model.index(omitted, STATUS)) == "omitted"
    assert "why left out: colitis" in model.data(model.index(omitted, REASON))
    assert model.data(model.index(omitted, WHAT), 9) is not None  # greyed (ForegroundRole)
    last = model.rowCount() - 1
    stop_row = model.row_of_date(date(2027, 4, 12))
    assert stop_row is not None
    assert cells(model, stop_row)[WHAT:] == [
        "Treatment stopped",
        "",
        "",
        "",
        "progression",
        "stopped",
    ]
    assert model.data(model.index(stop_row, 0), ITEM_ROLE) is None  # Session | Event only
    assert model.data(model.index(stop_row, 0), SESSION_INDEX_ROLE) is None
    assert stop_row <= last


def test_the_table_speaks_french(catalog: Catalog) -> None:
    set_language("fr")
    model = model_of(schedule_of(make(catalog), catalog.port_rules))
    row = row_of(model, (1, 2, 1))
    assert model.data(model.index(row, DATE)) == "mar. 30 mars 2027"
    assert model.data(model.index(row, REASON)) == (
        "déplacée du lun. 29 mars 2027\u00a0: Lundi de Pâques (jour férié)"
    )
