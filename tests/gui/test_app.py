"""The application's start: the display language, and what is said when it is missing."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from planner import __version__, i18n, resources
from planner.gui.app import main, say_missing_translation, speak, speak_qt, window_icon


def test_the_chosen_language_is_spoken() -> None:
    assert speak("fr") == ""
    assert i18n.language() == "fr"


def test_a_missing_translation_is_said_in_english_and_the_window_carries_on(
    qtbot: QtBot, installed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    french = installed / "translations" / "fr"
    mo = french / "LC_MESSAGES" / "planner.mo"
    mo.unlink()
    (french / "LC_MESSAGES" / "planner.po").unlink()  # as in an installed copy
    text = speak("fr")
    assert i18n.language() == "en"
    assert text == (
        f"The French translation cannot be used: {mo} was not found.\n\n"
        "Infusion Planner carries on in English."
    )
    shown: list[QMessageBox] = []  # offscreen, a shown box makes Qt warn
    monkeypatch.setattr(QMessageBox, "show", lambda box: shown.append(box))  # noqa: PLW0108
    parent = QWidget()
    qtbot.addWidget(parent)
    box = say_missing_translation(parent, text)
    assert shown == [box]
    assert (box.windowTitle(), box.text(), box.isModal()) == ("Translation not found", text, False)


def test_the_windows_carry_the_programs_icon_in_every_size() -> None:
    icon = window_icon()
    assert [size.width() for size in icon.availableSizes()] == list(resources.ICON_SIZES)
    assert icon.pixmap(32).width() == 32


def test_version_says_the_programs_version_and_starts_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as done:
        main(["infusion-planner-gui", "--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"infusion-planner {__version__}\n"


def test_qts_own_buttons_speak_french_and_the_log_says_from_where(
    qapp: QApplication, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="planner.gui.app"):
        translator = speak_qt(qapp, "fr")
    try:
        assert translator is not None
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Annuler"
        assert caplog.messages == [f"Qt's own translation loaded from {translator.filePath()}"]
        assert Path(translator.filePath()).name == "qtbase_fr.qm"
    finally:
        qapp.removeTranslator(translator)


def test_a_missing_qt_translation_leaves_qts_buttons_in_english_and_says_so(
    qapp: QApplication, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="planner.gui.app"):
        assert speak_qt(qapp, "xx") is None
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    (message,) = caplog.messages
    assert message.startswith("Qt's own translation qtbase_xx was not found in ")


def test_a_start_that_opens_no_unit_exits_with_an_error_not_a_figure(tmp_path: Path) -> None:
    """--exit-after-startup (the benchmark, the bundle's check) said 0 and its timings when
    the unit could not be opened; unattended, it asks nothing and says why."""
    import subprocess
    import sys

    bad = tmp_path / "bad.db"
    bad.write_text("not a database\n", encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PLANNER_LOG_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "main.py", "--exit-after-startup", "--db", str(bad)],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert "painted" not in done.stdout
    assert f"{bad} is not a database" in done.stderr
