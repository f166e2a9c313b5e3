"""The handout's month grids: the next months at a glance, in black and white.

A treatment day is marked ● and shaded, another appointment ○, both in bold: a symbol, not
a colour, so the grids survive a black-and-white photocopy. Only the next three months:
further ahead, the handout's list by month says it all (a two-year plan's 24 grids took
two pages and said nothing the list does not).
"""

from __future__ import annotations

import calendar as monthdays
from collections.abc import Mapping
from datetime import date
from html import escape

from babel.dates import format_date as babel_format_date
from babel.dates import get_day_names

from planner.i18n import _, language, ngettext

SESSION_MARK = "●"
"""Marks a treatment day in the month grids (a symbol, so it survives black and white)."""
OTHER_MARK = "○"
"""Marks another appointment: blood test, scan, pump disconnection, port placement."""
GRID_MONTHS = 3
"""Month grids for the next three months only."""


def month_grids(marks: Mapping[date, str]) -> str:
    """A heading, the grids of the months from the first marked day (at most
    :data:`GRID_MONTHS`) in one row, and their legend; "" when nothing is marked."""
    if not marks:
        return ""
    first, last = min(marks), max(marks)
    months: list[str] = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month) and len(months) < GRID_MONTHS:
        months.append(_month(year, month, marks))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    width = 100 // GRID_MONTHS
    cells = "".join(f"<td width='{width}%' valign='top'>{cell}</td>" for cell in months)
    cells += "<td></td>" * (GRID_MONTHS - len(months))
    legend = _(
        "{session} treatment session   {other} other appointment (blood test, scan, "
        "pump disconnection…)"
    ).format(session=SESSION_MARK, other=OTHER_MARK)
    heading = ngettext(
        "Your next month at a glance", "Your next {n} months at a glance", len(months)
    ).format(n=len(months))
    return (
        f"<h2>{escape(heading)}</h2>"
        f"<table cellpadding='3' cellspacing='0' width='100%'><tr>{cells}</tr></table>"
        f"<p class='small'>{escape(legend)}</p>"
    )


def _month(year: int, month: int, marks: Mapping[date, str]) -> str:
    lang = language()
    title = babel_format_date(date(year, month, 1), "LLLL y", locale=lang)
    names = get_day_names("narrow", context="stand-alone", locale=lang)
    head = "".join(f"<td align='center'><b>{escape(names[d])}</b></td>" for d in range(7))
    rows = [f"<tr>{head}</tr>"]
    for week in monthdays.Calendar(firstweekday=0).monthdatescalendar(year, month):
        cells = []
        for day in week:
            if day.month != month:
                cells.append("<td></td>")
                continue
            mark = marks.get(day)
            if mark is None:
                cells.append(f"<td align='center' style='white-space: nowrap'>{day.day}</td>")
            else:
                shade = " bgcolor='#d9d9d9'" if mark == SESSION_MARK else ""
                cells.append(
                    f"<td align='center' style='white-space: nowrap'{shade}>"
                    f"<b>{mark}{day.day}</b></td>"
                )
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f"<p align='center'><b>{escape(title[:1].upper() + title[1:])}</b></p>"
        "<table class='month' border='1' cellpadding='1' cellspacing='0' width='100%' "
        f"style='border-color: #999; border-style: solid'>{''.join(rows)}</table>"
    )
