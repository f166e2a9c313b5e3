"""The welcome dialog of a first start: the telephone is required and checked, the name and
address are kept as typed, the rest of the unit's settings untouched."""

from __future__ import annotations

from datetime import time

from pytestqt.qtbot import QtBot

from planner.core.settings import UnitSettings
from planner.gui.dialogs.welcome import WelcomeDialog
from planner.i18n import set_language


def test_the_phone_is_required_and_checked(qtbot: QtBot) -> None:
    dialog = WelcomeDialog(UnitSettings(session_reminder=time(19, 0)))
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    assert "Give the unit's telephone number" in dialog.message.text()
    dialog.name.setText(" Hôpital de jour d'oncologie ")
    dialog.address.setPlainText("12 rue de la Santé\n75014 Paris")
    dialog.phone.setText("01 23 45 67")
    assert not dialog.ok_button.isEnabled()
    assert dialog.message.text().startswith("“01 23 45 67” is not a telephone number")
    dialog.phone.setText("01 23 45 67 89")
    assert dialog.ok_button.isEnabled()
    assert dialog.message.text() == ""
    assert dialog.result_value() == UnitSettings(
        name="Hôpital de jour d'oncologie",
        address="12 rue de la Santé\n75014 Paris",
        phone="01 23 45 67 89",
        session_reminder=time(19, 0),
    )


def test_the_welcome_speaks_french(qtbot: QtBot) -> None:
    set_language("fr")
    dialog = WelcomeDialog(UnitSettings())
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Bienvenue dans le Planificateur de perfusions"
    dialog.phone.setText("12")
    assert dialog.message.text().startswith("«\u00a012\u00a0» n'est pas un numéro de téléphone")
    assert dialog.ok_button.text() == "&Enregistrer"


def test_it_says_where_the_details_are_changed_later(
    qtbot: QtBot, window: object, gui_settings: object
) -> None:
    """The place is read from the window's own menu and key, in its language."""
    from PySide6.QtWidgets import QLabel

    from planner.gui.main_window import MainWindow

    set_language("fr")
    french = MainWindow(window.today, gui_settings)  # type: ignore[attr-defined, arg-type]
    qtbot.addWidget(french)
    place = french.act.settings_place
    assert place == "Fichier › Paramètres du service (Ctrl+,)"
    dialog = WelcomeDialog(UnitSettings(), place=place)
    qtbot.addWidget(dialog)
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert f"Vous pourrez les modifier à tout moment dans {place}." in texts
