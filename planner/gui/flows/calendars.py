"""The patient's live calendar and the unit's calendar server, from the window.

Publishing, renewing and stopping a link are written in the patient's trail by the store
(shown in the plan's history); the window's publisher (planner.gui.calendars) is asked to
send at once. The link is given by e-mail in the patient's language, through the user's own
mail program: the planner sends no mail itself.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import quote

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog

from planner.gui.desk import Desk
from planner.gui.plain import ask, inform
from planner.i18n import _, error_text, speaking

if TYPE_CHECKING:
    from planner.calendars.publisher import ServerSettings
    from planner.core.patient import Patient
    from planner.core.settings import UnitSettings
    from planner.gui.dialogs.patient_calendar import PatientCalendarDialog
    from planner.gui.unit import Unit
    from planner.store.calendar_links import CalendarLink

_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
"""An e-mail address in the patient's contact (which may hold a telephone number too)."""


def subscription_mail(url: str, lang: str, unit: UnitSettings) -> tuple[str, str]:
    """The subject and body of the mail giving a patient their link, in ``lang``: the link,
    its webcal form, how to subscribe with the usual calendars, and that it is personal."""
    from planner.export.subscription import webcal_url as webcal

    with speaking(lang):
        subject = _("Your treatment calendar")
        lines = [
            _("Hello,"),
            "",
            _(
                "Here is the link to your treatment calendar. Add it once to the calendar of "
                "your phone or computer: every change to your appointments will then appear "
                "in it by itself."
            ),
            "",
            url,
            "",
            _("Calendar programs open this form of the same link directly:"),
            webcal(url),
            "",
            _("How to add it:"),
            "- "
            + _(
                "Google Calendar, on a computer: Other calendars → + → From URL, then paste "
                "the link."
            ),
            "- "
            + _(
                "iPhone: Settings → Calendar → Accounts → Add Account → Other → Add "
                "Subscribed Calendar, then paste the link."
            ),
            "- " + _("Outlook: Add calendar → Subscribe from web, then paste the link."),
            "",
            _("This link is personal: anyone who has it can see these dates."),
        ]
    signature = [part for part in (unit.name.strip(), unit.phone.strip()) if part]
    if signature:
        lines += ["", *signature]
    return subject, "\n".join(lines)


def mailto(to: str, subject: str, body: str) -> QUrl:
    """A ``mailto:`` address opening a new mail (RFC 6068: line breaks are CR LF)."""
    text = "mailto:{to}?subject={subject}&body={body}".format(
        to=quote(to, safe="@"),
        subject=quote(subject, safe=""),
        body=quote(body.replace("\n", "\r\n"), safe=""),
    )
    return QUrl.fromEncoded(text.encode("ascii"))


def patient_calendar(desk: Desk) -> PatientCalendarDialog | None:
    """The shown plan's patient's live calendar: publish it, give its link, renew or stop
    it. Refused, before anything, while the unit has no telephone number (the calendar
    gives it)."""
    from planner.gui.dialogs.patient_calendar import PatientCalendarDialog
    from planner.gui.flows.documents import patients_document

    shown = patients_document(desk)
    if shown is None:
        return None
    ps, unit = shown
    patient = ps.plan.patient
    dialog = PatientCalendarDialog(patient, desk.widget)

    def refresh(*_args: object) -> None:
        server, link = _read(desk, unit, patient)
        dialog.show_state(server, link, unit.now(), _publisher_note(desk))

    dialog.publish_requested.connect(lambda detail: _publish(desk, unit, patient, detail, dialog))
    dialog.renew_requested.connect(lambda: _renew(desk, unit, patient, dialog))
    dialog.stop_requested.connect(lambda: _stop(desk, unit, patient, dialog))
    dialog.mail_requested.connect(lambda: send_link(desk, unit, patient, dialog.url))
    dialog.export_requested.connect(lambda: _export(desk))

    def set_server() -> None:
        if calendar_server(desk):
            refresh()

    dialog.server_requested.connect(set_server)
    desk.calendars.state_changed.connect(refresh)
    refresh()
    try:
        dialog.exec()
    finally:
        desk.calendars.state_changed.disconnect(refresh)
    return dialog


def _read(
    desk: Desk, unit: Unit, patient: Patient
) -> tuple[ServerSettings | None, CalendarLink | None]:
    from planner.calendars.publisher import unit_server

    try:
        return unit_server(unit.store), unit.store.calendars.link(patient.id)
    except Exception as exc:  # the database cannot be read: the window's watcher says so
        desk.statusBar().showMessage(error_text(exc), 15000)
        return desk.calendars.server, None


def _publisher_note(desk: Desk) -> str:
    """Why the window sends nothing to the server, when it does not."""
    from planner.gui.calendars import state_text

    state = desk.calendars.state
    if state is None or not (state.refused or state.no_password):
        return ""
    unit = desk.unit
    return state_text(state, unit.now())[0] if unit is not None else ""


