"""CSV files that spreadsheets open: every table the planner writes for Excel or LibreOffice
goes through :func:`csv_lines`.

A cell whose text starts with "=", "+", "-" or "@" (or a tab or carriage return) is read by
a spreadsheet as a formula, which can run commands or send data away (OWASP, "CSV
injection"). A patient's name, a chair or a note typed by anyone would then act when a
coordinator opens the file. Such a cell is written with a leading apostrophe, as OWASP
recommends: it shows, and nothing is evaluated. Numbers the planner writes itself (a cycle,
a count) are not text and stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

from planner.core import text_fields

FORMULA_STARTS = (*sorted(text_fields.FORMULA_STARTS), "\t", "\r")
"""What a spreadsheet takes for the start of a formula (OWASP's list)."""

Cell = str | int | float | None


def neutral(cell: Cell) -> Cell:
    """The cell as written: text starting like a formula gets a leading apostrophe."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def csv_lines(
    head: Sequence[str], rows: Iterable[Sequence[Cell]], *, delimiter: str, bom: bool = True
) -> Iterator[bytes]:
    """A CSV table as UTF-8 bytes, a line at a time (a byte-order mark first for a file, so
    that spreadsheets read the accents), lines ended by CRLF as RFC 4180 says."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([neutral(cell) for cell in head])
    yield (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([neutral(cell) for cell in row])
        yield buffer.getvalue().encode("utf-8")
