"""Render the main screens in French and English to docs/screenshots/ (``make screenshots``).

From a demo unit built for the occasion (fixed seed and date, so the pictures only change
when the program does): the patient plan and its history, the day hospital, the new-plan
dialog, a delay's preview, the settings, the patients to call, the welcome of a new unit,
and the first page of a patient handout and of the week's sessions (the PDFs turned into
pictures with poppler's ``pdftoppm``); the busiest of the coming days booked first fit and
by the day optimiser, and how many chairs each weekday needs; a patient's live calendar,
published. Windows are as large as a 1366×768 screen.

    python -m planner.gui.screenshots [FOLDER] [--only patient-calendar]

``--only`` makes those pictures alone (the demo unit is built all the same).
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
CALENDAR_SERVER = "https://calendriers.hopital-exemple.fr/public/"
"""The live calendar's server in the pictures: an address of the kind a hospital gives (no
server answers there; the calendar is marked as sent, see :func:`_published`)."""
PATIENT_CALENDAR = "patient-calendar"


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m planner.gui.screenshots")
    parser.add_argument("folder", nargs="?", default="docs/screenshots")
    parser.add_argument("--only", choices=[PATIENT_CALENDAR], help="these pictures alone")
    asked = parser.parse_args(argv[1:])
    only, out = asked.only, Path(asked.folder)
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    folder = Path(tempfile.mkdtemp(prefix="planner-screens-"))
    from planner.day_hospital.loading import build_demo_database

    db = folder / "demo.db"
    build_demo_database(str(db), TODAY)
    _published(db, folder / "published.db")
    if only is None:
        _day_placed(db, folder / "first-fit.db", optimise=False)
        _day_placed(db, folder / "optimised.db", optimise=True)
    for lang in ("en", "fr"):
        # One process per language: Qt's own translations are installed once per run.
        command = ["--one", lang, str(db), str(out), *([only] if only else [])]
        subprocess.run([sys.executable, "-m", "planner.gui.screenshots", *command], check=True)
    print(f"screenshots written to {out}")
    return 0


def the_patient(db: Path) -> str:
    """The patient the pictures show: the first on dual immunotherapy (CheckMate 067)."""
    from planner.store import Store

    with Store.open(db) as store:
        return next(
            plan.patient.id
            for plan in store.plans()
            if plan.regimen.id == "ipilimumab-nivolumab-melanoma-cm067"
        )


def _published(db: Path, to: Path) -> None:
    """A copy of the demo unit at ``to`` where :func:`the_patient`'s calendar is published on
    :data:`CALENDAR_SERVER` under a fixed link, and taken by the server this morning: marked
    as sent with what sending would have given (no server answers at that address; the
    link is fixed so that the pictures only change when the program does)."""
    import base64
    import hashlib
    from datetime import UTC, datetime

    from planner.calendars.publisher import ServerSettings, patient_calendar_now
    from planner.day_hospital.loading import load_unit
    from planner.store import Store

    shutil.copyfile(db, to)
    rules = load_unit(str(to), TODAY).catalog.port_rules
    token = base64.urlsafe_b64encode(hashlib.sha256(b"a demo patient").digest()[:24]).decode()
    sent = datetime(2027, 3, 1, 7, 42, tzinfo=UTC)
    with Store.open(to) as store:
        store.calendars.save_server(ServerSettings(CALENDAR_SERVER, "planner").to_json())
        patient = the_patient(to)
        link = store.calendars.create(patient, token, detail="minimal", author="demo", at=sent)
        now = patient_calendar_now(store, link, port_rules=rules, at=sent)
        (due,) = store.calendars.due(sent, {patient})
        store.calendars.published(due, items=now.digests, states=now.states, by="demo", at=sent)


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


def one(lang: str, db: Path, out: Path, only: str | None = None) -> None:
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
    _patient_calendar(lang, db.with_name("published.db"), out)
    if only == PATIENT_CALENDAR:
        return
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


def _patient_calendar(lang: str, db: Path, out: Path) -> None:
    """The patient's live calendar, published and taken by the server (:func:`_published`),
    as the dialog shows it: its link, its QR code and its state."""
    from datetime import UTC, datetime

    from PySide6.QtWidgets import QApplication

    from planner.calendars.publisher import unit_server
    from planner.gui.dialogs.patient_calendar import PatientCalendarDialog
    from planner.store import Store

    with Store.open(db) as store:
        patient = store.patient(the_patient(db))
        server, link = unit_server(store), store.calendars.link(patient.id)
    dialog = PatientCalendarDialog(patient)
    dialog.show_state(server, link, datetime(2027, 3, 1, 9, 30, tzinfo=UTC))
    dialog.show()
    dialog.adjustSize()
    QApplication.processEvents()
    dialog.grab().save(str(out / f"{PATIENT_CALENDAR}-{lang}.png"))
    dialog.close()
    # The handout's page that carries the link and its QR code (its last page).
    from planner.core.plan_schedule import schedule_of
    from planner.day_hospital.loading import load_unit
    from planner.gui.printing import write_handout_pdf

    assert server is not None
    assert link is not None
    rules = load_unit(str(db), TODAY).catalog.port_rules
    with Store.open(db) as store:
        (plan, *_more) = store.plans(patient)
        settings = store.settings()
    pdf = out / f"handout-calendar-{lang}.pdf"
    write_handout_pdf(
        schedule_of(plan, rules),
        settings,
        pdf,
        lang=lang,
        today=TODAY,
        subscription=server.subscription(link.token),
    )
    _page(pdf, out / f"handout-calendar-{lang}", last=True)


def _first_page(pdf: Path, stem: Path) -> None:
    """The PDF's first page as ``stem``.png (poppler's pdftoppm), and the PDF removed."""
    _page(pdf, stem)


def _page(pdf: Path, stem: Path, *, last: bool = False) -> None:
    """The PDF's first (or last) page as ``stem``.png (poppler's pdftoppm), and the PDF
    removed."""
    if shutil.which("pdftoppm"):
        number = "1"
        if last:  # poppler's pdfinfo says how many pages
            info = subprocess.run(
                ["pdfinfo", str(pdf)], check=True, capture_output=True, text=True, encoding="utf-8"
            ).stdout
            number = next(
                line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")
            )
        command = ["pdftoppm", "-png", "-r", "70", "-f", number, "-l", number, "-singlefile"]
        subprocess.run([*command, str(pdf), str(stem)], check=True)
    pdf.unlink()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        one(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]), *sys.argv[5:6])
    else:
        sys.exit(main(sys.argv))
