"""The handout as a PDF: A4, readable text with the patient's dates, written whole or not at
all; and on a printer. With the link of the patient's live calendar, a QR code that reads
back as the link."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import zxingcpp
from pypdf import PageObject, PdfReader
from PySide6.QtCore import QSizeF
from PySide6.QtGui import QTextBlock, QTextDocument, QTextTable
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from planner.catalog import Catalog
from planner.core.patient import Patient
from planner.core.plan import Plan
from planner.core.plan_schedule import PlanSchedule, schedule_of
from planner.core.settings import UnitSettings
from planner.export.files import ExportError
from planner.export.handout import handout_html
from planner.gui.printing import (
    CSS_DPI,
    FOOTER_PT,
    MARGIN_MM,
    _html_document,
    handout_pdf,
    paginate,
    print_handout,
    write_handout_pdf,
)

PATIENT = Patient("patient-1", "Martin", "Jeanne", "H123456", "fr")
SETTINGS = UnitSettings(name="Hôpital de jour", address="1 rue X, Paris", phone="01 23 45 67 89")
TODAY = date(2027, 2, 20)


def scheduled(catalog: Catalog, regimen_id: str = "mfolfox6-q14") -> PlanSchedule:
    plan = Plan("plan-1", PATIENT, catalog.regimen(regimen_id), date(2027, 3, 8))
    return schedule_of(plan, catalog.port_rules)


def read(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, " ".join(text.split())


def test_the_pdf_is_a4_with_the_patient_and_the_first_sessions(
    qtbot: QtBot, catalog: Catalog, tmp_path: Path
) -> None:
    path = tmp_path / "handout.pdf"
    write_handout_pdf(scheduled(catalog), SETTINGS, path, lang="en", today=TODAY)
    reader, text = read(path.read_bytes())
    assert "MARTIN Jeanne" in text
    assert "March 2027 Monday 1 Placement of the implantable port" in text
    assert "Monday 8 Treatment — cycle 1 Blood test: Sat 6 · Pump" in text
    assert "Monday 22 Treatment — cycle 2" in text
    assert "H123456" not in text
    # 12 cycles with their notes: more than one page at a readable size (text drawn 3x too
    # small, the known QTextDocument-on-300-dpi pitfall, would fit on one), and not a pile.
    assert 2 <= len(reader.pages) <= 3
    for page in reader.pages:
        box = page.mediabox
        assert float(box.width) == pytest.approx(595.3, abs=1)
        assert float(box.height) == pytest.approx(841.9, abs=1)
    assert f"MARTIN Jeanne — page 1 of {len(reader.pages)}" in text
    assert [p.name for p in tmp_path.iterdir()] == ["handout.pdf"]


def test_the_pdf_speaks_the_patients_language(qtbot: QtBot, catalog: Catalog) -> None:
    _reader, text = read(handout_pdf(scheduled(catalog), SETTINGS, lang="fr", today=TODAY))
    assert "Mars 2027 Lundi 1er Pose de la chambre implantable" in text
    assert "lundi 1er mars 2027" in text
    assert "Monday" not in text


def test_a_folder_instead_of_a_file_is_refused(
    qtbot: QtBot, catalog: Catalog, tmp_path: Path
) -> None:
    with pytest.raises(ExportError) as caught:
        write_handout_pdf(scheduled(catalog), SETTINGS, tmp_path, lang="en", today=TODAY)
    assert caught.value.wrong_path
    assert "is a folder" in str(caught.value.message)
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_place_leaves_the_old_file_and_no_scrap(
    qtbot: QtBot, catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "handout.pdf"
    path.write_bytes(b"the handout printed last week")

    def refuse(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(ExportError) as caught:
        write_handout_pdf(scheduled(catalog), SETTINGS, path, lang="en", today=TODAY)
    assert str(caught.value.message) == f"cannot write {path}: you are not allowed to write there"
    assert path.read_bytes() == b"the handout printed last week"
    assert [p.name for p in tmp_path.iterdir()] == ["handout.pdf"]


def test_printing_uses_the_printers_page(qtbot: QtBot, catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    print_handout(
        scheduled(catalog, "pembrolizumab-200-q3w"), SETTINGS, printer, lang="en", today=TODAY
    )
    reader, text = read(path.read_bytes())
    assert "MARTIN Jeanne" in text
    assert "itching" in text
    assert len(reader.pages) >= 2


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize(
    ("regimen_id", "last"),
    [
        ("pembrolizumab-200-q3w", "cycle 35"),  # two years, every 3 weeks
        ("pembrolizumab-pemetrexed-platinum-kn189", "cycle 31"),  # and premedications
        ("mfolfox6-q14", "cycle 12"),  # a pump every fortnight
    ],
)
def test_a_two_year_plan_prints_in_three_pages_at_most(
    qtbot: QtBot, catalog: Catalog, regimen_id: str, last: str, lang: str
) -> None:
    reader, text = read(
        handout_pdf(scheduled(catalog, regimen_id), SETTINGS, lang=lang, today=TODAY)
    )
    assert len(reader.pages) <= 3
    assert last in text  # every appointment is there, to the last one


def lines(doc: QTextDocument) -> tuple[list[str], list[str]]:
    """The headings (h1-h3, or a month of the list) at a page's foot, what follows them on
    the next page; and the first row of the list on each page after the first."""
    page = doc.pageSize().height()
    layout = doc.documentLayout()

    def page_of(block: QTextBlock) -> int:
        top = layout.blockBoundingRect(block).top()
        if block.layout().lineCount():
            top += block.layout().lineAt(0).y()
        return int((top + 1) // page)

    alone, tops = [], []
    block = doc.begin()
    while block.isValid():
        if block.blockFormat().headingLevel() and page_of(block.next()) > page_of(block):
            alone.append(block.text())
        block = block.next()
    for frame in doc.rootFrame().childFrames():
        if isinstance(frame, QTextTable) and frame.columns() == 3:
            pages = [
                page_of(frame.cellAt(row, 0).firstCursorPosition().block())
                for row in range(frame.rows())
            ]
            for row in range(1, frame.rows()):
                text = frame.cellAt(row, 0).firstCursorPosition().block().text()
                heading = frame.cellAt(row, 0).columnSpan() == 3
                if heading and row + 1 < frame.rows() and pages[row + 1] > pages[row]:
                    alone.append(text)
                if row > 1 and pages[row] > pages[row - 1]:
                    tops.append(text)
    return alone, tops


PAGES = {
    "enfortumab-vedotin-pembrolizumab-ev302": 4,
    "nivolumab-mfolfox6-cm649": 4,
    "gemcitabine-cisplatin-durvalumab-topaz1": 4,
}
"""Handouts allowed a fourth page, the regimens with as many appointments as weekly
paclitaxel and the immunotherapy warning signs besides: EV-302 (D1 and D8 of every cycle,
70 sessions in two years, each with its blood test), CheckMate 649 (53 sessions in two
years, each with its pump disconnection and dexamethasone reminders) and TOPAZ-1 (D1 and
D8 of 8 cycles, each cisplatin dose with its 4 days of antiemetics, then durvalumab every
4 weeks: in French). What they say is all needed, and a fourth page is what it takes."""


def test_no_heading_is_left_alone_at_the_foot_of_a_page(qtbot: QtBot, catalog: Catalog) -> None:
    """Every regimen's handout in both languages, laid out on A4: a heading ("Your
    appointments") or a month of the list often falls at a page's foot, its days on the
    next page, and a page often starts in the middle of a month; paginated, every heading
    shares its page with what follows it, every page of the list starts with its month,
    and two years of any regimen (79 sessions of weekly paclitaxel...) fit in three pages."""
    a4 = QSizeF(
        (210 - 2 * MARGIN_MM) / 25.4 * CSS_DPI,
        (297 - 2 * MARGIN_MM) / 25.4 * CSS_DPI - FOOTER_PT * 2.4 * CSS_DPI / 72.0,
    )
    months = {name.lower() for lang in ("fr", "en") for name in month_names(lang)}
    before, after, continued = {}, {}, 0
    for lang in ("fr", "en"):
        for regimen in catalog:
            html = handout_html(scheduled(catalog, regimen.id), SETTINGS, lang=lang, today=TODAY)
            laid_out = _html_document(html)
            laid_out.setPageSize(a4)
            before[lang, regimen.id] = lines(laid_out)
            paginated = _html_document(html)
            paginate(paginated, a4, "{heading} (continued)")
            after[lang, regimen.id] = lines(paginated)
            continued += sum("(continued)" in top for top in after[lang, regimen.id][1])
            assert paginated.pageCount() <= PAGES.get(regimen.id, 3), (lang, regimen.id)
    assert before["fr", "pembrolizumab-200-q3w"][0] == ["Août 2028"]
    assert before["en", "ipilimumab-nivolumab-melanoma-cm067"][0] == [
        "March 2027 — Induction",
        "July 2028 — Maintenance",
    ]
    assert sum(1 for alone, _tops in before.values() if alone) > 10
    assert {key: alone for key, (alone, _tops) in after.items() if alone} == {}
    mid_month = {
        key: [top for top in tops if top.split()[0].lower() not in months]
        for key, (_alone, tops) in after.items()
    }
    assert {key: tops for key, tops in mid_month.items() if tops} == {}
    assert continued > 10


def month_names(lang: str) -> list[str]:
    from babel.dates import get_month_names

    return list(get_month_names("wide", context="stand-alone", locale=lang).values())


def split_rows(doc: QTextDocument) -> list[str]:
    """The rows of the handout's list whose lines fall on two pages (their first cell)."""
    page = doc.pageSize().height()
    layout = doc.documentLayout()
    split = []
    for frame in doc.rootFrame().childFrames():
        if not (isinstance(frame, QTextTable) and frame.columns() == 3):
            continue
        for row in range(frame.rows()):
            pages = set()
            for column in range(frame.columns()):
                cell = frame.cellAt(row, column)
                block = cell.firstCursorPosition().block()
                last = cell.lastCursorPosition().block()
                while block.isValid():
                    top = layout.blockBoundingRect(block).top()
                    for n in range(block.layout().lineCount()):
                        line = block.layout().lineAt(n)
                        pages.add(int((top + line.y() + 1) // page))
                        pages.add(int((top + line.y() + line.height() - 1) // page))
                    if block == last:
                        break
                    block = block.next()
            if len(pages) > 1:
                split.append(frame.cellAt(row, 0).firstCursorPosition().block().text())
    return split


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_appointment_is_cut_across_two_pages(qtbot: QtBot, catalog: Catalog, lang: str) -> None:
    """Booked sessions give the list's rows a second line (the time): a row that fell across
    a page's foot was cut in two, and the page break kept after it pushed the next row to the
    page after, leaving a page with one line of a row stretched to its foot (O'BRIEN Mary's
    ipilimumab + nivolumab: 5 pages, the fourth blank). Every row is kept whole, and two
    years of any regimen, every session booked (longer on a cycle's first day), still fit in
    three pages (booked, pembrolizumab took 5 and KEYNOTE-189 6)."""
    from datetime import time

    from planner.core.booking import Booking

    a4 = QSizeF(
        (210 - 2 * MARGIN_MM) / 25.4 * CSS_DPI,
        (297 - 2 * MARGIN_MM) / 25.4 * CSS_DPI - FOOTER_PT * 2.4 * CSS_DPI / 72.0,
    )
    cut: dict[str, list[str]] = {}
    long: dict[str, int] = {}
    for regimen in catalog:
        for start in (date(2027, 3, 8), date(2026, 12, 7)):
            plan = Plan("plan-1", PATIENT, regimen, start)
            ps = schedule_of(plan, catalog.port_rules)
            booked = {
                s.key: Booking(time(13), 150 if s.day == 1 else 75, "F1") for s in ps.sessions
            }
            html = handout_html(ps, SETTINGS, lang=lang, today=start, bookings=booked)
            doc = _html_document(html)
            paginate(doc, a4, "{heading} (continued)")
            if split_rows(doc):
                cut[f"{regimen.id} from {start}"] = split_rows(doc)
            if doc.pageCount() > PAGES.get(regimen.id, 3):
                long[f"{regimen.id} from {start}"] = doc.pageCount()
    assert cut == {}
    assert long == {}


LINK = "https://agenda.chu-exemple.fr/public/3f2a9c7e1b8d4f6a0e5c2b7d9a1f3e8c/"


def drawn_images(page: PageObject) -> list[tuple[np.ndarray, float]]:
    """The images a PDF page draws: each as grey pixels (its first colour channel: the code
    is black and white) and its drawn width in cm."""
    drawn: list[tuple[np.ndarray, float]] = []

    resources: Any = page["/Resources"]

    def before(operator: bytes, operands: list[Any], matrix: list[float], _text: Any) -> None:
        if operator == b"Do":
            image = resources["/XObject"][operands[0]].get_object()
            assert image["/Filter"] != "/DCTDecode"  # lossless: no JPEG ringing round modules
            shape = (image["/Height"], image["/Width"], -1)
            grey = np.frombuffer(image.get_data(), np.uint8).reshape(shape)[:, :, 0]
            assert matrix[1] == matrix[2] == 0  # drawn upright
            drawn.append((np.ascontiguousarray(grey), matrix[0] / 72 * 2.54))

    page.extract_text(visitor_operand_before=before)
    return drawn


def test_the_printed_code_is_the_link_four_centimetres_wide(
    qtbot: QtBot, catalog: Catalog, tmp_path: Path
) -> None:
    """Issue 19's acceptance: the handout's QR code decodes to the link, in the PDF written
    and on a printer (here one printing to a file)."""
    ps = scheduled(catalog)
    written = handout_pdf(ps, SETTINGS, lang="en", today=TODAY, subscription=LINK)
    path = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    print_handout(ps, SETTINGS, printer, lang="en", today=TODAY, subscription=LINK)
    for pdf in (written, path.read_bytes()):
        reader, text = read(pdf)
        *before, last = [drawn_images(page) for page in reader.pages]
        assert before == [[]] * len(before)  # the one image is on the last page
        [(pixels, width)] = last
        codes = zxingcpp.read_barcodes(pixels)
        assert [code.text for code in codes] == [LINK]
        assert width == pytest.approx(4.0, abs=0.05)
        assert "Your calendar on your phone" in text
        assert LINK in text.replace(" ", "")  # the link as text too, cut where it breaks


def test_no_link_no_code(qtbot: QtBot, catalog: Catalog) -> None:
    reader, text = read(handout_pdf(scheduled(catalog), SETTINGS, lang="en", today=TODAY))
    assert [drawn_images(page) for page in reader.pages] == [[]] * len(reader.pages)
    assert "Your calendar on your phone" not in text


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_printed_page_scans_as_the_link(
    qtbot: QtBot, catalog: Catalog, tmp_path: Path, lang: str
) -> None:
    """The page as a printer or a screen shows it (poppler draws it at 150 dpi, about 5
    pixels a module: a phone's photo of the page has more), the code found among the text
    around it."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("pdftoppm is not installed (Debian: apt-get install poppler-utils)")
    pdf = tmp_path / "handout.pdf"
    pdf.write_bytes(
        handout_pdf(scheduled(catalog), SETTINGS, lang=lang, today=TODAY, subscription=LINK)
    )
    pages = len(PdfReader(pdf).pages)
    subprocess.run(
        [
            pdftoppm,
            "-gray",
            "-r",
            "150",
            "-f",
            str(pages),
            "-l",
            str(pages),
            str(pdf),
            str(tmp_path / "page"),
        ],
        check=True,
        timeout=60,
    )
    [picture] = tmp_path.glob("page*.pgm")
    header, width, height, _depth, pixels = picture.read_bytes().split(maxsplit=4)
    assert header == b"P5"
    image = np.frombuffer(pixels, np.uint8).reshape(int(height), int(width))
    assert [code.text for code in zxingcpp.read_barcodes(image)] == [LINK]


@pytest.mark.parametrize(
    ("lang", "regimen_id"),
    [("en", "paclitaxel-weekly-d1-8-15-q28"), ("fr", "nivolumab-240-q2w"), ("en", "mfolfox6-q14")],
)
def test_the_calendar_section_keeps_its_heading_and_its_code_together(
    qtbot: QtBot, catalog: Catalog, lang: str, regimen_id: str
) -> None:
    """Three pages of appointments filled to the foot: the section's heading and its code
    start the fourth page together. A table that starts a page used to get a page break of
    its own, leaving the heading above it at the third page's foot, which the heading's
    own break then moved to a fourth page alone: the code came on a fifth."""
    ps = scheduled(catalog, regimen_id)
    reader, _text = read(handout_pdf(ps, SETTINGS, lang=lang, today=TODAY, subscription=LINK))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert len(pages) <= 4
    title = (
        "Your calendar on your phone" if lang == "en" else "Votre calendrier sur votre téléphone"
    )
    heading = [n for n, page in enumerate(pages) if title in page]
    coded = [n for n, page in enumerate(reader.pages) if drawn_images(page)]
    assert heading == coded == [len(pages) - 1]