def _done(
    desk: Desk, unit: Unit, patient: Patient, dialog: PatientCalendarDialog, said: str
) -> None:
    """After a change to the patient's link: the server is asked at once, the plan's history
    shows it, the dialog shows the link as it now is."""
    unit.mark_seen()  # written by this window: not another coordinator's change
    desk.calendars.send_now({patient.id})
    desk.show_patient(patient.id)
    desk.statusBar().showMessage(said, 15000)
    server, link = _read(desk, unit, patient)
    dialog.show_state(server, link, unit.now(), _publisher_note(desk))


def _publish(
    desk: Desk, unit: Unit, patient: Patient, detail: str, dialog: PatientCalendarDialog
) -> None:
    from planner.calendars.publisher import new_token

    try:
        unit.store.calendars.create(
            patient.id, new_token(), detail=detail, author=unit.author, at=unit.now()
        )
    except Exception as exc:
        desk.show_error(_("The calendar was not published"), error_text(exc))
        _done(desk, unit, patient, dialog, "")
        return
    _done(desk, unit, patient, dialog, _("Calendar published: give the patient the link"))


def _renew(desk: Desk, unit: Unit, patient: Patient, dialog: PatientCalendarDialog) -> None:
    from planner.calendars.publisher import new_token

    if not ask(
        dialog,
        _("Give a new link?"),
        _(
            "The old link stops working at once: a calendar subscribed with it no longer "
            "changes, and may empty. Give the patient the new link."
        ),
    ):
        return
    try:
        unit.store.calendars.renew(patient.id, new_token(), author=unit.author, at=unit.now())
    except Exception as exc:
        desk.show_error(_("No new link was given"), error_text(exc))
        _done(desk, unit, patient, dialog, "")
        return
    _done(desk, unit, patient, dialog, _("New link given: the old one no longer works"))


def _stop(desk: Desk, unit: Unit, patient: Patient, dialog: PatientCalendarDialog) -> None:
    if not ask(
        dialog,
        _("Stop publishing?"),
        _(
            "The link stops working at once and the calendar is removed from the server: the "
            "patient's calendar no longer receives changes. A new link can be given later."
        ),
    ):
        return
    try:
        unit.store.calendars.stop(patient.id, author=unit.author, at=unit.now())
    except Exception as exc:
        desk.show_error(_("Publishing was not stopped"), error_text(exc))
        _done(desk, unit, patient, dialog, "")
        return
    _done(
        desk,
        unit,
        patient,
        dialog,
        _("The calendar is no longer published; its link no longer works."),
    )


def send_link(desk: Desk, unit: Unit, patient: Patient, url: str) -> bool:
    """A new mail in the user's mail program giving the patient their link (their
    address filled in when their contact holds one); False when none could be opened."""
    if not url:
        return False
    try:
        subject, body = subscription_mail(url, patient.language, unit.settings)
    except Exception as exc:  # the patient's language cannot be spoken (TranslationMissing)
        desk.show_error(_("No mail was prepared"), error_text(exc))
        return False
    found = _ADDRESS.search(patient.contact)
    if QDesktopServices.openUrl(mailto(found.group(0) if found else "", subject, body)):
        desk.statusBar().showMessage(_("The mail is ready in your mail program"), 15000)
        return True
    inform(
        desk.widget,
        _("No mail program could be opened"),
        _("Copy the link and paste it in a mail to the patient:") + f"\n\n{url}",
    )
    return False


def _export(desk: Desk) -> None:
    from planner.gui.flows.documents import export_calendar

    export_calendar(desk)


def calendar_server(desk: Desk) -> bool:
    """The unit's calendar server: the dialog, then the server saved for the unit, the
    password for this session or in the keyring, and the publisher started again."""
    from planner.calendars.publisher import unit_server
    from planner.gui.dialogs.calendar_server import CalendarServerDialog
    from planner.store.passwords import (
        KeyringUnavailable,
        forget_secret,
        remember_secret,
        use_secret_for_session,
    )

    unit = desk.unit
    if unit is None:
        return False
    try:
        current = unit_server(unit.store)
    except Exception as exc:
        desk.show_error(_("The calendar server could not be read"), error_text(exc))
        return False
    dialog = CalendarServerDialog(current, desk.widget)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    choice = dialog.result_value()
    server = choice.server
    if choice.password:
        if choice.remember:
            try:
                remember_secret(server.key, choice.password)
            except KeyringUnavailable:  # it is used this session (remember_secret did)
                inform(
                    desk.widget,
                    _("The password was not kept"),
                    _(
                        "This computer's keyring did not keep the password: it is used until "
                        "the program closes, and asked for again next time."
                    ),
                )
        else:  # a password kept earlier would no longer be the right one
            forget_secret(server.key)
            use_secret_for_session(server.key, choice.password)
    try:
        unit.store.calendars.save_server(server.to_json())
    except Exception as exc:
        desk.show_error(_("The calendar server was not saved"), error_text(exc))
        return False
    unit.mark_seen()  # written by this window: not another coordinator's change
    desk.calendars.restart()
    desk.statusBar().showMessage(_("Calendar server saved: {url}").format(url=server.url), 15000)
    return True
