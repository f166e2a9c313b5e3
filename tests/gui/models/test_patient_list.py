"""The patient list as a coordinator searches and sorts it: the patients found and their
order are those of filtering and sorting the whole list again, whatever was typed before,
and the selected patient stays selected while shown."""

from __future__ import annotations

import dataclasses
import random
from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from planner.core.patient import Patient
from planner.core.summary import PatientSummary
from planner.gui.models.patient_list import NAME, NEXT, REGIMEN, WARNINGS, PatientListModel
from planner.gui.views.patient_table import PatientTable

TODAY = date(2027, 3, 1)
FAMILIES = ("MARTIN", "MARTINEZ", "DUPONT", "PETIT", "LEFÈVRE", "MARCHAND", "ROUSSEAU")
GIVEN = ("Anne", "Marie", "Bruno", "Martine", "Jean", "Anne-Marie")
REGIMENS = ("FOLFOX every 2 weeks", "Pembrolizumab every 3 weeks", "Paclitaxel weekly")


def line(n: int, rng: random.Random) -> PatientSummary:
    patient = Patient(f"p{n}", rng.choice(FAMILIES), rng.choice(GIVEN), f"HN-{n:04d}")
    if rng.random() < 0.1:
        return PatientSummary(patient, None, "", None, 0)
    upcoming = TODAY + timedelta(days=rng.randrange(20)) if rng.random() < 0.9 else None
    return PatientSummary(patient, f"plan{n}", rng.choice(REGIMENS), upcoming, rng.randrange(3))


def lines(count: int, seed: int = 1) -> list[PatientSummary]:
    rng = random.Random(seed)
    return [line(n, rng) for n in range(count)]


def expected(
    given: list[PatientSummary], text: str, column: int = NAME, descending: bool = False
) -> list[str]:
    """The patients shown, filtering and sorting the whole list (in the order the lines
    came, for equal keys), by id."""
    from planner.gui.models.patient_list import _search_text, _sort_key

    words = text.casefold().split()
    found = [s for s in given if all(w in _search_text(s) for w in words)]
    found.sort(key=lambda s: _sort_key(column, s), reverse=descending)
    return [s.patient.id for s in found]


def shown(model: PatientListModel) -> list[str]:
    return [model.summary_at(r).patient.id for r in range(model.rowCount())]


@pytest.fixture
def table(qtbot: QtBot) -> PatientTable:
    model = PatientListModel()
    view = PatientTable(model)
    qtbot.addWidget(view)
    view.resize(420, 600)
    view.show()
    return view


def model_of(table: PatientTable) -> PatientListModel:
    model = table.model()
    assert isinstance(model, PatientListModel)
    return model


def selected(table: PatientTable) -> str | None:
    rows = table.selectionModel().selectedRows()
    return model_of(table).summary_at(rows[0].row()).patient.id if rows else None


def test_typing_refines_and_deleting_widens_the_search(table: PatientTable) -> None:
    model, given = model_of(table), lines(300)
    model.set_summaries(given)
    texts = ["m", "ma", "mar", "mart", "martin", "martin ", "martin a", "martin an", "martin a"]
    texts += ["martin ", "martin", "mar", "", "anne martin", "martin anne", "hn-01", "folfox m"]
    texts += ["FOLFOX", "folfox pembro", "", "xyz", "mar"]
    for text in texts:
        model.set_filter(text)
        assert shown(model) == expected(given, text), text
    assert model.rowCount() > 0


def test_a_search_and_a_sort_keep_the_patient_selected_while_shown(table: PatientTable) -> None:
    model, given = model_of(table), lines(300)
    model.set_summaries(given)
    model.set_filter("martin")
    table.selectRow(5)
    chosen = selected(table)
    assert chosen is not None
    name = model.summary_at(5).patient.name.casefold()
    for text in (name[:8], name, name[:3], ""):  # refined, then widened
        model.set_filter(text)
        assert selected(table) == chosen, text
        assert table.currentIndex().row() == model.row_of(chosen)
    table.sortByColumn(NEXT, Qt.SortOrder.DescendingOrder)
    assert shown(model) == expected(given, "", NEXT, descending=True)
    assert selected(table) == chosen
    model.set_filter("no such patient")
    assert selected(table) is None
    model.set_filter("")
    assert selected(table) is None  # not chosen again by itself


