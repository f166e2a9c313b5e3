"""Printing the patient handout: to a PDF file, or to a printer chosen in a print dialog.

The handout's HTML (planner.export.handout) is laid out by QTextDocument in CSS pixels
(1/96 inch, what its font sizes in points and its cell paddings are written against), on a
page the size of the device's printable area, then painted page by page scaled to the
device's resolution, with a footer (patient's name, page n of N) on every page.

Known pitfall (reference/QT_AND_PERFORMANCE.md §2.4): ``doc.drawContents`` on a 300 dpi
device without scaling gives text about 3× too small; letting ``doc.print_`` paginate adds
its own 2 cm margins inside the device's. Painting the pages ourselves avoids both.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QFont,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextTable,
)
from PySide6.QtPrintSupport import QPrinter

from planner.core.booking import Booking
from planner.core.plan_schedule import PlanSchedule
from planner.core.schedule import SessionKey
from planner.core.settings import UnitSettings
from planner.export.files import ExportError, write_atomically
from planner.export.handout import handout_html
from planner.i18n import N_, Message, _, speaking

Bookings = Mapping[SessionKey, Booking] | None
"""Start times of booked sessions (none: every session is all-day)."""
PDF_DPI = 300
MARGIN_MM = 15.0
CSS_DPI = 96.0
"""QTextDocument lays out HTML in pixels of this size (its default, screen-like device)."""
FOOTER_PT = 8.0


class _Document(QTextDocument):
    """A document laid out for a 96 dpi device whatever the screen (HiDPI, or none)."""

    def __init__(self) -> None:
        super().__init__()
        # Kept alive with the document: the layout holds a pointer to it.
        self._device = QImage(1, 1, QImage.Format.Format_Mono)
        dots_per_metre = round(CSS_DPI / 0.0254)
        self._device.setDotsPerMeterX(dots_per_metre)
        self._device.setDotsPerMeterY(dots_per_metre)
        self.documentLayout().setPaintDevice(self._device)


def _document(
    ps: PlanSchedule,
    settings: UnitSettings,
    lang: str,
    today: date,
    bookings: Bookings,
    subscription: str | None,
) -> QTextDocument:
    # The subscription's QR code is in the HTML as a data: URL, which QTextDocument loads
    # itself: nothing to add to the document as a resource.
    html = handout_html(
        ps, settings, lang=lang, today=today, bookings=bookings, subscription=subscription
    )
    return _html_document(html)


def _html_document(html: str) -> QTextDocument:
    doc = _Document()
    font = QFont("DejaVu Sans")
    font.setPointSizeF(10.0)
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)
    doc.setHtml(html)
    return doc


def html_pdf(html: str, *, title: str, name: str, landscape: bool = False) -> bytes:
    """Any of the program's printed pages (HTML) as an A4 PDF, with "name — page n of N"."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_DPI)
    orientation = (
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    )
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            orientation,
            QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setTitle(title)
    writer.setCreator("Infusion Planner")
    _paint(_html_document(html), writer, _("{name} — page {page} of {pages}"), name)
    del writer  # finishes the PDF into the buffer
    buffer.close()
    return bytes(data.data())


def print_html(html: str, printer: QPrinter, *, title: str, name: str) -> None:
    printer.setDocName(title)
    _paint(_html_document(html), printer, _("{name} — page {page} of {pages}"), name)


def _footer_template(lang: str) -> str:
    with speaking(lang):
        return _("{name} — page {page} of {pages}")


def _continued_template(lang: str) -> str:
    with speaking(lang):
        return _("{heading} (continued)")


def paginate(doc: QTextDocument, page: QSizeF, continued: str = "{heading}") -> None:
    """Lay ``doc`` out on pages of ``page`` (CSS pixels): no row of a table cut across two
    pages, no heading alone at a page's foot, and a list whose month goes on over a page says
    its month again at the top of the page (``continued``: "{heading} (continued)", in the
    document's language).

    The first problem in reading order is mended first, then the document is looked at again:
    a mend only pushes what follows it, so what is before it stays mended, and what follows
    is judged where it now falls (a break decided on the old layout would be left behind,
    splitting a page at the wrong row)."""
    doc.setPageSize(page)
    pages = _Pages(doc, continued)
    for _mend in range(MAX_MENDS):
        found = [
            problem
            for problem in (
                pages.heading_alone(),
                pages.row_cut(),
                pages.heading_row_alone(),
                pages.month_not_said(),
            )
            if problem is not None
        ]
        if not found:
            break
        min(found, key=lambda problem: problem[0])[1]()


MAX_MENDS = 60
"""Page breaks and repeated headings a document may need (three pages need a dozen)."""

Problem = tuple[int, Callable[[], None]]
"""Where a pagination problem is (its position in the document) and how to mend it."""


