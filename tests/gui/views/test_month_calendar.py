"""The month calendar: what each day shows, and clicks and keys that choose a day."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import QEvent, QLocale, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from planner.catalog import Catalog
from planner.core import changes
from planner.core.closures import ClosureKind
from planner.core.patient import Patient
from planner.core.plan import Plan
from planner.core.plan_schedule import PlanSchedule, schedule_of
from planner.core.regimen import AgentClass
from planner.core.schedule import DelayReason, EventKind
from planner.gui.views.calendar_days import day_infos
from planner.gui.views.calendar_legend import CalendarLegend
from planner.gui.views.month_calendar import MonthCalendar
from planner.i18n import set_language

PATIENT = Patient("patient-1", "Martin", "Jeanne", "H123456")
MARCH = (date(2027, 3, 1), date(2027, 3, 31))


def schedule(
    catalog: Catalog, regimen_id: str = "pembrolizumab-pemetrexed-platinum-kn189"
) -> PlanSchedule:
    # Monday 8 March 2027: C2 falls on Easter Monday 29 March and moves to Tuesday 30.
    plan = Plan("plan-1", PATIENT, catalog.regimen(regimen_id), date(2027, 3, 8))
    return schedule_of(plan, catalog.port_rules, date(2027, 3, 1))


@pytest.fixture
def french_locale() -> Iterator[None]:
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
    yield
    QLocale.setDefault(before)


def make_calendar(qtbot: QtBot, ps: PlanSchedule | None) -> MonthCalendar:
    calendar = MonthCalendar(today=date(2027, 3, 10))
    qtbot.addWidget(calendar)
    calendar.set_schedule(ps)
    calendar.show_month(2027, 3)
    calendar.resize(calendar.sizeHint())
    calendar.show()
    qtbot.waitExposed(calendar)
    return calendar


def test_easter_monday_is_closed_with_its_name_in_either_language(catalog: Catalog) -> None:
    ps = schedule(catalog)
    easter = day_infos(ps, *MARCH)[date(2027, 3, 29)]
    assert easter.closed
    assert easter.closure is not None
    assert easter.closure.kind is ClosureKind.PUBLIC_HOLIDAY
    assert easter.closure_name == "Easter Monday"
    assert not easter.sessions
    # C2 was planned that day: the day says where it went.
    assert easter.moved_away_to == (date(2027, 3, 30),)
    set_language("fr")
    assert day_infos(ps, *MARCH)[date(2027, 3, 29)].closure_name == "Lundi de Pâques"
    # Without a plan the calendar still shows French public holidays.
    assert day_infos(None, *MARCH)[date(2027, 3, 29)].closure_name == "Lundi de Pâques"


def test_a_session_day_shows_its_classes_marks_and_why_it_moved(catalog: Catalog) -> None:
    infos = day_infos(schedule(catalog), *MARCH)
    c2 = infos[date(2027, 3, 30)]
    (mark,) = c2.sessions
    assert mark.index == 1
    # Pemetrexed and carboplatin (2 chemotherapies) before pembrolizumab: chemotherapy first.
    assert mark.classes == (AgentClass.CHEMOTHERAPY, AgentClass.IMMUNOTHERAPY)
    assert mark.moved
    assert "moved from Mon 29 Mar 2027: Easter Monday (public holiday)" in c2.tooltip
    assert EventKind.CONSULTATION in {e.kind for e in c2.events}
    # Dexamethasone from the day before to the day after the session: on each of the 3 days.
    for day in (29, 30, 31):
        assert EventKind.PREMEDICATION in {e.kind for e in infos[date(2027, 3, day)].events}
    lab = infos[date(2027, 3, 27)]  # Saturday: the blood test before C2
    assert lab.closure is not None
    assert lab.closure.kind is ClosureKind.WEEKEND
    # ...with the thyroid check, taken with every 3-week cycle's blood test (issue 21).
    assert [e.kind for e in lab.events] == [EventKind.LAB, EventKind.MONITORING]
    assert "Thyroid function" in lab.events[1].text
    assert "Blood test" in lab.tooltip


def test_a_delayed_session_is_marked_moved_and_its_old_day_says_so(catalog: Catalog) -> None:
    ps = schedule(catalog, "pembrolizumab-200-q3w")
    change = changes.delay(ps, (1, 1, 1), DelayReason.PATIENT_REQUEST, days=2)
    plan = changes.apply(
        ps.plan,
        change,
        author="coordinator",
        at=datetime(2027, 3, 1, tzinfo=UTC),
        today=date(2027, 3, 1),
        port_rules=catalog.port_rules,
    )
    infos = day_infos(schedule_of(plan, catalog.port_rules), *MARCH)
    (mark,) = infos[date(2027, 3, 10)].sessions
    assert mark.moved
    assert "delayed from Mon 8 Mar 2027 (patient's request)" in mark.text
    assert infos[date(2027, 3, 8)].moved_away_to == (date(2027, 3, 10),)


def test_the_month_title_speaks_the_locale(
    qtbot: QtBot, catalog: Catalog, french_locale: None
) -> None:
    calendar = make_calendar(qtbot, schedule(catalog))
    assert calendar.title.text() == "mars 2027"
    calendar.next_button.click()
    assert calendar.month() == (2027, 4)
    assert calendar.title.text() == "avril 2027"


def test_clicking_a_day_activates_it(qtbot: QtBot, catalog: Catalog) -> None:
    calendar = make_calendar(qtbot, schedule(catalog))
    rect = calendar.cell_rect(date(2027, 3, 30))
    assert not rect.isEmpty()
    with qtbot.waitSignal(calendar.date_activated) as activated:
        qtbot.mouseClick(calendar, Qt.MouseButton.LeftButton, pos=rect.center())
    assert activated.args == [date(2027, 3, 30)]
    assert calendar.selected_date() == date(2027, 3, 30)
    assert calendar.date_at(rect.center()) == date(2027, 3, 30)
    assert calendar.cell_rect(date(2027, 6, 1)).isEmpty()  # not on screen


def test_keys_move_the_selection_change_month_and_activate(qtbot: QtBot, catalog: Catalog) -> None:
    calendar = make_calendar(qtbot, schedule(catalog))
    calendar.select_date(date(2027, 3, 30))
    with qtbot.waitSignal(calendar.date_selected) as selected:
        qtbot.keyClick(calendar, Qt.Key.Key_Right)
    assert selected.args == [date(2027, 3, 31)]
    qtbot.keyClick(calendar, Qt.Key.Key_Down)  # a week later: into April
    assert calendar.selected_date() == date(2027, 4, 7)
    assert calendar.month() == (2027, 4)
    with qtbot.waitSignal(calendar.month_changed):
        qtbot.keyClick(calendar, Qt.Key.Key_PageDown)
    assert calendar.month() == (2027, 5)
    assert calendar.selected_date() == date(2027, 5, 7)
    qtbot.keyClick(calendar, Qt.Key.Key_PageUp)
    qtbot.keyClick(calendar, Qt.Key.Key_PageUp)
    assert calendar.month() == (2027, 3)
    with qtbot.waitSignal(calendar.date_activated) as activated:
        qtbot.keyClick(calendar, Qt.Key.Key_Return)
    assert activated.args == [date(2027, 3, 7)]


# The offscreen platform cannot raise the tooltip window; the tooltip is shown all the same.
@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_a_day_cell_tooltip_lists_everything_that_day(qtbot: QtBot, catalog: Catalog) -> None:
    calendar = make_calendar(qtbot, schedule(catalog))
    pos = calendar.cell_rect(date(2027, 3, 29)).center()
    help_event = QHelpEvent(QEvent.Type.ToolTip, pos, calendar.mapToGlobal(pos))
    assert QApplication.sendEvent(calendar, help_event)
    assert QToolTip.text().splitlines() == [
        "Monday 29 March 2027",
        "Closed: Easter Monday (public holiday)",
        "Induction · C2 · D1 was planned on this day: moved to Tue 30 Mar 2027",
        "• Dexamethasone tablets, morning and evening — "
        "the day before, the day of and the day after the session",
    ]
    QToolTip.hideText()


def test_an_empty_calendar_still_shows_closures(qtbot: QtBot) -> None:
    calendar = make_calendar(qtbot, None)
    info = calendar.day_info(date(2027, 3, 29))
    assert info is not None
    assert info.closed
    assert info.empty
    assert calendar.minimumSizeHint().width() >= 7 * 90


def test_screenshot_with_legend(qtbot: QtBot, catalog: Catalog) -> None:
    """Not an assertion of looks: a picture to judge them (tmp/month_calendar.png)."""
    calendar = make_calendar(qtbot, schedule(catalog))
    calendar.select_date(date(2027, 3, 30))
    legend = CalendarLegend()
    qtbot.addWidget(legend)
    assert "Blood test" in legend.texts
    assert not calendar.grab().isNull()
    calendar.grab().save("/tmp/month_calendar.png")
    legend.resize(legend.sizeHint())
    legend.grab().save("/tmp/calendar_legend.png")


def test_a_short_day_never_writes_a_holidays_name_over_its_session(
    qtbot: QtBot, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a small screen (1280×720) a week is short and a day's session goes on its number's
    line, where a holiday's name is written too: Easter Monday read "→ Tue 30 MarMonday", one
    text over the other. The hatching says the day is closed (its tooltip says why); the
    session, or where it went, is what is written."""
    from PySide6.QtCore import QRect, QRectF
    from PySide6.QtGui import QPainter

    from planner.gui.views import month_calendar

    drawn: list[tuple[QRectF, str]] = []

    class Recording(QPainter):
        def drawText(self, *args):
            if isinstance(args[0], QRect | QRectF) and isinstance(args[-1], str) and args[-1]:
                drawn.append((QRectF(args[0]), args[-1]))
            return super().drawText(*args)

    ps = schedule(catalog)  # C2 on Easter Monday 29 March goes to Tuesday 30
    calendar = make_calendar(qtbot, ps)
    calendar.resize(calendar.minimumSizeHint())  # the shortest weeks
    monkeypatch.setattr(month_calendar, "QPainter", Recording)
    calendar.grab()
    cell = QRectF(calendar.cell_rect(date(2027, 3, 29)))
    texts = [(rect, text) for rect, text in drawn if cell.contains(rect.center())]
    assert any(text == "29" for _rect, text in texts)
    assert any("30" in text and text != "30" for _rect, text in texts)  # where C2 went
    overlapping = [
        (a, b) for n, (ra, a) in enumerate(texts) for rb, b in texts[n + 1 :] if ra.intersects(rb)
    ]
    assert overlapping == []