def test_a_patient_changed_while_hidden_by_the_search_shows_as_changed(
    table: PatientTable,
) -> None:
    model, given = model_of(table), lines(200)
    model.set_summaries(given)
    table.sortByColumn(WARNINGS, Qt.SortOrder.AscendingOrder)
    hidden = next(s for s in given if "DUPONT" not in s.patient.name and s.plan_id)
    model.set_filter("dupont")
    before = shown(model)
    changed = dataclasses.replace(hidden, warnings=7, regimen="Nivolumab every 4 weeks")
    model.update_summary(changed)
    assert shown(model) == before  # still hidden
    assert model.row_of(hidden.patient.id) is None
    given[given.index(hidden)] = changed
    model.set_filter("nivolumab")  # what it matches now
    assert shown(model) == [hidden.patient.id]
    model.set_filter("")
    assert shown(model) == expected(given, "", WARNINGS)
    row = model.row_of(hidden.patient.id)
    assert row == model.rowCount() - 1  # the most warnings
    assert model.index(row, REGIMEN).data() == "Nivolumab every 4 weeks"
    assert model.index(row, WARNINGS).data() == "7"


def test_a_patient_changed_in_view_keeps_their_row_until_the_next_search(
    table: PatientTable,
) -> None:
    """The line being looked at does not jump away as its plan is changed; it takes its
    place at the next search or sort."""
    model, given = model_of(table), lines(100)
    model.set_summaries(given)
    table.sortByColumn(NEXT, Qt.SortOrder.AscendingOrder)
    first = model.summary_at(0)
    later = dataclasses.replace(first, next_session=TODAY + timedelta(days=400))
    model.update_summary(later)
    assert model.row_of(first.patient.id) == 0
    assert model.index(0, NEXT).data() == "Tue 4 Apr 2028"
    given[given.index(first)] = later
    model.set_filter("a")
    assert shown(model) == expected(given, "a", NEXT)
    model.set_filter("")
    assert shown(model) == expected(given, "", NEXT)


@pytest.mark.parametrize("descending", [False, True])
def test_a_new_patient_appears_in_their_place(table: PatientTable, descending: bool) -> None:
    model, given = model_of(table), lines(100)
    model.set_summaries(given)
    order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
    table.sortByColumn(NAME, order)
    table.selectRow(10)
    chosen = selected(table)
    new = PatientSummary(
        Patient("new", "Martin", "Bernard", "HN-9000"), "planX", REGIMENS[0], TODAY, 0
    )
    model.update_summary(new)
    given.append(new)
    assert shown(model) == expected(given, "", NAME, descending)
    assert selected(table) == chosen
    table.sortByColumn(NEXT, order)  # namesakes of the day: in the order they came
    assert shown(model) == expected(given, "", NEXT, descending)
    model.set_filter("dupont")
    other = PatientSummary(Patient("other", "Martin", "Zoé", "HN-9001"), None, "", None, 0)
    model.update_summary(other)  # not found by the search: not shown
    given.append(other)
    assert shown(model) == expected(given, "dupont", NEXT, descending)
    model.set_filter("")
    assert shown(model) == expected(given, "", NEXT, descending)


