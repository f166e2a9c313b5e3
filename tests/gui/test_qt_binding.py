"""The Qt binding itself: what the program relies on from PySide6.

PySide6-Essentials 6.12.0 on CPython 3.11 gives back ``None`` from every method that returns
nothing without counting the reference (harmless from CPython 3.12, where None is immortal):
each ``setPen`` or ``setEnabled`` takes one from None's count, and the month calendar makes
about 600 such calls a paint. After some minutes of use the count reaches zero and the
interpreter aborts ("deallocating None"). pyproject.toml keeps PySide6 below 6.12.
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QCheckBox
from pytestqt.qtbot import QtBot


def test_qt_calls_that_return_nothing_keep_none_alive(qtbot: QtBot) -> None:
    box = QCheckBox()
    qtbot.addWidget(box)
    image = QImage(16, 16, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    before = sys.getrefcount(None)
    for _ in range(1000):
        painter.setPen(QColor("black"))
        painter.drawLine(0, 0, 8, 8)
        box.setEnabled(True)
    after = sys.getrefcount(None)
    painter.end()
    assert abs(after - before) < 100, f"None lost {before - after} references"
