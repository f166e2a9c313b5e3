"""Render the main screens in French and English to docs/screenshots/ (``make screenshots``).

From a demo unit built for the occasion (fixed seed and date, so the pictures only change
when the program does): the patient plan and its history, the day hospital, the new-plan
dialog, a delay's preview, the settings, the patients to call, the welcome of a new unit,
and the first page of a patient handout and of the week's sessions (the PDFs turned into
pictures with poppler's ``pdftoppm``); the busiest of the coming days booked first fit and
by the day optimiser, and how many chairs each weekday needs. Windows are as large as a
1366×768 screen.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

TODAY = date(2027, 3, 1)
BUSIEST_WEEKS = 2
"""The before-and-after day is the busiest of these first weeks (by sessions)."""
OPTIMISER_SECONDS = 10.0
"""For the day placed by the optimiser: time enough to prove its placement best."""


def main(argv: list[str]) -> int:
    out = Path(argv[1] if len(argv) > 1 else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    folder = Path(tempfile.mkdtemp(prefix="planner-screens-"))
    from planner.day_hospital.loading import build_demo_database

    db = folder / "demo.db"
    build_demo_database(str(db), TODAY)
    _day_placed(db, folder / "first-fit.db", optimise=False)
    _day_placed(db, folder / "optimised.db", optimise=True)
    for lang in ("en", "fr"):
        # One process per language: Qt's own translations are installed once per run.
        subprocess.run(
            [sys.executable, "-m", "planner.gui.screenshots", "--one", lang, str(db), str(out)],
            check=True,
        )
    print(f"screenshots written to {out}")
    return 0


def busiest_day(db: Path) -> date:
    """The day of the first :data:`BUSIEST_WEEKS` weeks with the most sessions booked."""
    from planner.day_hospital import bookings
    from planner.store import Store

    with Store.open(db) as store:
        unit = bookings.occupancy(store.settings(), store.resources(), store.bookings())
    loads = unit.load(TODAY, TODAY + timedelta(weeks=BUSIEST_WEEKS, days=-1))
    return max(loads, key=lambda d: d.bookings).day  # the first of the busiest


def _day_placed(db: Path, to: Path, *, optimise: bool) -> None:
    """A copy of the demo unit at ``to`` whose busiest day's sessions are booked afresh:
    one after the other at the first place that fits (first fit: as units book by hand,
    and as this program did before its optimiser), or together by the day optimiser."""
    from datetime import UTC, datetime

    from planner.core.batch import plan_schedules
    from planner.day_hospital import bookings
    from planner.day_hospital.loading import load_unit
    from planner.store import Store

    day = busiest_day(db)
    shutil.copyfile(db, to)
    rules = load_unit(str(to), TODAY).catalog.port_rules
    with Store.open(to) as store:
        unit = bookings.occupancy(store.settings(), store.resources(), store.bookings())
        schedules = plan_schedules(store.plans(), rules, TODAY)
        on_day = [key for key, _booking in unit.on_day(day)]
        for key in on_day:
            unit.remove(key)
        placed = bookings.place(
            unit,
            schedules,
            day,
            until=day,
            first_fit=not optimise,
            optimise=bookings.Optimising(TODAY, time_limit=OPTIMISER_SECONDS) if optimise else None,
        )
        put = {key: b for key, b in placed.after.items() if b is not None}
        store.save_bookings(put, on_day, author="demo", at=datetime(2027, 2, 26, 9, tzinfo=UTC))


def one(lang: str, db: Path, out: Path) -> None:
    from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTranslator
    from PySide6.QtWidgets import QApplication

    from planner.core.port import PortCriterion, PortLevel, PortRule
    from planner.core.schedule import DelayReason
    from planner.day_hospital.loading import load_unit
    from planner.gui.dialogs.change import Action, ChangeDialog
    from planner.gui.dialogs.new_plan import NewPlanDialog
    from planner.gui.dialogs.settings_dialog import SettingsDialog
    from planner.gui.main_window import MainWindow
    from planner.gui.printing import write_handout_pdf
    from planner.gui.settings import Settings
    from planner.gui.unit import Unit
    from planner.i18n import set_language
    from planner.store import Store

    app = QApplication([])
    set_language(lang)
    if lang == "fr":
        QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
        translator = QTranslator(app)
        translator.load("qtbase_fr", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
        app.installTranslator(translator)
    settings = Settings(QSettings(str(db.with_suffix(".ini")), QSettings.Format.IniFormat))
    window = MainWindow(TODAY, settings)
    loaded = load_unit(str(db), TODAY)
    unit = Unit(Store.open(db), loaded.catalog, today=TODAY, author="demo")
    window.open_unit(unit, loaded.summaries)
    # The common hospital screen: the window as large as a 1366×768 screen.
    window.resize(1366, 768)
    window.show()
    # A patient on dual immunotherapy with something to show: the first CheckMate 067 plan.
    row = next(
        r
        for r in range(window.patients_model.rowCount())
        if (s := window.patients_model.summary_at(r)).plan_id is not None
        and unit.plan(s.plan_id).regimen.id == "ipilimumab-nivolumab-melanoma-cm067"
    )
    window.patients.selectRow(row)
    ps = window.current_schedule()
    assert ps is not None
    upcoming = next(s for s in ps.sessions if s.date >= TODAY and s.doses)
    window.plan_view.select_date(upcoming.date)
    app.processEvents()
    window.grab().save(str(out / f"plan-{lang}.png"))
    # The plan's history, in the tab beside its sessions.
    window.plan_view.tabs.setCurrentIndex(1)
    app.processEvents()
    window.grab().save(str(out / f"plan-history-{lang}.png"))
    window.plan_view.tabs.setCurrentIndex(0)

    # The day hospital: the busiest day of the next two weeks, chairs and hours.
    window.tabs.setCurrentIndex(1)
    view = window.unit_view
    busiest = busiest_day(db)
    view.show_day(busiest)
    app.processEvents()
    window.grab().save(str(out / f"day-hospital-{lang}.png"))
    window.tabs.setCurrentIndex(0)
    app.processEvents()

    dialog = NewPlanDialog(
        unit.catalog, unit.settings, unit.patients(), TODAY, window, patient=ps.plan.patient
    )
    dialog.search.setText("pembro")
    dialog.select_regimen("pembrolizumab-pemetrexed-platinum-kn189")
    dialog.resize(1280, 740)
    dialog.show()
    app.processEvents()
    dialog.grab().save(str(out / f"new-plan-{lang}.png"))
    dialog.close()

    delay = ChangeDialog(unit, ps.plan, Action.DELAY, upcoming, window)
    delay.reason.setCurrentIndex(delay.reason.findData(DelayReason.TOXICITY))
    delay.resize(640, 520)
    delay.show()
    app.processEvents()
    delay.grab().save(str(out / f"delay-preview-{lang}.png"))
    delay.close()

    dialog2 = SettingsDialog(
        unit.settings,
        lang,
        unit.catalog.port_rules,
        TODAY,
        window,
        regimens=list(unit.catalog),
    )
    dialog2.show()
    app.processEvents()
    dialog2.grab().save(str(out / f"settings-{lang}.png"))
    # The port rules, with a centre's own rule added and what it changes.
    # (By the page that holds them: index 3 showed the chairs once that tab came in.)
    dialog2.tabs.setCurrentIndex(
        next(
            n
            for n in range(dialog2.tabs.count())
            if (page := dialog2.tabs.widget(n)) is not None
            and page.isAncestorOf(dialog2.port_rules)
        )
    )
    dialog2.port_rules.set_rules(
        (
            *unit.catalog.port_rules,
            PortRule(
                PortLevel.RECOMMENDED,
                PortCriterion.FAMILY,
                families=frozenset({"anti-HER2"}),
                source="Protocole local 2027-04",
            ),
        )
    )
    app.processEvents()
    dialog2.grab().save(str(out / f"settings-port-rules-{lang}.png"))
    dialog2.close()

    from planner.gui.dialogs.shared_unit import SharedUnitDialog

    shared = SharedUnitDialog(
        "postgresql+psycopg://coordination@db.hopital.fr/hdj?sslmode=require", parent=window
    )
    shared.password.setText("********")
    shared.show()
    app.processEvents()
    shared.grab().save(str(out / f"shared-unit-{lang}.png"))
    shared.close()

    # The patients to call for what was recorded this past week, beside the window.
    from planner.gui import flows
    from planner.gui.dialogs.welcome import WelcomeDialog

    calls = flows.patients_to_call(window, TODAY - timedelta(days=7))
    calls.resize(1100, 520)
    app.processEvents()
    calls.grab().save(str(out / f"calls-{lang}.png"))
    calls.close()

    welcome = WelcomeDialog(
        replace(unit.settings, name="", address="", phone=""),
        window,
        place=window.act.settings_place,
    )
    welcome.show()
    app.processEvents()
    welcome.grab().save(str(out / f"welcome-{lang}.png"))
    welcome.close()

    pdf = out / f"handout-{lang}.pdf"
    write_handout_pdf(ps, unit.settings, pdf, lang=lang, today=TODAY)
    _first_page(pdf, out / f"handout-{lang}")
    week = out / f"week-{lang}.pdf"
    flows.week_sessions(window, TODAY, "pdf", week)
    _first_page(week, out / f"week-{lang}")

    # How many chairs each weekday of the next four weeks needs, beside the unit's own.
    needs = flows.chairs_needed(window, time_limit=0.5)
    assert needs is not None
    needs.resize(900, 640)
    needs.count()
    app.processEvents()
    needs.grab().save(str(out / f"chairs-needed-{lang}.png"))
    needs.close()
    unit.store.close()
    window.close()

    # The busiest day booked first fit, and by the day optimiser.
    for kind in ("first-fit", "optimised"):
        copy = db.with_name(f"{kind}.db")
        loaded = load_unit(str(copy), TODAY)
        window = MainWindow(TODAY, settings)
        unit = Unit(Store.open(copy), loaded.catalog, today=TODAY, author="demo")
        window.open_unit(unit, loaded.summaries)
        window.resize(1366, 768)
        window.show()
        window.tabs.setCurrentIndex(1)
        window.unit_view.show_day(busiest)
        app.processEvents()
        window.grab().save(str(out / f"day-{kind}-{lang}.png"))
        unit.store.close()
        window.close()


def _first_page(pdf: Path, stem: Path) -> None:
    """The PDF's first page as ``stem``.png (poppler's pdftoppm), and the PDF removed."""
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "70",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf),
                str(stem),
            ],
            check=True,
        )
    pdf.unlink()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        one(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
    else:
        sys.exit(main(sys.argv))
