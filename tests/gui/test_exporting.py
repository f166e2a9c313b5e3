"""The unit export worker: the whole file, or nothing when cancelled or refused."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from planner.catalog import Catalog
from planner.core.settings import UnitSettings
from planner.gui.exporting import UnitExporter

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
