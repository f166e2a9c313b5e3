"""Thin Qt models over core values, and what they share."""

from __future__ import annotations

import functools

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtGui import QFont

Index = QModelIndex | QPersistentModelIndex
"""What Qt passes a model's methods as an index."""


@functools.cache
def bold_font() -> QFont:
    """For session rows. Made on first use: a QFont needs the QGuiApplication to exist."""
    font = QFont()
    font.setBold(True)
    return font
