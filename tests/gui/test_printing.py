"""The handout as a PDF: A4, readable text with the patient's dates, written whole or not at
all; and on a printer."""

from __future__ import annotations

import io
import os
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from planner.catalog import Catalog
from planner.core.plan import Patient, Plan
from planner.core.plan_schedule import PlanSchedule, schedule_of
from planner.core.settings import UnitSettings
from planner.export.files import ExportError
from planner.gui.printing import handout_pdf, print_handout, write_handout_pdf

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
    assert "Monday 8 March 2027" in text
    assert "Monday 22 March 2027" in text
    assert "H123456" not in text
    # 12 cycles with their notes: more than one page at a readable size (text drawn 3x too
    # small, the known QTextDocument-on-300-dpi pitfall, would fit on one), and not a pile.
    assert 2 <= len(reader.pages) <= 5
    for page in reader.pages:
        box = page.mediabox
        assert float(box.width) == pytest.approx(595.3, abs=1)
        assert float(box.height) == pytest.approx(841.9, abs=1)
    assert f"MARTIN Jeanne — page 1 of {len(reader.pages)}" in text
    assert [p.name for p in tmp_path.iterdir()] == ["handout.pdf"]


def test_the_pdf_speaks_the_patients_language(qtbot: QtBot, catalog: Catalog) -> None:
    _reader, text = read(handout_pdf(scheduled(catalog), SETTINGS, lang="fr", today=TODAY))
    assert "lundi 8 mars 2027" in text
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
