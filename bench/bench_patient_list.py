"""The patient list of a large centre (20,000 patients), as a coordinator uses it.

The list's model and table (planner.gui.models.patient_list, planner.gui.views.patient_table)
behind a search box wired as in the main window, shown offscreen (Qt offscreen platform),
each step timed until the user would see it (``processEvents`` then a synchronous repaint
of the table). Measured, as medians:

1. ``set_summaries`` + fitting the columns + the first paint (start-up);
2. one keystroke in the search box, typing a name and then deleting it letter by letter
   (target: under 30 ms);
3. ``update_summary`` of one patient, as after each change of a plan (target: a few ms),
   for a patient shown and for one hidden by the search;
4. sorting by each column, clicking its title (target: under 100 ms).

``--before REV`` also measures the model and the table as they were at git revision REV
(read with ``git show``), in the same run: the machines are noisy, compare within a run.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2027, 3, 1)
PATIENTS = 20_000
REGIMENS = (
    "Pembrolizumab 200 mg every 3 weeks (monotherapy)",
    "FOLFOX (mFOLFOX6) every 2 weeks",
    "FOLFIRI every 2 weeks",
    "Carboplatin AUC 5 + paclitaxel every 3 weeks",
    "Paclitaxel weekly, days 1, 8, 15 every 4 weeks",
    "Nivolumab 480 mg every 4 weeks",
    "Atezolizumab + bevacizumab (IMbrave150)",
    "Gemcitabine + carboplatin, days 1 and 8 every 3 weeks",
    "Trastuzumab every 3 weeks (adjuvant)",
    "Durvalumab 1500 mg every 4 weeks (PACIFIC)",
)
TYPED = "martin a"
"""Typed letter by letter, then deleted: a family name, then a given name's first letter."""


def summaries(n: int, seed: int = 1) -> list[Any]:
    """``n`` patient lines with the demo's names, numbers, regimens and dates."""
    from planner.core.patient import Patient
    from planner.core.summary import PatientSummary
    from planner.day_hospital.demo import FIRST_NAMES, LAST_NAMES

    rng = random.Random(seed)
    out = []
    for number in range(n):
        patient = Patient(
            id=uuid.UUID(int=rng.getrandbits(128)).hex,
            family_name=rng.choice(LAST_NAMES).upper(),
            given_names=rng.choice(FIRST_NAMES),
            hospital_number=f"D{number:06d}",
        )
        if rng.random() < 0.03:
            out.append(PatientSummary(patient, None, "", None, 0))
            continue
        upcoming = TODAY + timedelta(days=rng.randrange(200)) if rng.random() < 0.9 else None
        warnings = rng.choice((0, 0, 0, 0, 1, 2))
        out.append(
            PatientSummary(patient, uuid.uuid4().hex, rng.choice(REGIMENS), upcoming, warnings)
        )
    return out


def _module(name: str, source: str) -> ModuleType:
    path = Path(tempfile.mkdtemp()) / f"{name}.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def code_at(rev: str | None) -> tuple[type, type]:
    """The model and the table classes, as they are now or at git revision ``rev``."""
    if rev is None:
        from planner.gui.models.patient_list import PatientListModel
        from planner.gui.views.patient_table import PatientTable

        return PatientListModel, PatientTable
    tag = rev.replace("~", "_").replace("^", "_")

    def show(path: str) -> str:
        return subprocess.run(
            ["git", "show", f"{rev}:{path}"], cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout

    model = _module(f"patient_list_{tag}", show("planner/gui/models/patient_list.py"))
    view_source = show("planner/gui/views/patient_table.py").replace(
        "planner.gui.models.patient_list", model.__name__
    )
    view = _module(f"patient_table_{tag}", view_source)
    return model.PatientListModel, view.PatientTable


def _ms(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def one_run(
    model_class: type, table_class: type, lines: list[Any], add: Callable[[str, float], None]
) -> None:
    """Open the list, type and delete a name, change patients, sort: ``add`` the times."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

    app = QApplication.instance()
    assert app is not None
    window = QWidget()
    layout = QVBoxLayout(window)
    search = QLineEdit()
    model = model_class(window)
    table = table_class(model)
    layout.addWidget(search)
    layout.addWidget(table)
    search.textChanged.connect(model.set_filter)
    window.resize(420, 760)
    window.show()
    app.processEvents()

    def seen() -> None:
        """Until the user sees it: the events handled, the table painted."""
        app.processEvents()
        table.viewport().repaint()
        table.horizontalHeader().viewport().repaint()

    def start() -> None:
        model.set_summaries(lines)
        table.fit_columns(grow_only=False)
        seen()

    def type_in(text: str) -> None:
        search.setText(text)
        seen()

    def update(summary: Any) -> None:
        model.update_summary(summary)
        seen()

    def sort(column: int, order: Qt.SortOrder) -> None:
        table.sortByColumn(column, order)
        seen()

    add("set_summaries + fit + first paint", _ms(start))
    table.selectRow(3)
    chosen = model.summary_at(3)
    seen()
    for n in range(1, len(TYPED) + 1):
        add("keystroke, typing", _ms(partial(type_in, TYPED[:n])))
    for n in range(len(TYPED) - 1, -1, -1):
        add("keystroke, deleting", _ms(partial(type_in, TYPED[:n])))

    type_in("martin")
    shown = [model.summary_at(r) for r in range(min(30, model.rowCount()))]
    hidden = [s for s in random.Random(2).sample(lines, 200) if "MARTIN" not in s.patient.name]
    for key, some in (("update_summary, shown", shown), ("update_summary, hidden", hidden[:30])):
        for summary in some:
            changed = dataclasses.replace(summary, warnings=summary.warnings + 1)
            add(key, _ms(partial(update, changed)))
    type_in("")
    for summary in random.Random(3).sample(lines, 30):
        add("row_of", _ms(partial(model.row_of, summary.patient.id)))
    for column in (3, 2, 1, 4, 0):
        for order in (Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder):
            add("sort by a column", _ms(partial(sort, column, order)))
    assert model.row_of(chosen.patient.id) is not None
    window.close()
    window.deleteLater()
    app.processEvents()


def measure(label: str, rev: str | None, lines: list[Any], repeats: int) -> dict[str, float]:
    model_class, table_class = code_at(rev)
    results: dict[str, list[float]] = {}
    for _ in range(repeats):
        one_run(model_class, table_class, lines, lambda k, v: results.setdefault(k, []).append(v))
    medians = {key: statistics.median(values) for key, values in results.items()}
    print(f"\n{label} ({len(lines):,} patients, {repeats} repeats), median ms:")
    for key, value in medians.items():
        print(f"  {key:<36} {value:9.2f}   (max {max(results[key]):.2f})")
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=PATIENTS)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--before", metavar="REV", help="also measure the code at git revision REV")
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from planner.i18n import set_language

    app = QApplication.instance() or QApplication([])
    set_language("en")
    lines = summaries(args.patients)
    runs = [("before (" + args.before + ")", args.before)] if args.before else []
    runs.append(("now", None))
    figures = {label: measure(label, rev, lines, args.repeats) for label, rev in runs}
    if len(figures) == 2:
        before, after = figures.values()
        print("\nbefore / now:")
        for key in after:
            ratio = before[key] / after[key]
            print(f"  {key:<36} {before[key]:9.2f} -> {after[key]:8.2f}  ({ratio:.1f}x)")
    del app


if __name__ == "__main__":
    main()
