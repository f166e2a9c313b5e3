"""Text shown as typed, never read as HTML.

A QLabel, a QMessageBox and a tooltip guess whether their text is HTML (Qt's
``mightBeRichText``), so a patient named "<img src=file:///etc/passwd>" or a note holding
``<a href=...>`` would be rendered: an image loaded from a file, a link to click. Every
message box here goes through :func:`message_box`, which says its text is plain, and every
tooltip that may hold what someone typed goes through :func:`tip`.
"""

from __future__ import annotations

from PySide6.QtGui import Qt as QtGui_Qt
from PySide6.QtWidgets import QMessageBox, QWidget

Icon = QMessageBox.Icon
Button = QMessageBox.StandardButton


def message_box(
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    parent: QWidget | None,
    buttons: QMessageBox.StandardButton = Button.Ok,
) -> QMessageBox:
    """A message box that shows ``text`` as plain text (its details are always plain)."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(QtGui_Qt.TextFormat.PlainText)
    return box


def warn(parent: QWidget | None, title: str, text: str) -> None:
    message_box(Icon.Warning, title, text, parent).exec()


def inform(parent: QWidget | None, title: str, text: str) -> None:
    message_box(Icon.Information, title, text, parent).exec()


def fail(parent: QWidget | None, title: str, text: str) -> None:
    message_box(Icon.Critical, title, text, parent).exec()


def ask(parent: QWidget | None, title: str, text: str) -> bool:
    """Yes or no; Yes is the default button."""
    box = message_box(Icon.Question, title, text, parent, Button.Yes | Button.No)
    box.setDefaultButton(Button.Yes)
    return box.exec() == Button.Yes


def tip(text: str) -> str:
    """A tooltip showing ``text`` as it is, line breaks kept: escaped into HTML when Qt
    would otherwise read it as HTML."""
    if not QtGui_Qt.mightBeRichText(text):
        return text
    return QtGui_Qt.convertFromPlainText(text, QtGui_Qt.WhiteSpaceMode.WhiteSpaceNormal)
