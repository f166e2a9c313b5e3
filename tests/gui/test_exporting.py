"""The unit export worker: the whole file, or nothing when cancelled or refused; the file
names proposed and the save dialogs, in the user's language, in Documents or the last
folder used."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from planner.catalog import Catalog
from planner.core.settings import UnitSettings
from planner.gui.exporting import CalendarExportDialog, UnitExporter, ask_save_path, start_folder
from planner.i18n import set_language

AT = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def exporter(unit_db: Path, catalog: Catalog, path: Path, kind: str = "csv") -> UnitExporter:
    return UnitExporter(
        str(unit_db),
        catalog.port_rules,
        UnitSettings(name="HDJ"),
        (date(2027, 3, 1), date(2027, 3, 31)),
        kind,
        path,
        AT,
    )


def test_the_worker_writes_the_periods_sessions_and_says_how_far_it_is(
    unit_db: Path, catalog: Catalog, tmp_path: Path
) -> None:
    path = tmp_path / "march.csv"
    worker = exporter(unit_db, catalog, path)
    seen: list[tuple[int, int]] = []
    worker.progress.connect(lambda done, total: seen.append((done, total)))
    worker.run()  # in this thread: the signals arrive at once
    assert worker.outcome.error == ""
    assert seen[-1] == (2, 2)
    lines = path.read_text(encoding="utf-8").splitlines()
    # Anne: 8 and 30 March (Easter Monday moved C2); Bruno: 15 and 30 March (the same).
    assert worker.outcome.sessions == len(lines) - 1 == 4
    assert worker.outcome.size == path.stat().st_size


def test_a_cancelled_export_leaves_no_file(unit_db: Path, catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "march.ics"
    worker = exporter(unit_db, catalog, path, "ics")
    worker.cancel()
    worker.start()
    worker.wait()
    assert worker.outcome.cancelled
    assert not path.exists()


def test_a_cancel_while_writing_removes_the_partial_file(
    unit_db: Path, catalog: Catalog, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    worker = exporter(unit_db, catalog, out / "march.ics", "ics")
    worker.writing.connect(worker.cancel)
    worker.run()
    assert worker.outcome.cancelled
    assert list(out.iterdir()) == []  # neither the file nor its temporary part


def test_an_unwritable_place_is_said_in_words(
    unit_db: Path, catalog: Catalog, tmp_path: Path
) -> None:
    worker = exporter(unit_db, catalog, tmp_path / "missing" / "march.csv")
    worker.run()
    assert "missing" in worker.outcome.error
    assert not worker.outcome.cancelled


# ---------------------------------------------------------------- file names and save dialogs


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user's home with a Documents folder, and a working directory elsewhere."""
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    return home


@dataclass(frozen=True)
class Asked:
    """What a save dialog showed."""

    folder: Path
    suffix: str
    labels: list[str]


def answer_save(monkeypatch: pytest.MonkeyPatch, seen: list[Asked]) -> None:
    """Every save dialog is accepted with the file it proposes."""
    label = QFileDialog.DialogLabel

    def accept(dialog: QFileDialog) -> QDialog.DialogCode:
        seen.append(
            Asked(
                Path(dialog.directory().absolutePath()),
                dialog.defaultSuffix(),
                [
                    dialog.labelText(which)
                    for which in (
                        label.LookIn,
                        label.FileName,
                        label.FileType,
                        label.Accept,
                        label.Reject,
                    )
                ],
            )
        )
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QFileDialog, "exec", accept)


def test_save_dialogs_open_in_documents_then_in_the_last_folder(
    qtbot: QtBot, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert start_folder(None) == home / "Documents"
    assert start_folder(str(tmp_path / "gone")) == home / "Documents"
    assert start_folder(str(tmp_path)) == tmp_path
    (home / "Documents").rmdir()
    assert start_folder(None) == home  # never the program's working directory
    seen: list[Asked] = []
    answer_save(monkeypatch, seen)
    parent = QWidget()
    qtbot.addWidget(parent)
    path = ask_save_path(parent, "Save", str(tmp_path), "Handout - DUPONT Marie.pdf", "PDF")
    assert path == tmp_path / "Handout - DUPONT Marie.pdf"
    assert seen[0].suffix == "pdf"  # "Handout" typed alone gets its ".pdf"


def test_file_names_and_dialogs_speak_the_users_language(
    qtbot: QtBot, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Asked] = []
    answer_save(monkeypatch, seen)
    set_language("fr")
    parent = QWidget()
    qtbot.addWidget(parent)
    assert ask_save_path(parent, "Enregistrer", None, "Livret.pdf", "PDF") == (
        home / "Documents" / "Livret.pdf"
    )
    # Qt's own French leaves "Look in:" and "Files of type:" in English.
    assert seen[0].labels == [
        "Regarder dans\u00a0:",
        "&Nom de fichier\u00a0:",
        "&Type de fichier\u00a0:",
        "&Enregistrer",
        "Annuler",
    ]


@pytest.mark.parametrize(
    ("lang", "names"),
    [
        (
            "en",
            ["Calendar - MARTIN Anne.ics", "Handout - MARTIN Anne.pdf",
             "Day sheet - 2027-03-15.pdf", "Day sheet - 2027-03-15.csv"],
        ),
        (
            "fr",
            ["Calendrier - MARTIN Anne.ics", "Livret - MARTIN Anne.pdf",
             "Feuille du jour - 2027-03-15.pdf", "Feuille du jour - 2027-03-15.csv"],
        ),
    ],
)  # fmt: skip
def test_the_documents_are_proposed_by_name_in_the_users_language(
    window: Any, home: Path, monkeypatch: pytest.MonkeyPatch, lang: str, names: list[str]
) -> None:
    """Anne's documents are in her language (English); their names in the coordinator's."""
    from planner.gui import flows

    seen: list[Asked] = []
    answer_save(monkeypatch, seen)
    monkeypatch.setattr(CalendarExportDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    set_language(lang)
    window.search.setText("Anne")
    window.patients.selectRow(0)
    written = [
        flows.export_calendar(window),
        flows.save_handout(window),
        flows.day_sheet(window, date(2027, 3, 15), "pdf"),
        flows.day_sheet(window, date(2027, 3, 15), "csv"),
    ]
    documents = home / "Documents"
    assert written == [documents / name for name in names]
    assert all(isinstance(path, Path) and path.stat().st_size > 0 for path in written)
    # The first opened in Documents; the next ones where the last was written.
    assert [asked.folder for asked in seen] == [documents] * 4
    assert window.settings.last_export_folder == str(documents)
