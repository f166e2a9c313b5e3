"""The day's starts, in the day grid's header: a bar per slot for the infusions starting in
it, under a stepped line for how many may (the nurses on duty, the pharmacy), along the
same time axis as the chairs below. A slot at its limit is vermilion; the busiest slot
says its number. With the figures line above the grid (:func:`figures_text`), what the
pharmacy and the nurses will live with that day, at a glance."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics, QPainter, QPen

from planner.core.chairs import DayFigures
from planner.gui.views.calendar_paint import ACCENT, MOVED, TEXT, tint
from planner.i18n import _, ngettext

STARTS = 30
"""The strip's height, in pixels."""


def busiest_limit(figures: DayFigures) -> int:
    """The limit of the busiest slot (of the busiest slots, the tightest)."""
    most = figures.busiest_slot
    limits = [limit for n, limit in zip(figures.starts, figures.limits, strict=True) if n == most]
    return min(limits, default=max(figures.limits, default=0))


def figures_text(figures: DayFigures) -> str:
    """ "Peak 57 chairs (at least 53) · at most 12 infusions start together (limit 12)"."""
    peak = ngettext(
        "Peak {peak} chair (at least {bound})",
        "Peak {peak} chairs (at least {bound})",
        figures.peak,
    ).format(peak=figures.peak, bound=figures.bound)
    most = figures.busiest_slot
    starts = ngettext(
        "at most {n} infusion starts in one slot (limit {limit})",
        "at most {n} infusions start together (limit {limit})",
        most,
    ).format(n=most, limit=busiest_limit(figures))
    return f"{peak} · {starts}"


def paint_starts(
    p: QPainter,
    figures: DayFigures,
    top: int,
    x_of: Callable[[int], int],
    label: QRect,
) -> None:
    """The strip from ``top`` (:data:`STARTS` high); ``x_of(slot)``: where a slot begins;
    its name in ``label``."""
    p.save()
    slots = len(figures.starts)
    fm = QFontMetrics(p.font())
    height = STARTS - fm.height() - 4  # room above the tallest bar for its number
    bottom = top + STARTS - 3
    highest = max([*figures.starts, *figures.limits, 1])
    if slots:
        p.fillRect(QRect(x_of(0), top, x_of(slots) - x_of(0), STARTS - 1), tint(ACCENT, 0.93))
    p.setPen(TEXT)
    name = fm.elidedText(_("Starts"), Qt.TextElideMode.ElideRight, label.width())
    p.drawText(label, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, name)
    most = figures.busiest_slot
    for slot, (n, limit) in enumerate(zip(figures.starts, figures.limits, strict=True)):
        left, right = x_of(slot), x_of(slot + 1)
        if n:
            bar = max(2, round(n / highest * height))
            full = n >= limit
            p.fillRect(
                QRect(left + 2, bottom - bar, max(2, right - left - 4), bar),
                MOVED if full else tint(ACCENT, 0.25),
            )
            if n == most and right - left >= fm.horizontalAdvance(str(n)):
                p.drawText(
                    QRect(left, bottom - bar - fm.height(), right - left, fm.height()),
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                    str(n),
                )
        # How many may start: a step of the line across the strip.
        y = bottom - round(min(limit, highest) / highest * height)
        p.setPen(QPen(TEXT, 1))
        p.drawLine(left, y, right, y)
        if slot and figures.limits[slot - 1] != limit:
            before = bottom - round(min(figures.limits[slot - 1], highest) / highest * height)
            p.drawLine(left, before, left, y)
        p.setPen(TEXT)
    p.restore()


def starts_tip(figures: DayFigures, slot: int, at: time) -> str:
    """ "10:15: 12 infusions start (limit 12)"."""
    n, limit = figures.starts[slot], figures.limits[slot]
    return ngettext(
        "{time}: {n} infusion starts (limit {limit})",
        "{time}: {n} infusions start (limit {limit})",
        n,
    ).format(time=at.isoformat(timespec="minutes"), n=n, limit=limit)
