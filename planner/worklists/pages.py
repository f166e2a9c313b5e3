"""What the work lists share: weeks, CSV files for spreadsheets, printed pages."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta
from html import escape

from planner import explain
from planner.i18n import language
from planner.spreadsheet import csv_lines

WEEK = 7


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def csv_rows(head: list[str], rows: Iterable[list[str]], *, bom: bool) -> Iterator[bytes]:
    """A CSV table as bytes: UTF-8 (with a byte-order mark for files, so that spreadsheets
    read the accents), ";" between columns in French as French spreadsheets expect."""
    return csv_lines(head, rows, delimiter=";" if language() == "fr" else ",", bom=bom)


def page(title: str, subtitle: str, body: str) -> str:
    return f"<html><body><h2>{escape(title)}</h2><p>{escape(subtitle)}</p>{body}</body></html>"


def table(head: list[str], rows: list[str], widths: Sequence[int] = ()) -> str:
    """A printed table: a week fills pages, so 9-point text, still read on a trolley;
    ``widths`` in percent keep the tables of one page aligned."""
    sizes = [f" width='{w}%'" for w in widths] or [""] * len(head)
    header = "".join(
        f"<th align='left'{size}>{escape(h)}</th>" for h, size in zip(head, sizes, strict=True)
    )
    return (
        "<table width='100%' cellspacing='0' cellpadding='3' border='1' "
        "style='border-collapse: collapse; font-size: 9pt'>"
        f"<thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def chair_hours(minutes: int) -> str:
    return explain.format_number(minutes / 60)
