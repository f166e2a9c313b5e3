"""The Qt models over the catalogue and a schedule."""

from __future__ import annotations

from datetime import date

from pytestqt.modeltest import ModelTester

from planner.catalog import Catalog
from planner.core.engine import plan
from planner.core.schedule import Event, Session
from planner.gui.models.regimen_list import REGIMEN_ROLE, RegimenListModel
from planner.gui.models.schedule_table import ITEM_ROLE, ScheduleTableModel


def test_regimen_list_model_passes_the_model_tester(
    qtmodeltester: ModelTester, catalog: Catalog
) -> None:
    model = RegimenListModel(list(catalog))
    qtmodeltester.check(model)
    assert model.rowCount() == 50
    model.set_filter("pembrolizumab")
    qtmodeltester.check(model)
    # 200 q3w, 400 q6w, SC q6w, KN-189, KN-407, KN-426, KN-522, CLEAR, EV-302
    assert model.rowCount() == 9


def test_search_by_drug_class_and_several_words(catalog: Catalog) -> None:
    model = RegimenListModel(list(catalog))
    model.set_filter("ipilimumab")
    ids = {model.data(model.index(r), REGIMEN_ROLE).id for r in range(model.rowCount())}
    assert ids == {
        "ipilimumab-nivolumab-melanoma-cm067",
        "nivolumab-ipilimumab-chemo-cm9la",
        "nivolumab-ipilimumab-nsclc-cm227",
    }
    model.set_filter("CARBOPLATINE pembrolizumab")  # French name, any case, two words
    ids = {model.data(model.index(r), REGIMEN_ROLE).id for r in range(model.rowCount())}
    assert ids == {
        "pembrolizumab-pemetrexed-platinum-kn189",
        "pembrolizumab-carboplatin-taxane-kn407",
        "pembrolizumab-chemo-kn522",
    }


def test_schedule_table_lists_sessions_and_events_in_date_order(
    qtmodeltester: ModelTester, catalog: Catalog
) -> None:
    schedule = plan(catalog.regimen("mfolfox6-q14"), date(2027, 1, 4), until=date(2027, 1, 31))
    model = ScheduleTableModel()
    model.set_schedule(schedule)
    qtmodeltester.check(model)
    items = [model.data(model.index(r, 0), ITEM_ROLE) for r in range(model.rowCount())]
    kinds = [type(i).__name__ if isinstance(i, Session) else i.kind.value for i in items]
    assert kinds == ["lab", "Session", "pump-disconnect", "lab", "Session", "pump-disconnect"]
    assert all(isinstance(i, Session | Event) for i in items)
    assert model.data(model.index(1, 0)) == "Mon 4 Jan 2027"
    assert (
        model.data(model.index(1, 1))
        == "Session: oxaliplatin, folinic acid (leucovorin), fluorouracil (5-FU)"
    )
    model.set_schedule(None)
    assert model.rowCount() == 0
