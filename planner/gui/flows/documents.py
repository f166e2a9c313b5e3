"""Flows of the documents: the patient's calendar, the handout (PDF or printed) and the
unit's sessions over a period (written off the GUI thread, with a progress dialog).

A patient's calendar or handout is refused, before any question, while the unit has no
telephone number (planner.export.contact), and the coordinator is told where to enter it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import QDialog, QProgressDialog

from planner.gui.desk import Desk
from planner.gui.flows.common import now, written
from planner.i18n import _, error_text, ngettext

if TYPE_CHECKING:  # the window paints before the core (and holidays) are imported
    from planner.core.plan_schedule import PlanSchedule
    from planner.core.settings import UnitSettings
    from planner.gui.unit import Unit


def where_to_enter_phone(desk: Desk) -> str:
    """Where, in this window, the unit's telephone number is entered."""
    from planner.gui.actions import on_screen

    return _(
        "The unit's telephone number is missing, and a patient's calendar or handout must "
        "give the number to call. Enter it in {place}, tab {tab}, then try again."
    ).format(place=desk.act.settings_place, tab=on_screen(_("&Unit")))


def _without_phone(desk: Desk, settings: UnitSettings) -> bool:
    """Refuse (and say where to enter it) while the unit has no telephone number."""
    from planner.export.contact import NoUnitPhone, require_unit_phone

    try:
        require_unit_phone(settings)
    except NoUnitPhone:
        _say_no_phone(desk)
        return True
    return False


def patients_document(desk: Desk) -> tuple[PlanSchedule, Unit] | None:
    """The plan shown and its unit, for a patient's calendar or handout: None when there is
    none, or when the unit has no telephone number (said, with where to enter it)."""
    ps, unit = desk.current_schedule(), desk.unit
    if ps is None or unit is None or _without_phone(desk, unit.settings):
        return None
    return ps, unit


def _say_no_phone(desk: Desk) -> None:
    desk.show_error(
        _("The unit's telephone number is missing"),
        where_to_enter_phone(desk) + "\n\n" + _("Nothing was written."),
    )


def _failed(desk: Desk, title: str, exc: Exception) -> None:
    from planner.export.contact import NoUnitPhone

    if isinstance(exc, NoUnitPhone):
        _say_no_phone(desk)
    else:
        desk.show_error(title, error_text(exc))


def export_calendar(desk: Desk, path: Path | None = None) -> Path | None:
    from planner.export.calendar import Detail, ExportOptions
    from planner.export.saving import export_patient_calendar
    from planner.gui.exporting import CalendarExportDialog, ask_save_path, calendar_name

    shown = patients_document(desk)
    if shown is None:
        return None
    ps, unit = shown
    dialog = CalendarExportDialog(ps, desk.widget)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    if path is None:
        path = ask_save_path(
            desk.widget,
            _("Export the patient's calendar"),
            desk.settings.last_export_folder,
            calendar_name(ps),
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
            exported_at=now(),
            author=unit.author,
        )
    except Exception as exc:
        _failed(desk, _("The calendar was not exported"), exc)
        return None
    written(
        desk,
        path,
        ngettext(
            "Calendar of {n} appointment", "Calendar of {n} appointments", export.events
        ).format(n=export.events),
    )
    return path


def export_unit(desk: Desk, path: Path | None = None) -> Path | None:
    """The unit's sessions of a period to a file, computed and written off the GUI thread
    with a progress dialog that can cancel (nothing is written then)."""
    from planner.gui.exporting import UnitExportDialog, UnitExporter, ask_save_path, file_stem

    unit = desk.unit
    if unit is None:
        return None
    dialog = UnitExportDialog(unit.today, desk.widget)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    first, last = dialog.period()
    if last < first:
        desk.show_error(_("Nothing exported"), _("The end of the period is before its start."))
        return None
    kind = dialog.format.currentData()
    if path is None:
        name = file_stem(
            unit.settings.name or _("Day hospital"), first.isoformat(), last.isoformat()
        )
        path = ask_save_path(
            desk.widget,
            _("Export the unit's sessions"),
            desk.settings.last_export_folder,
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
        now(),
    )
    progress = QProgressDialog(
        _("Computing every plan of the unit…"), _("Cancel"), 0, 0, desk.widget
    )
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
        desk.statusBar().showMessage(_("Unit export cancelled: nothing was written"), 15000)
        return None
    if outcome.error:
        desk.show_error(_("The unit was not exported"), outcome.error)
        return None
    written(
        desk,
        path,
        ngettext("{n} session", "{n} sessions", outcome.sessions).format(n=outcome.sessions),
    )
    return path


def subscription_link(unit: Unit, ps: PlanSchedule) -> str | None:
    """The patient's live calendar link, for the handout: None when the patient's calendar
    is not published (or the unit has no calendar server)."""
    from planner.calendars.publisher import unit_server

    link = unit.store.calendars.link(ps.plan.patient.id)
    server = unit_server(unit.store) if link is not None else None
    return None if link is None or server is None else server.subscription(link.token)


def save_handout(desk: Desk, path: Path | None = None) -> Path | None:
    from planner.gui.exporting import ask_save_path, handout_name
    from planner.gui.printing import write_handout_pdf

    shown = patients_document(desk)
    if shown is None:
        return None
    ps, unit = shown
    if path is None:
        path = ask_save_path(
            desk.widget,
            _("Save the handout as PDF"),
            desk.settings.last_export_folder,
            handout_name(ps),
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
            subscription=subscription_link(unit, ps),
        )
    except Exception as exc:
        _failed(desk, _("The handout was not saved"), exc)
        return None
    written(desk, path, _("Handout"))
    return path


def print_handout(desk: Desk) -> bool:
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    from planner.gui.printing import print_handout as print_on

    shown = patients_document(desk)
    if shown is None:
        return False
    ps, unit = shown
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, desk.widget)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    try:
        print_on(
            ps,
            unit.settings,
            printer,
            lang=ps.plan.patient.language,
            today=unit.today,
            bookings=unit.plan_bookings(ps),
            subscription=subscription_link(unit, ps),
        )
    except Exception as exc:
        _failed(desk, _("The handout was not printed"), exc)
        return False
    desk.statusBar().showMessage(_("Handout sent to the printer"), 15000)
    return True
