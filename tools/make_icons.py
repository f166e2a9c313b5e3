"""Render the program's icon (the SVG original) into the PNG sizes desktops ask for.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tools.make_icons

Qt's own SVG renderer (QtSvg, part of PySide6-Essentials) draws each size from the SVG, so
the PNGs are never edited by hand: change the SVG, run this, commit both. The PNGs are
committed, so that building the package needs neither Qt nor a display.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from planner import resources


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 (QPainter needs an application)
    source = resources.icon_file()
    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        print(f"{source}: not an SVG Qt can draw", file=sys.stderr)
        return 1
    for size in resources.ICON_SIZES:
        target = resources.icon_file(size)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not render(renderer, size).save(str(target), b"PNG"):
            print(f"{target}: could not be written", file=sys.stderr)
            return 1
        print(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
