"""What the coordinator reads when the program met a problem nothing caught (a fault of ours).

What happened, in one line; that nothing saved was lost (the store saves every change in one
transaction, rolled back whole when it fails, planner.store.store); where the log is; and a
button that puts the details (version, system, traceback) on the clipboard for support. The
window stays usable. Every text is plain: an exception's message may quote what was typed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QStyle,
    QVBoxLayout,
)

from planner.i18n import _


def _label(text: str, *, selectable: bool = False) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if selectable:  # the log's path, to paste into a file manager or a message
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class UnexpectedProblemDialog(QDialog):
    """``problem``: the exception's kind and message in one line; ``report``: what "Copy
    details" copies; ``log``: the log file (None when it could not be written)."""

    def __init__(self, problem: str, report: str, log: Path | None, parent: Any = None) -> None:
        super().__init__(parent)
        self.report = report
        self.setWindowTitle(_("Unexpected problem"))
        self.what = _label(
            _("Infusion Planner met an unexpected problem: {problem}").format(problem=problem)
        )
        self.safe = _label(
            _(
                "Nothing already saved was lost: each change is saved whole or not at all, "
                "so a change the problem interrupted was not saved. Check that your last "
                "change is there, and carry on working."
            )
        )
        self.where = _label(
            _("The details are in the log file {path}.").format(path=log), selectable=True
        )
        self.where.setVisible(log is not None)
        self.again = _label(
            _(
                "If the problem comes back, copy the details and send them to whoever looks "
                "after Infusion Planner for you."
            )
        )
        self.copied = _label("")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = buttons.addButton(
            _("Copy &details"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.copy_button.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)

        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(size)
        )
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        texts = QVBoxLayout()
        for label in (self.what, self.safe, self.where, self.again, self.copied):
            texts.addWidget(label)
        row = QHBoxLayout()
        row.addWidget(icon)
        row.addLayout(texts, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.report)
        self.copied.setText(_("The details are copied: paste them into your message."))
