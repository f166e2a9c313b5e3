"""Every action of the window answers its own keys, on the platform the tests run on.

Qt gives a key that two enabled actions share to neither ("ambiguous shortcut"): the
coordinator presses Ctrl+O and nothing happens. Standard keys differ by platform (on X11,
Redo is Ctrl+Shift+Z; on Windows, Ctrl+Y), so this runs offscreen and under a real X server
(tests/gui/test_x11.py).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from pytestqt.qtbot import QtBot

from planner.gui.main_window import MainWindow
from planner.i18n import set_language
from tests.gui.conftest import TODAY


def _every_key(window: MainWindow) -> dict[str, list[str]]:
    """Each key sequence bound in the window, and the actions (or shortcuts) it triggers."""
    window.plan_view  # noqa: B018 - made when first needed: its actions count too
    keys: dict[str, list[str]] = defaultdict(list)
    seen: set[int] = set()
    objects: list[Any] = [*window.findChildren(QAction), *window.findChildren(QShortcut)]
    for top in window.menuBar().actions():
        menu: Any = top.menu()
        if menu is not None:
            objects += menu.actions()
    for thing in objects:
        if id(thing) in seen:
            continue
        seen.add(id(thing))
        sequences = thing.shortcuts() if isinstance(thing, QAction) else [thing.key()]
        name = thing.text() if isinstance(thing, QAction) else thing.objectName()
        for sequence in sequences:
            if not sequence.isEmpty():
                keys[sequence.toString(QKeySequence.SequenceFormat.PortableText)].append(name)
    return keys


@pytest.mark.parametrize("language", ["en", "fr"])
def test_no_two_actions_share_a_key(qtbot: QtBot, gui_settings: Any, language: str) -> None:
    set_language(language)
    window = MainWindow(TODAY, gui_settings)
    qtbot.addWidget(window)
    shared = {key: names for key, names in _every_key(window).items() if len(names) > 1}
    assert shared == {}, "keys given to more than one action (or twice to one)"


def test_redo_answers_both_usual_keys_and_undo_its_own(window: MainWindow) -> None:
    portable = QKeySequence.SequenceFormat.PortableText
    redo = [k.toString(portable) for k in window.act.redo.shortcuts()]
    assert "Ctrl+Shift+Z" in redo
    assert "Ctrl+Y" in redo
    assert len(redo) == len(set(redo))
    assert window.act.undo.shortcut().toString() == "Ctrl+Z"


def test_omitting_doses_and_opening_a_database_have_their_own_keys(window: MainWindow) -> None:
    omit, open_database = window.act.omit.shortcuts(), window.act.open_database.shortcuts()
    assert omit
    assert open_database
    assert not {k.toString() for k in omit} & {k.toString() for k in open_database}


def test_the_daily_actions_have_a_key(window: MainWindow) -> None:
    a = window.act
    for action in (
        a.new_plan,
        a.undo,
        a.redo,
        a.delay,
        a.omit,
        a.give,
        a.book_plan,
        a.export_calendar,
        a.print_handout,
        a.save_handout,
        a.find_patient,
        a.show_patients,
        a.show_unit,
        a.settings,
    ):
        assert not action.shortcut().isEmpty(), action.text()


def _alt_letters(window: MainWindow, page: Any) -> dict[str, list[str]]:
    """Each Alt+letter of what is on ``page`` (and the menu bar, always there)."""
    import re

    from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QTabBar, QWidget

    found: dict[str, list[str]] = defaultdict(list)

    def add(text: str, what: str) -> None:
        letter = re.search(r"&(\w)", text or "")
        if letter:
            found[letter.group(1).lower()].append(f"{what}: {text}")

    for top in window.menuBar().actions():
        add(top.text(), "menu")
    for tabs in window.findChildren(QTabBar):
        if tabs.isVisibleTo(window):
            for index in range(tabs.count()):
                add(tabs.tabText(index), "tab")
    widgets: list[QWidget] = [*page.findChildren(QAbstractButton), *page.findChildren(QLabel)]
    for widget in widgets + page.findChildren(QGroupBox):
        if not widget.isVisibleTo(window):
            continue
        if isinstance(widget, QLabel) and widget.buddy() is None:
            continue  # a label's letter reaches its buddy only
        add(widget.title() if isinstance(widget, QGroupBox) else widget.text(), "button")
    return found


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
@pytest.mark.parametrize("language", ["en", "fr"])
def test_each_page_has_its_own_alt_letters(
    qtbot: QtBot, unit_db: Any, catalog: Any, gui_settings: Any, language: str
) -> None:
    """Alt+letter reaches one thing on the page shown: a button sharing a menu's letter
    (Alt+P: "Find a place" and the Plan menu) makes Qt reach neither."""
    from tests.gui.conftest import open_window

    set_language(language)
    window = open_window(qtbot, unit_db, catalog, gui_settings, "cb")
    window.show()
    window.search.setText("Bruno")
    window.patients.selectRow(0)
    window.plan_view.find_place.show()  # shown when a booking is to redo
    pages = [window.tabs.widget(0)]
    window.tabs.setCurrentIndex(1)
    pages.append(window.unit_view)
    for index, page in enumerate(pages):
        window.tabs.setCurrentIndex(index)
        shared = {k: v for k, v in _alt_letters(window, page).items() if len(v) > 1}
        assert shared == {}, f"page {index}"
    window.unit.store.close()
