"""A patient's live calendar: publish it, give its link (to copy, by e-mail, as a QR code),
see whether the server has it, give a new link or stop.

The dialog shows and asks; the flow (planner.gui.flows.calendars) acts on the unit and
calls :meth:`PatientCalendarDialog.show_state` with what is true afterwards.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from planner.i18n import _, ngettext

if TYPE_CHECKING:
    from planner.calendars.publisher import ServerSettings
    from planner.core.patient import Patient
    from planner.store.calendar_links import CalendarLink

QR_SCALE = 4
"""Pixels a module of the QR code: about 180 pixels for a link, read by a phone at arm's
length from a screen."""


def detail_name(detail: str) -> str:
    """What the events of a calendar of this detail say."""
    if detail == "full":
        return _("Full: with the regimen, drugs, cycle and day")
    return _("Minimal: what and where, no drug names")


def link_status(link: CalendarLink, now: datetime) -> str:
    """Whether the server has the patient's calendar as it is (the command line's words)."""
    from planner.gui.calendars import moment

    if link.failing_since is not None:
        return _("server unreachable since {moment}: {error}").format(
            moment=moment(link.failing_since, now), error=link.last_error
        )
    if link.waiting:
        return ngettext("{n} change waiting", "{n} changes waiting", link.waiting).format(
            n=link.waiting
        )
    return _("up to date")


def _wrapped(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class PatientCalendarDialog(QDialog):
    """The patient's live calendar (see the module's docstring)."""

    publish_requested = Signal(str)
    """Publish, with this detail ("minimal" or "full")."""
    renew_requested = Signal()
    stop_requested = Signal()
    mail_requested = Signal()
    export_requested = Signal()
    server_requested = Signal()
    """Open the unit's calendar server settings."""

    def __init__(self, patient: Patient, parent: Any = None) -> None:
        super().__init__(parent)
        self.patient = patient
        self.setWindowTitle(_("Patient's calendar by link"))
        heading = QLabel(patient.name)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        heading.setFont(font)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._no_server_page())
        self.pages.addWidget(self._unpublished_page())
        self.pages.addWidget(self._published_page())
        self.export_button = QPushButton(_("Export an .&ics file…"))
        self.export_button.setToolTip(
            _("Write the patient's appointments as an iCalendar file for their phone or mail")
        )
        self.export_button.clicked.connect(self.export_requested)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.export_button)
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.pages, 1)
        layout.addLayout(bottom)
        self.link: CalendarLink | None = None
        self.url = ""

    # ------------------------------------------------------------------ pages
    def _no_server_page(self) -> QWidget:
        page = QWidget()
        self.no_server = _wrapped(
            _(
                "The unit has no calendar server yet, so patients' calendars cannot be "
                "published for subscription. Your hospital's IT department gives you its "
                "address and an account."
            )
        )
        self.server_button = QPushButton(_("Calendar ser&ver…"))
        self.server_button.clicked.connect(self.server_requested)
        layout = QVBoxLayout(page)
        layout.addWidget(self.no_server)
        row = QHBoxLayout()
        row.addWidget(self.server_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    def _unpublished_page(self) -> QWidget:
        page = QWidget()
        explained = _wrapped(
            _(
                "The patient subscribes once, by a link, in their phone's or computer's "
                "calendar: every change to their appointments then reaches it by itself."
            )
            + "\n"
            + _(
                "The link holds no name and no hospital number; anyone who has it can see "
                "the dates, and it can be replaced or stopped at any time."
            )
        )
        self.detail = QComboBox()
        for detail in ("minimal", "full"):
            self.detail.addItem(detail_name(detail), detail)
        self.detail.setToolTip(_("A calendar others may glance at is better without drug names"))
        self.publish_button = QPushButton(_("&Publish"))
        self.publish_button.setDefault(True)
        self.publish_button.clicked.connect(
            lambda: self.publish_requested.emit(self.detail.currentData())
        )
        form = QFormLayout()
        form.addRow(_("&Detail:"), self.detail)
        row = QHBoxLayout()
        row.addWidget(self.publish_button)
        row.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(explained)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    def _published_page(self) -> QWidget:
        page = QWidget()
        self.qr = QLabel()
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr.setToolTip(_("A phone's camera reads this code and opens the link"))
        self.https = QLineEdit()
        self.https.setReadOnly(True)
        self.webcal = QLineEdit()
        self.webcal.setReadOnly(True)
        self.copy_https = QPushButton(_("Copy"))
        self.copy_https.clicked.connect(lambda: self._copy(self.https.text()))
        self.copy_webcal = QPushButton(_("Copy"))
        self.copy_webcal.clicked.connect(lambda: self._copy(self.webcal.text()))
        self.shown_detail = _wrapped()
        self.status = _wrapped()
        self.copied = _wrapped()
        give = _wrapped(
            _("Give the patient this link by e-mail, or let them scan the code with their phone.")
        )
        self.mail_button = QPushButton(_("Send the link by &e-mail…"))
        self.mail_button.setToolTip(
            _(
                "Opens your mail program with the link and how to subscribe, in the "
                "patient's language"
            )
        )
        self.mail_button.clicked.connect(self.mail_requested)
        self.renew_button = QPushButton(_("&New link"))
        self.renew_button.setToolTip(_("The old link stops working at once"))
        self.renew_button.clicked.connect(self.renew_requested)
        self.stop_button = QPushButton(_("&Stop publishing"))
        self.stop_button.setToolTip(_("The link stops working and the calendar leaves the server"))
        self.stop_button.clicked.connect(self.stop_requested)
        link_label = QLabel(_("&Link:"))
        link_label.setBuddy(self.https)
        webcal_label = QLabel(_("Calendar &programs:"))
        webcal_label.setBuddy(self.webcal)
        grid = QGridLayout()
        grid.addWidget(link_label, 0, 0)
        grid.addWidget(self.https, 0, 1)
        grid.addWidget(self.copy_https, 0, 2)
        grid.addWidget(webcal_label, 1, 0)
        grid.addWidget(self.webcal, 1, 1)
        grid.addWidget(self.copy_webcal, 1, 2)
        grid.addWidget(QLabel(_("Detail:")), 2, 0)
        grid.addWidget(self.shown_detail, 2, 1, 1, 2)
        grid.addWidget(QLabel(_("Status:")), 3, 0)
        grid.addWidget(self.status, 3, 1, 1, 2)
        grid.addWidget(self.copied, 4, 1, 1, 2)
        grid.addWidget(give, 5, 0, 1, 3)
        grid.setColumnStretch(1, 1)
        grid.setRowMinimumHeight(5, self.fontMetrics().lineSpacing() * 3)
        beside = QVBoxLayout()
        beside.addLayout(grid)
        beside.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(beside, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.mail_button)
        buttons.addStretch(1)
        buttons.addWidget(self.renew_button)
        buttons.addWidget(self.stop_button)
        layout = QVBoxLayout(page)
        layout.addLayout(top, 1)
        layout.addLayout(buttons)
        return page

    # ------------------------------------------------------------------ state
    def show_state(
        self,
        server: ServerSettings | None,
        link: CalendarLink | None,
        now: datetime,
        note: str = "",
    ) -> None:
        """Show the patient's calendar as it is: no server, not published, or its link and
        whether the server has it (``note``: why the window sends nothing, if it does not)."""
        from planner.export.subscription import webcal_url as webcal
        from planner.gui.calendars import moment

        self.link = link
        if server is None:
            self.url = ""
            self.pages.setCurrentIndex(0)
            return
        if link is None:
            self.url = ""
            self.pages.setCurrentIndex(1)
            self.detail.setFocus()
            return
        url = server.subscription(link.token)
        if url != self.url:
            self.url = url
            # The whole link in sight (a long server address: as much as a screen allows).
            room = self.https.fontMetrics().horizontalAdvance(webcal(url)) + 24
            self.https.setMinimumWidth(min(room, 560))
            self.https.setText(url)
            self.https.setCursorPosition(0)
            self.webcal.setText(webcal(url))
            self.webcal.setCursorPosition(0)
            self.qr.setPixmap(qr_pixmap(url))
            self.copied.clear()
        self.shown_detail.setText(detail_name(link.detail))
        status = link_status(link, now)
        lines = [status[:1].upper() + status[1:]]
        if link.published_at is not None:
            lines.append(
                _("Last sent to the server: {moment}").format(moment=moment(link.published_at, now))
            )
        self.status.setText("\n".join([*lines, *([note] if note else [])]))
        if self.pages.currentIndex() != 2:
            self.pages.setCurrentIndex(2)
            self.mail_button.setFocus()

    def _copy(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)
        self.copied.setText(_("Copied: paste it where the patient will find it."))


def qr_pixmap(url: str) -> QPixmap:
    """``url``'s QR code, as the window shows it."""
    from planner.export.subscription import qr_png

    return QPixmap.fromImage(QImage.fromData(qr_png(url, scale=QR_SCALE)))
