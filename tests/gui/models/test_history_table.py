"""The history table: a proper Qt model; undone decisions struck through; rows added as the
plan's ledger grows, not reset."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from planner.catalog import Catalog
from planner.gui.models.history_table import LINE_ROLE, STATUS, WHAT, WHEN, HistoryTableModel
from planner.history import plan_history
from tests.test_history import bruno, records


def test_the_history_model_passes_the_model_tester(
    qtmodeltester: ModelTester, catalog: Catalog
) -> None:
    plan = bruno(catalog)
    model = HistoryTableModel()
    model.set_lines(plan_history(plan, records(plan)))
    qtmodeltester.check(model)
    assert model.rowCount() == 7
    assert model.data(model.index(2, WHEN)) == "Tue 2 Mar 2027 at 10:42"
    assert model.data(model.index(2, WHAT)) == (
        "Delay Treatment · C2 · D1 to Tue 6 Apr 2027 (toxicity)"
    )
    assert model.data(model.index(2, 0), LINE_ROLE).seq == 1
    tooltip = model.data(model.index(2, WHAT), Qt.ItemDataRole.ToolTipRole)
    assert "Why: neutropénie grade 3" in tooltip
    model.set_lines([])
    qtmodeltester.check(model)


def test_an_undone_decision_is_struck_through_and_new_ones_are_inserted(
    qtbot: QtBot, catalog: Catalog
) -> None:
    plan = bruno(catalog)
    model = HistoryTableModel()
    model.set_lines(plan_history(plan.until(1)))
    assert model.data(model.index(0, WHAT), Qt.ItemDataRole.FontRole) is None
    resets: list[object] = []
    model.modelReset.connect(lambda: resets.append(True))
    # The undo recorded: its row is inserted, the delay's row changes.
    with (
        qtbot.waitSignal(model.rowsInserted) as inserted,
        qtbot.waitSignal(model.dataChanged) as changed,
    ):
        model.set_lines(plan_history(plan.until(2)))
    assert inserted.args[1:] == [1, 1]
    assert changed.args[0].row() == 0
    assert resets == []
    assert model.data(model.index(0, WHAT), Qt.ItemDataRole.FontRole).strikeOut()
    assert model.data(model.index(0, STATUS)) == (
        "Undone by ab on Tue 2 Mar 2027 at 11:00 (change 2)"
    )
    assert model.data(model.index(0, WHAT), Qt.ItemDataRole.ForegroundRole) is not None
    # Done again: no longer struck through, and says so.
    model.set_lines(plan_history(plan.until(3)))
    assert model.data(model.index(0, WHAT), Qt.ItemDataRole.FontRole) is None
    assert model.data(model.index(0, STATUS)).startswith("Done again by ab")
    assert model.data(model.index(2, WHAT)).startswith("Redo change 1: Delay")
