"""What the window's actions do: open a dialog, then hand its values to the unit, an undo
command or an exporter, and say the outcome in the status bar.

Dialogs and exporters are imported when first used: the window shows faster without them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QProgressDialog

from planner.i18n import _, error_text, language, ngettext

if TYPE_CHECKING:
    from planner.core.port import PortRule
    from planner.gui.main_window import MainWindow


def connect(window: MainWindow) -> None:
    a = window.act
    a.new_plan.triggered.connect(lambda: new_plan(window))
    a.delay.triggered.connect(lambda: change(window, "delay"))
    a.omit.triggered.connect(lambda: change(window, "omit"))
    a.give.triggered.connect(lambda: change(window, "give"))
    a.stop.triggered.connect(lambda: change(window, "stop"))
    a.progression.triggered.connect(lambda: change(window, "progression"))
    a.port_in_place.triggered.connect(window.set_port_in_place)
    a.confirm_port.triggered.connect(window.request_port)
    a.export_calendar.triggered.connect(lambda: export_calendar(window))
    a.export_unit.triggered.connect(lambda: export_unit(window))
    a.save_handout.triggered.connect(lambda: save_handout(window))
    a.print_handout.triggered.connect(lambda: print_handout(window))
    a.settings.triggered.connect(lambda: unit_settings(window))
    a.book_plan.triggered.connect(lambda: book_plan(window))
    a.day_sheet.triggered.connect(lambda: day_sheet(window))
    a.close_day.triggered.connect(lambda: close_day(window))


def _now() -> datetime:
    return datetime.now(UTC)


# ---------------------------------------------------------------------- plans


def new_plan(window: MainWindow) -> bool:
    from planner.gui.dialogs.new_plan import NewPlanDialog

    unit = window.unit
    if unit is None:
        return False
    summary = window.current_summary()

    def earliest(regimen: Any, day: date, policy: Any, preference: Any) -> list[Any]:
        from planner import bookings

        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        try:
            return bookings.earliest(
                unit.occupancy,
                regimen,
                unit.settings,
                unit.catalog.port_rules,
                day,
                preference=preference,
                policy=policy,
            )
        finally:
            QApplication.restoreOverrideCursor()

    dialog = NewPlanDialog(
        unit.catalog,
        unit.settings,
        unit.patients(),
        unit.today,
        window,
        patient=summary.patient if summary is not None else None,
        earliest=earliest,
    )
    created: Any = None
    """A new patient saved before the plan failed: not saved twice when trying again."""
    while True:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        request = dialog.result_value()
        try:
            patient = request.patient or created
            if patient is None:
                assert request.new_patient is not None
                new = request.new_patient
                patient = created = unit.add_patient(
                    new.name,
                    new.hospital_number,
                    language=new.language,
                    contact=new.contact,
                    port_in_place=new.port_in_place,
                    preference=new.preference,
                )
            plan = unit.create_plan(
                patient,
                request.regimen,
                request.start,
                policy=request.policy,
                closure_set=request.closure_set,
                options=request.options,
            )
        except Exception as exc:
            # Nothing typed is thrown away: the dialog comes back as it was.
            window.show_error(
                _("The plan was not created"),
                error_text(exc) + "\n\n" + _("What you entered is shown again."),
            )
            continue
        break
    window.search.clear()
    window.select_patient(patient.id)
    ps = unit.schedule(plan)
    _book(window, [ps], patient.name, quiet=True)
    window.statusBar().showMessage(
        _("Plan created for {name}: {regimen}, {n} sessions").format(
            name=patient.name,
            regimen=plan.regimen.name.get(patient.language),
            n=len(ps.sessions),
        ),
        15000,
    )
    return True


def change(window: MainWindow, action: str) -> bool:
    from planner.gui.dialogs.change import Action, ChangeDialog

    ps, unit = window.current_schedule(), window.unit
    if ps is None or unit is None:
        return False
    dialog = ChangeDialog(
        unit, ps.plan, Action(action), window.plan_view.selected_session(), window
    )
    while dialog.exec() == QDialog.DialogCode.Accepted:
        if window.apply_change(dialog.change(), sessions_moved=dialog.sessions_moved):
            return True
        if not window.retry_possible:
            return False
        # Not saved (the database out of reach...): the dialog comes back as it was.
    return False


# ---------------------------------------------------------------------- exports


def _written(window: MainWindow, path: Path, what: str) -> None:
    window.settings.last_export_folder = str(path.parent)
    window.statusBar().showMessage(
        _("{what} written to {path}").format(what=what, path=path), 15000
    )


def export_calendar(window: MainWindow, path: Path | None = None) -> Path | None:
    from planner.export.calendar import Detail, ExportOptions
    from planner.export.saving import export_patient_calendar
    from planner.gui.exporting import CalendarExportDialog, ask_save_path, suggested_name

    ps, unit = window.current_schedule(), window.unit
    if ps is None or unit is None:
        return None
    dialog = CalendarExportDialog(ps, window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    if path is None:
        path = ask_save_path(
            window,
            _("Export the patient's calendar"),
            window.settings.last_export_folder,
            suggested_name(ps, ".ics"),
            _("iCalendar files (*.ics)"),
        )
        if path is None:
            return None
    try:
        export, _size = export_patient_calendar(
            unit.store,
            ps,
            path,
            options=ExportOptions(
                dialog.language.currentData(), Detail(dialog.detail.currentData())
            ),
            exported_at=_now(),
            author=unit.author,
        )
    except Exception as exc:
        window.show_error(_("The calendar was not exported"), error_text(exc))
        return None
    _written(
        window,
        path,
        ngettext(
            "Calendar of {n} appointment", "Calendar of {n} appointments", export.events
        ).format(n=export.events),
    )
    return path


def export_unit(window: MainWindow, path: Path | None = None) -> Path | None:
    """The unit's sessions of a period to a file, computed and written off the GUI thread
    with a progress dialog that can cancel (nothing is written then)."""
    from planner.gui.exporting import UnitExportDialog, UnitExporter, ask_save_path, file_stem

    unit = window.unit
    if unit is None:
        return None
    dialog = UnitExportDialog(unit.today, window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    first, last = dialog.period()
    if last < first:
        window.show_error(_("Nothing exported"), _("The end of the period is before its start."))
        return None
    kind = dialog.format.currentData()
    if path is None:
        name = file_stem(
            unit.settings.name or _("Day hospital"), first.isoformat(), last.isoformat()
        )
        path = ask_save_path(
            window,
            _("Export the unit's sessions"),
            window.settings.last_export_folder,
            name + f".{kind}",
            _("iCalendar files (*.ics)") if kind == "ics" else _("CSV files (*.csv)"),
        )
        if path is None:
            return None
    exporter = UnitExporter(
        unit.store.location.url,
        unit.catalog.port_rules,
        unit.settings,
        (first, last),
        kind,
        path,
        _now(),
    )
    progress = QProgressDialog(_("Computing every plan of the unit…"), _("Cancel"), 0, 0, window)
    progress.setWindowTitle(_("Export the unit's sessions"))
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)
    progress.setAutoClose(False)
    progress.setAutoReset(False)

    def on_progress(done: int, total: int) -> None:
        progress.setMaximum(total)
        progress.setValue(done)

    exporter.progress.connect(on_progress)
    exporter.writing.connect(
        lambda: progress.setLabelText(_("Writing {path}…").format(path=path.name))
    )
    progress.canceled.connect(exporter.cancel)
    loop = QEventLoop()
    exporter.finished.connect(loop.quit)
    exporter.start()
    loop.exec()
    progress.close()
    outcome = exporter.outcome
    exporter.deleteLater()
    if outcome.cancelled:
        window.statusBar().showMessage(_("Unit export cancelled: nothing was written"), 15000)
        return None
    if outcome.error:
        window.show_error(_("The unit was not exported"), outcome.error)
        return None
    _written(
        window,
        path,
        ngettext("{n} session", "{n} sessions", outcome.sessions).format(n=outcome.sessions),
    )
    return path


def save_handout(window: MainWindow, path: Path | None = None) -> Path | None:
    from planner.gui.exporting import ask_save_path, suggested_name
    from planner.gui.printing import write_handout_pdf

    ps, unit = window.current_schedule(), window.unit
    if ps is None or unit is None:
        return None
    if path is None:
        path = ask_save_path(
            window,
            _("Save the handout as PDF"),
            window.settings.last_export_folder,
            suggested_name(ps, ".pdf"),
            _("PDF files (*.pdf)"),
        )
        if path is None:
            return None
    try:
        write_handout_pdf(
            ps,
            unit.settings,
            path,
            lang=ps.plan.patient.language,
            today=unit.today,
            bookings=unit.plan_bookings(ps),
        )
    except Exception as exc:
        window.show_error(_("The handout was not saved"), error_text(exc))
        return None
    _written(window, path, _("Handout"))
    return path


def print_handout(window: MainWindow) -> bool:
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    from planner.gui.printing import print_handout as print_on

    ps, unit = window.current_schedule(), window.unit
    if ps is None or unit is None:
        return False
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    print_on(
        ps,
        unit.settings,
        printer,
        lang=ps.plan.patient.language,
        today=unit.today,
        bookings=unit.plan_bookings(ps),
    )
    window.statusBar().showMessage(_("Handout sent to the printer"), 15000)
    return True


# ---------------------------------------------------------------------- settings


def unit_settings(window: MainWindow, rules_file: Path | None = None) -> bool:
    """The settings dialog, then save what changed; ``rules_file`` is where this computer's
    port rules live (the user's catalogue folder unless given)."""
    from planner.catalog import CatalogPaths, bundled_port_rules
    from planner.gui.dialogs.settings_dialog import SettingsDialog

    unit = window.unit
    if unit is None:
        return False
    bundled = bundled_port_rules()
    rules_file = rules_file or CatalogPaths.user().port_rules
    dialog = SettingsDialog(
        unit.settings,
        window.settings.language or language(),
        unit.catalog.port_rules,
        unit.today,
        window,
        bundled_port_rules=bundled,
        regimens=list(unit.catalog),
        port_rules_file=rules_file,
        resources=unit.resources,
        backup_days=window.settings.backup_days if unit.store.location.path else None,
    )
    while True:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        if _save_settings(window, unit, dialog.result_value(), rules_file, bundled):
            return True
        # Not saved: the dialog comes back as it was, nothing typed is thrown away.


def _save_settings(
    window: MainWindow, unit: Any, result: Any, rules_file: Path, bundled: Any
) -> bool:
    if result.backup_days is not None:
        window.settings.backup_days = result.backup_days
    if result.port_rules is not None:
        try:
            _save_port_rules(rules_file, result.port_rules, bundled)
        except Exception as exc:
            window.show_error(_("The port rules were not saved"), error_text(exc))
            return False
        unit.set_port_rules(result.port_rules)
    if result.resources is not None:
        try:
            unit.save_resources(result.resources)
        except Exception as exc:
            window.show_error(_("The chairs and hours were not saved"), error_text(exc))
            return False
    if result.unit != unit.settings:
        try:
            unit.save_settings(result.unit)
        except Exception as exc:
            window.show_error(_("The settings were not saved"), error_text(exc))
            return False
    # Unset, the interface follows the system: only a different choice needs the message.
    if result.language and result.language != (window.settings.language or language()):
        window.settings.language = result.language
        QMessageBox.information(
            window,
            _("Language"),
            _("The new language applies the next time Infusion Planner starts."),
        )
    window.statusBar().showMessage(_("Unit settings saved"), 15000)
    return True


def _save_port_rules(
    path: Path, rules: tuple[PortRule, ...], bundled: tuple[PortRule, ...]
) -> None:
    """Write this computer's port rule table, whole or not at all; rules equal to the bundled
    ones remove the file, so that the table shipped with a later version applies."""
    from planner.catalog.port_rules_file import port_rules_toml
    from planner.export.files import write_atomically

    if rules == bundled:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, [port_rules_toml(rules).encode("utf-8")])