class _Pages:
    """Where blocks and table rows fall on the pages of a laid-out document, and page
    breaks that keep a heading with what follows it and a table's row whole.

    A table row spanning every column is a heading (a month of the handout's list)."""

    def __init__(self, doc: QTextDocument, continued: str) -> None:
        self.doc = doc
        self.continued = continued
        self.page = doc.pageSize().height()
        self.layout = doc.documentLayout()

    def of(self, block: QTextBlock) -> int:
        """The page of a block's first line (a block's lines can start on the next page
        while the block itself starts at the foot of this one)."""
        top = self.layout.blockBoundingRect(block).top()
        if block.layout().lineCount():
            top += block.layout().lineAt(0).y()
        return int((top + 1) // self.page)  # at a page's top, give or take a rounding

    def of_row(self, table: QTextTable, row: int) -> int:
        return self.of(self.first_block(table, row))

    @staticmethod
    def first_block(table: QTextTable, row: int) -> QTextBlock:
        return table.cellAt(row, 0).firstCursorPosition().block()

    def row_pages(self, table: QTextTable, row: int) -> tuple[int, int]:
        """The pages of the first and the last line of a row, all its cells together."""
        pages = []
        for column in range(table.columns()):
            cell = table.cellAt(row, column)
            block = cell.firstCursorPosition().block()
            end = cell.lastCursorPosition().block()
            while block.isValid():
                top = self.layout.blockBoundingRect(block).top()
                lines = block.layout()
                for n in range(lines.lineCount()):
                    line = lines.lineAt(n)
                    pages.append(int((top + line.y() + 1) // self.page))
                    pages.append(int((top + line.y() + line.height() - 1) // self.page))
                if block == end:
                    break
                block = block.next()
        return (min(pages), max(pages)) if pages else (0, 0)

    def tables(self) -> list[QTextTable]:
        return [
            frame
            for frame in self.doc.rootFrame().childFrames()
            if isinstance(frame, QTextTable) and frame.columns() > 1
        ]

    @staticmethod
    def is_heading(table: QTextTable, row: int) -> bool:
        return table.cellAt(row, 0).columnSpan() == table.columns()

    @staticmethod
    def break_after(table: QTextTable, row: int) -> None:
        """The row ends its page (a break after its first cell's last block)."""
        cursor = table.cellAt(row, 0).lastCursorPosition()
        block_format = cursor.blockFormat()
        block_format.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysAfter)
        cursor.setBlockFormat(block_format)

    def start_page_with(self, table: QTextTable, row: int) -> None:
        """``row`` starts the next page, with the month heading just above it if any: a
        page break after the row above them, or before the table when they are its first
        (a break after a heading would leave it alone at its page's foot). A table that
        starts the page takes a heading (h1-h3) just above it along: a break before the
        table left the heading at the page's foot, and the heading, moved on by
        :meth:`heading_alone`, then had a page of its own (the handout's QR code section,
        its heading on page 4 of 5 and the code on page 5)."""
        first = table.format().headerRowCount()
        while row > first and self.is_heading(table, row - 1):
            row -= 1
        above = table.firstCursorPosition().block().previous()
        if row == first and above.isValid() and above.blockFormat().headingLevel():
            self._break_before(above)
        elif row == first:
            table_format = table.format()
            table_format.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
            table.setFormat(table_format)
        else:
            self.break_after(table, row - 1)

    # ------------------------------------------------------------------ the problems
    def heading_alone(self) -> Problem | None:
        """The first heading (h1-h3) whose next block starts the next page: it starts that
        page itself (a page break before it)."""
        block = self.doc.rootFrame().firstCursorPosition().block()
        while block.isValid():
            following = block.next()
            if (
                block.blockFormat().headingLevel()
                and following.isValid()
                and self.doc.frameAt(block.position()) is self.doc.rootFrame()
                and self.of(following) > self.of(block)
            ):
                return block.position(), lambda block=block: self._break_before(block)
            block = following
        return None

    @staticmethod
    def _break_before(block: QTextBlock) -> None:
        cursor = QTextCursor(block)
        block_format = cursor.blockFormat()
        block_format.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        cursor.setBlockFormat(block_format)

    def row_cut(self) -> Problem | None:
        """The first row whose lines fall on two pages (an appointment's day on one, its
        time on the next): it starts the next page."""
        for table in self.tables():
            for row in range(table.format().headerRowCount(), table.rows()):
                top, bottom = self.row_pages(table, row)
                if top != bottom:
                    where = self.first_block(table, row).position()
                    return where, lambda table=table, row=row: self.start_page_with(table, row)
        return None

    def heading_row_alone(self) -> Problem | None:
        """The first heading row (a month) whose next row starts the next page: it starts
        that page with it."""
        for table in self.tables():
            for row in range(table.format().headerRowCount(), table.rows() - 1):
                if self.is_heading(table, row) and self.of_row(table, row + 1) > self.of_row(
                    table, row
                ):
                    where = self.first_block(table, row).position()
                    return where, lambda table=table, row=row: self.start_page_with(table, row)
        return None

    def month_not_said(self) -> Problem | None:
        """The first page that starts in the middle of a heading's rows: it starts with
        that heading again, ``continued``."""
        for table in self.tables():
            heading: int | None = None
            for row in range(table.format().headerRowCount(), table.rows()):
                if self.is_heading(table, row):
                    heading = row
                elif (
                    heading is not None
                    and row > heading + 1
                    and self.of_row(table, row) > self.of_row(table, row - 1)
                ):
                    where = self.first_block(table, row).position()
                    return where, (
                        lambda table=table, heading=heading, row=row: self.insert_heading(
                            table, heading, row
                        )
                    )
        return None

    def insert_heading(self, table: QTextTable, heading: int, row: int) -> None:
        """A copy of the heading row ``heading`` before ``row``, which starts a page."""
        source = table.cellAt(heading, 0)
        text = source.firstCursorPosition().block().text()
        char_format = source.firstCursorPosition().charFormat()
        table.insertRows(row, 1)
        table.mergeCells(row, 0, 1, table.columns())
        cell = table.cellAt(row, 0)
        cell.setFormat(source.format())
        cell.firstCursorPosition().insertText(self.continued.format(heading=text), char_format)
        self.break_after(table, row - 1)


def _paint(
    doc: QTextDocument,
    device: QPagedPaintDevice,
    footer: str,
    name: str,
    continued: str = "{heading}",
) -> None:
    """Lay ``doc`` out on the device's printable area and paint every page with a footer."""
    scale = device.logicalDpiY() / CSS_DPI
    width = device.width() / scale
    height = device.height() / scale
    footer_height = FOOTER_PT * 2.4 * CSS_DPI / 72.0
    paginate(doc, QSizeF(width, height - footer_height), continued)
    page_height = doc.pageSize().height()
    pages = doc.pageCount()
    footer_font = QFont(doc.defaultFont())
    footer_font.setPointSizeF(FOOTER_PT)
    painter = QPainter()
    if not painter.begin(device):
        raise ExportError(Message(N_("the printer or file could not be opened")))
    # A PDF keeps images as drawn, not as JPEG: the handout's QR code went in as a JPEG,
    # its modules' edges blurred with JPEG's ringing (Qt's PDF engine picks JPEG for
    # colour images unless told this).
    painter.setRenderHint(QPainter.RenderHint.LosslessImageRendering)
    try:
        for page in range(pages):
            if page and not device.newPage():
                raise ExportError(Message(N_("the printer refused a new page")))
            painter.save()
            painter.scale(scale, scale)
            painter.translate(0, -page * page_height)
            doc.drawContents(painter, QRectF(0, page * page_height, width, page_height))
            painter.restore()
            # The footer in device units: a font in points is resolved against the device.
            painter.setFont(footer_font)
            top = (height - footer_height) * scale
            box = QRectF(0, top, device.width(), device.height() - top)
            painter.drawLine(box.topLeft(), box.topRight())
            text = footer.format(name=name, page=page + 1, pages=pages)
            flags = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom
            painter.drawText(box, int(flags), text)
    finally:
        painter.end()


def handout_pdf(
    ps: PlanSchedule,
    settings: UnitSettings,
    *,
    lang: str,
    today: date,
    bookings: Bookings = None,
    subscription: str | None = None,
) -> bytes:
    """The handout as the bytes of an A4 portrait PDF with 15 mm margins; ``subscription``:
    the link of the patient's live calendar, printed with its QR code (none: left out)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
            QPageLayout.Unit.Millimeter,
        )
    )
    name = ps.plan.patient.name
    writer.setTitle(_title(name, lang))
    writer.setCreator("Infusion Planner")
    _paint(
        _document(ps, settings, lang, today, bookings, subscription),
        writer,
        _footer_template(lang),
        name,
        _continued_template(lang),
    )
    del writer  # finishes the PDF into the buffer
    buffer.close()
    return bytes(data.data())


def write_handout_pdf(
    ps: PlanSchedule,
    settings: UnitSettings,
    path: Path,
    *,
    lang: str,
    today: date,
    bookings: Bookings = None,
    subscription: str | None = None,
) -> None:
    """Write the handout to ``path`` as a PDF: the whole file or nothing (ExportError)."""
    pdf = handout_pdf(
        ps, settings, lang=lang, today=today, bookings=bookings, subscription=subscription
    )
    write_atomically(path, [pdf])


def print_handout(
    ps: PlanSchedule,
    settings: UnitSettings,
    printer: QPrinter,
    *,
    lang: str,
    today: date,
    bookings: Bookings = None,
    subscription: str | None = None,
) -> None:
    """Print the handout on ``printer`` (set up by a QPrintDialog), on its page layout."""
    name = ps.plan.patient.name
    printer.setDocName(_title(name, lang))
    _paint(
        _document(ps, settings, lang, today, bookings, subscription),
        printer,
        _footer_template(lang),
        name,
        _continued_template(lang),
    )


def _title(name: str, lang: str) -> str:
    with speaking(lang):
        return _("Treatment calendar of {name}").format(name=name)
