"""What someone typed is shown as typed, never read as HTML: in the printed pages (Qt's
HTML renderer prints them), in labels, message boxes and tooltips."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCharFormat, QTextDocument
from PySide6.QtWidgets import QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from planner.catalog import Catalog
from planner.core.batch import plan_schedules
from planner.core.booking import Booking
from planner.core.chairs import Chair, Occupancy, UnitResources
from planner.core.closures import ClosureSet
from planner.core.patient import Patient
from planner.core.plan import Plan, PlanOptions
from planner.core.schedule import DelayReason, Policy
from planner.core.settings import UnitSettings
from planner.day_hospital.bookings import day_sheet, day_sheet_html
from planner.export.handout import handout_html
from planner.gui.plain import message_box, tip
from planner.gui.printing import _html_document
from planner.i18n import speaking
from planner.store import Store
from planner.worklists.calls import Call, calls_html
from planner.worklists.week import week_html, week_sessions
from tests.gui.conftest import open_window

pytestmark = pytest.mark.usefixtures("qtbot")

IMAGE = "<img src=file:///etc/passwd>"
LINK = '<a href="https://evil.example/">click</a>'
FAMILY = f"Martin{IMAGE}"
GIVEN = f"Anne{LINK}"
MONDAY = date(2027, 3, 8)
SETTINGS = UnitSettings(name=f"HDJ {LINK}", address=IMAGE, phone="01 23 45 67 89")


def rendered(html: str) -> QTextDocument:
    """As the pages are printed (planner.gui.printing)."""
    return _html_document(html)


def anchors_and_images(document: QTextDocument) -> list[str]:
    """The links and images Qt made of the document."""
    found = []
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            form: QTextCharFormat = fragment.charFormat()
            if form.isAnchor() or form.isImageFormat():
                found.append(fragment.text())
            it += 1
        block = block.next()
    return found


def test_printed_pages_show_names_and_notes_as_text(catalog: Catalog) -> None:
    patient = Patient("p", FAMILY, GIVEN, f"HN{IMAGE}", contact=LINK)
    plan = Plan("p", patient, catalog.regimen("pembrolizumab-200-q3w"), MONDAY)
    resources = UnitResources(chairs=(Chair(IMAGE), Chair("B")))
    unit = Occupancy(resources)
    unit.adopt({("p", (1, 1, 1)): Booking(time(9), 60, IMAGE, MONDAY)})
    schedules = plan_schedules([plan], ())
    call = Call(patient, "p", "Pembrolizumab", (1, 2, 1), "C2", MONDAY, MONDAY, LINK)
    with speaking("en"):
        pages = {
            "handout": handout_html(schedules[0], SETTINGS, lang="en", today=MONDAY),
            "day sheet": day_sheet_html(
                day_sheet(unit, schedules, MONDAY, today=MONDAY), MONDAY, SETTINGS, numbers=True
            ),
            "week": week_html(week_sessions(unit, schedules, MONDAY), SETTINGS, numbers=True),
            "calls": calls_html([call], "Calls", SETTINGS),
        }
    for name, html in pages.items():
        document = rendered(html)
        text = document.toPlainText()
        assert IMAGE in text or IMAGE.upper() in text, name
        assert "\ufffc" not in text, name  # an image's place holder
        assert anchors_and_images(document) == [], name
        if name != "handout":  # the handout names the unit, not the patient
            assert "click</a>" in text or "CLICK</A>" in text, name


def test_a_tooltip_shows_html_as_text() -> None:
    document = rendered(tip(f"{IMAGE}\n{LINK}"))
    assert document.toPlainText() == f"{IMAGE}\n{LINK}"
    assert tip("MARTIN Anne") == "MARTIN Anne"  # plain text stays as it is


def test_a_message_box_shows_html_as_text(qtbot: QtBot) -> None:
    box = message_box(QMessageBox.Icon.Warning, "t", f"{FAMILY} could not be saved", None)
    qtbot.addWidget(box)
    assert box.textFormat() == Qt.TextFormat.PlainText


AT = datetime(2027, 1, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def hostile_db(tmp_path: Path, catalog: Catalog) -> Path:
    """A unit as an older version left it: a name with a line break and HTML, kept."""
    path = tmp_path / "unit.db"
    with Store.open(path) as store:
        store.save_settings(SETTINGS)
        patient = store.add_patient("Martin", GIVEN, "HN-1", author="t", at=AT, language="en")
        # Written as no version does any more: the store keeps what it is given.
        patient = store.update_patient(
            patient, author="t", at=AT, family_name=f"Martin\r\nBEGIN:VEVENT{IMAGE}"
        )
        plan = store.create_plan(
            patient,
            catalog.regimen("pembrolizumab-200-q3w"),
            MONDAY,
            author="t",
            at=AT,
            policy=Policy.GRID,
            closure_set=ClosureSet.FR,
            options=PlanOptions(),
        )
        from planner.core import changes
        from planner.core.plan_schedule import schedule_of

        store.record(
            plan,
            changes.delay(
                schedule_of(plan, catalog.port_rules), (1, 2, 1), DelayReason.OTHER, days=7
            ),
            author=f"cb{LINK}",
            at=AT,
            today=date(2027, 3, 20),
            port_rules=catalog.port_rules,
            note=f"voir {LINK}",
        )
    return path


def test_the_window_shows_a_name_kept_by_an_older_version_escaped_and_as_text(
    qtbot: QtBot, hostile_db: Path, catalog: Catalog, gui_settings: Any
) -> None:
    window = open_window(qtbot, hostile_db, catalog, gui_settings, "coordinator")
    try:
        model = window.patients_model
        shown = model.index(0, 0).data()
        assert shown.startswith("MARTIN\\r\\nBEGIN:VEVENT<IMG")  # visible, on one line
        window.patients.selectRow(0)
        window.plan_view.tabs.setCurrentWidget(window.plan_view.history)
        qtbot.wait(10)
        assert window.plan_view.history.table.model().rowCount() >= 1
        tooltips = [
            model.index(row, column).data(Qt.ItemDataRole.ToolTipRole)
            for model in (model, window.plan_view.table.model())
            for row in range(min(model.rowCount(), 5))
            for column in range(model.columnCount())
        ]
        for text in filter(None, tooltips):
            document = rendered(text)
            assert anchors_and_images(document) == [], text
            assert "\ufffc" not in document.toPlainText(), text
        assert any("<IMG SRC" in rendered(t).toPlainText() for t in filter(None, tooltips))
        offenders = [
            label.text()
            for label in window.findChildren(QLabel)
            if ("<img" in label.text().lower() or "<a href" in label.text())
            and label.textFormat() != label.textFormat().PlainText
        ]
        assert offenders == []
    finally:
        window.unit.store.close()