# ---------------------------------------------------------------------- chairs and bookings


def book_plan(window: MainWindow) -> bool:
    """Book the shown plan's coming sessions (one undoable command)."""
    ps, unit = window.current_schedule(), window.unit
    if ps is None or unit is None:
        return False
    return _book(window, [ps], ps.plan.patient.name)


def book_unit(window: MainWindow) -> bool:
    """Book every plan's coming sessions (one undoable command)."""
    from planner.batch import plan_schedules

    unit = window.unit
    if unit is None:
        return False
    QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
    try:
        schedules = plan_schedules(list(unit.plans_by_id().values()), unit.catalog.port_rules)
    finally:
        QApplication.restoreOverrideCursor()
    return _book(window, schedules, _("the unit"))


def _book(window: MainWindow, schedules: list[Any], who: str, *, quiet: bool = False) -> bool:
    from planner import explain
    from planner.gui.commands import ChangeBookings

    unit = window.unit
    assert unit is not None
    QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
    try:
        proposal = unit.propose_bookings(schedules)
    finally:
        QApplication.restoreOverrideCursor()
    if not proposal.after and not proposal.unplaced:
        if quiet:
            return False
        window.statusBar().showMessage(
            _("Every coming session of {who} already has a chair and a time.").format(who=who),
            10000,
        )
        return False
    text = ngettext(
        "Book {n} session for {who}", "Book {n} sessions for {who}", proposal.booked
    ).format(n=proposal.booked, who=who)
    if proposal.after:
        window.undo_stack.push(
            ChangeBookings(
                unit,
                proposal.before,
                proposal.after,
                text,
                failed=lambda exc: window.show_error(
                    _("The sessions were not booked"), error_text(exc)
                ),
            )
        )
    if proposal.unplaced:
        lines = [
            _("{date}: {patient} ({regimen}, C{cycle} D{day})").format(
                date=explain.format_date(session.date),
                patient=plan.patient.name,
                regimen=plan.regimen.id,
                cycle=session.cycle,
                day=session.day,
            )
            for plan, session in proposal.unplaced
        ]
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            _("Some sessions have no place"),
            ngettext(
                "{n} session finds no free chair on its day: move other bookings, open "
                "longer or add a chair, then book again.",
                "{n} sessions find no free chair on their day: move other bookings, open "
                "longer or add a chair, then book again.",
                len(lines),
            ).format(n=len(lines)),
            QMessageBox.StandardButton.Ok,
            window,
        )
        box.setDetailedText("\n".join(lines))
        box.setModal(False)
        box.show()
    if not quiet:
        window.statusBar().showMessage(text, 15000)
    return True