def test_any_sequence_of_searches_sorts_and_changes_shows_the_list_as_computed_anew(
    qtmodeltester: ModelTester, table: PatientTable
) -> None:
    rng = random.Random(7)
    model, given = model_of(table), lines(150)
    model.set_summaries(given)
    qtmodeltester.check(model)  # the tester stays, checking every signal below
    text, column, descending, added = "", NAME, False, 150
    for _ in range(400):
        step = rng.random()
        if step < 0.5:
            text = rng.choice(["", "m", "ma", "mar", "mart", "martin", "anne", "a m", "hn-00"])
            text = rng.choice([text, text + " " + rng.choice(REGIMENS).split()[0]])
            model.set_filter(text)
        elif step < 0.65:
            column, descending = rng.randrange(5), rng.random() < 0.5
            order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
            table.sortByColumn(column, order)
        elif step < 0.95:
            n = rng.randrange(len(given))
            given[n] = dataclasses.replace(line(n, rng), patient=given[n].patient)
            model.update_summary(given[n])
            continue  # the row may keep its place until the next search or sort
        else:
            given.append(line(added, rng))
            added += 1
            model.update_summary(given[-1])
        assert shown(model) == expected(given, text, column, descending), text
        for row in rng.sample(range(model.rowCount()), min(5, model.rowCount())):
            assert model.row_of(model.summary_at(row).patient.id) == row
            summary: Any = model.summary_at(row)
            assert model.index(row, NAME).data() == summary.patient.name


def test_a_list_given_sorted_by_name_is_shown_as_one_sorted_here() -> None:
    """The unit's list comes sorted by name and is not sorted again; it must read the same
    as a list sorted here, and be sorted by another column as any other."""
    given = lines(300, seed=7)
    by_name = sorted(given, key=lambda s: s.patient.sort_key)
    sorted_here, trusted = PatientListModel(), PatientListModel()
    sorted_here.set_summaries(given)
    trusted.set_summaries(by_name, by_name=True)
    assert shown(trusted) == shown(sorted_here)
    trusted.sort(NEXT, Qt.SortOrder.AscendingOrder)
    sorted_here.sort(NEXT, Qt.SortOrder.AscendingOrder)
    assert shown(trusted) == expected(by_name, "", NEXT)


def test_a_list_read_at_start_up_makes_only_the_lines_shown(table: PatientTable) -> None:
    """A large centre's list read at start-up (a SummaryList) is shown without making its
    20,000 lines: only those the table fits its columns to; searched and sorted, it shows
    what the same list given whole shows."""
    from planner.core.summary import SummaryList
    from planner.gui.views.patient_table import SAMPLE

    given = sorted(lines(2000, seed=3), key=lambda s: s.patient.sort_key)
    made: list[int] = []

    def make(at: int) -> PatientSummary:
        made.append(at)
        return given[at]

    model = model_of(table)
    model.set_summaries(SummaryList([s.patient.id for s in given], make), by_name=True)
    table.fit_columns(grow_only=False)
    assert 0 < len(made) <= SAMPLE
    assert model.rowCount() == 2000
    assert shown(model) == [s.patient.id for s in given]
    model.set_filter("mart anne")
    assert shown(model) == expected(given, "mart anne")
    model.sort(NEXT, Qt.SortOrder.DescendingOrder)
    assert shown(model) == expected(given, "mart anne", NEXT, descending=True)
    assert len(made) == 2000  # every line made once, however often asked for


def test_the_units_own_list_takes_the_place_of_the_same_list_read_at_start_up(
    table: PatientTable,
) -> None:
    """The list read at start-up, then the unit's: the same lines stay on screen, the
    patient chosen meanwhile still chosen; other lines (a plan changed meanwhile) are not
    taken as the same."""
    from planner.core.summary import SummaryList

    given = sorted(lines(50, seed=5), key=lambda s: s.patient.sort_key)
    model = model_of(table)
    model.set_summaries(SummaryList([s.patient.id for s in given], given.__getitem__))
    table.selectRow(7)
    chosen = model.summary_at(7).patient.id
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    same = [dataclasses.replace(s) for s in given]
    assert model.adopt(same)
    assert not resets
    assert model.summary_at(table.selectionModel().selectedRows()[0].row()).patient.id == chosen
    assert model.summaries() == same
    assert model.summaries()[0] is same[0]
    changed = [*same[:-1], dataclasses.replace(same[-1], warnings=same[-1].warnings + 1)]
    assert not model.adopt(changed)
    assert model.summaries() == same  # not taken: the caller sets the new list instead
