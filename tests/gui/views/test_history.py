"""The plan's history in the plan view, as a coordinator reads it after a change and its
undo: who, when, what, why, and what was undone by whom."""

from __future__ import annotations

from datetime import date
from typing import Any

from planner.core.plan import Delay
from planner.core.schedule import DelayReason
from planner.gui import flows
from planner.gui.flows import Outcome
from planner.gui.main_window import MainWindow
from planner.gui.models.history_table import NUMBER, STATUS, WHAT, WHEN, WHO


def rows(window: MainWindow) -> list[tuple[str, ...]]:
    model = window.plan_view.history.model
    return [
        tuple(model.data(model.index(r, c)) for c in (NUMBER, WHEN, WHO, WHAT, STATUS))
        for r in range(model.rowCount())
    ]


def test_the_history_tab_shows_the_delay_its_undo_and_its_redo(
    window: MainWindow, qtmodeltester: Any
) -> None:
    window.search.setText("Bruno")
    window.patients.selectRow(0)
    view = window.plan_view
    assert view.tabs.currentWidget() is view.table  # the sessions first, as before
    view.tabs.setCurrentWidget(view.history)
    created = [
        ("", "Mon 1 Mar 2027 at 10:00", "test", "Patient record created: PETIT Bruno", ""),
        (
            "",
            "Mon 1 Mar 2027 at 10:00",
            "test",
            "Plan created: mFOLFOX6 (oxaliplatin, leucovorin, 5-FU bolus + 46-h infusion) "
            "every 14 days, starting on Mon 15 Mar 2027",
            "",
        ),
    ]
    assert rows(window) == created
    delay = Delay((1, 2, 1), date(2027, 4, 6), DelayReason.TOXICITY)
    assert flows.apply_change(window, delay) is Outcome.SAVED
    window.act.undo.trigger()
    what = "Delay Treatment · C2 · D1 to Tue 6 Apr 2027 (toxicity)"
    assert rows(window) == [
        *created,
        (
            "1",
            "Mon 1 Mar 2027 at 10:00",
            "coordinator",
            what,
            "Undone by coordinator on Mon 1 Mar 2027 at 10:00 (change 2)",
        ),
        ("2", "Mon 1 Mar 2027 at 10:00", "coordinator", f"Undo change 1: {what}", ""),
    ]
    qtmodeltester.check(view.history.model)
    window.act.redo.trigger()
    assert rows(window)[2][4] == "Done again by coordinator on Mon 1 Mar 2027 at 10:00 (change 3)"
    assert rows(window)[4][3] == f"Redo change 1: {what}"


def test_another_patient_shows_their_own_history(window: MainWindow) -> None:
    window.search.setText("Bruno")
    window.patients.selectRow(0)
    view = window.plan_view
    view.tabs.setCurrentWidget(view.history)
    assert (
        flows.apply_change(window, Delay((1, 2, 1), date(2027, 4, 6), DelayReason.TOXICITY))
        is Outcome.SAVED
    )
    window.search.setText("Anne")
    window.patients.selectRow(0)
    texts = [row[3] for row in rows(window)]
    assert texts[0] == "Patient record created: MARTIN Anne"
    assert len(texts) == 2  # her record and her plan: nothing of Bruno's delay