def day_sheet(
    window: MainWindow,
    day: date | None = None,
    kind: str | None = None,
    path: Path | None = None,
    *,
    numbers: bool = False,
) -> Path | bool:
    """Print or save a day's bookings for the nurses; the file written (or True printed).
    Hospital numbers only when asked for (``numbers``, or the dialog's box)."""
    from planner import bookings
    from planner.batch import plan_schedules
    from planner.explain import format_date
    from planner.export.files import write_atomically
    from planner.gui.dialogs.unit_day import DaySheetDialog
    from planner.gui.exporting import ask_save_path, file_stem

    unit = window.unit
    if unit is None:
        return False
    if day is None or kind is None:
        shown = window.unit_view.day if window.tabs.currentIndex() == 1 else unit.today
        dialog = DaySheetDialog(shown, window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        day, kind = dialog.chosen_day(), dialog.kind.currentData()
        numbers = dialog.numbers.isChecked()
    occupancy, _editable = unit.occupancy_for(day)
    plans = unit.plans_by_id()
    on_day = [plans[key[0]] for key, _b in occupancy.on_day(day) if key[0] in plans]
    lines = bookings.day_sheet(occupancy, plan_schedules(on_day, unit.catalog.port_rules), day)
    title = _("Day sheet — {date}").format(date=format_date(day))
    try:
        if kind == "print":
            html = bookings.day_sheet_html(lines, day, unit.settings, numbers=numbers)
            return _print_html(window, html, title)
        if path is None:
            suffix = ".csv" if kind == "csv" else ".pdf"
            path = ask_save_path(
                window,
                title,
                window.settings.last_export_folder,
                file_stem(_("Day sheet"), day.isoformat()) + suffix,
                _("CSV files (*.csv)") if kind == "csv" else _("PDF files (*.pdf)"),
            )
            if path is None:
                return False
        if kind == "csv":
            write_atomically(path, bookings.day_sheet_csv(lines, numbers=numbers))
        else:
            from planner.gui.printing import html_pdf

            pdf = html_pdf(
                bookings.day_sheet_html(lines, day, unit.settings, numbers=numbers),
                title=title,
                name=title,
                landscape=True,
            )
            write_atomically(path, [pdf])
    except Exception as exc:
        window.show_error(_("The day sheet was not written"), error_text(exc))
        return False
    _written(window, path, title)
    return path


def _print_html(window: MainWindow, html: str, title: str) -> bool:
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    from planner.gui.printing import print_html

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if QPrintDialog(printer, window).exec() != QDialog.DialogCode.Accepted:
        return False
    print_html(html, printer, title=title, name=title)
    window.statusBar().showMessage(_("{what} sent to the printer").format(what=title), 10000)
    return True


def close_day(window: MainWindow) -> bool:
    """Close the unit on a day: see the sessions it moves, then save and list who to call."""
    from planner import bookings
    from planner.core.closures import UnitClosure
    from planner.explain import format_date
    from planner.gui.dialogs.unit_day import CloseDayDialog

    unit = window.unit
    if unit is None:
        return False
    plans = list(unit.plans_by_id().values())
    calendar = unit.settings.calendar()

    def closed(day: date) -> str | None:
        closure = calendar.closure(day)
        if closure is None:
            return None
        return closure.name.get(language()) if closure.name else _("weekend")

    def preview(day: date, label: str) -> list[Any]:
        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        try:
            return bookings.closure_calls(
                plans, unit.settings, UnitClosure(day, label), unit.catalog.port_rules, unit.today
            )[1]
        finally:
            QApplication.restoreOverrideCursor()

    dialog = CloseDayDialog(unit.today, closed, preview, window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    day, label = dialog.chosen()
    new_settings, calls = bookings.closure_calls(
        plans, unit.settings, UnitClosure(day, label), unit.catalog.port_rules, unit.today
    )
    try:
        unit.save_settings(new_settings)
    except Exception as exc:
        window.show_error(_("The closure was not saved"), error_text(exc))
        return False
    window.statusBar().showMessage(
        ngettext(
            "Unit closed on {date}: {n} session moved; its booking is to redo.",
            "Unit closed on {date}: {n} sessions moved; their bookings are to redo.",
            len(calls),
        ).format(date=format_date(day), n=len(calls)),
        20000,
    )
    return True
