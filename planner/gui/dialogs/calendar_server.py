"""The unit's calendar server: where the patients' calendars are published for subscription.

The address of the calendars' folder, the planner's account and whether the server's
certificate is checked are the unit's (its database, for every coordinator); the password
never is. It serves this session only, or is kept in this computer's keyring when the box is
ticked (planner.store.passwords). "Test the connection" asks the server off the window's
thread and says its answer here.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from planner.gui.dialogs import problem_and_buttons
from planner.i18n import _
from planner.store.passwords import keyring_name

if TYPE_CHECKING:
    from planner.calendars.publisher import ServerSettings


@dataclass(frozen=True, slots=True)
class ServerChoice:
    """What the user asked: the server, the password typed ("": keep the one known) and
    whether to keep it in the keyring."""

    server: ServerSettings
    password: str
    remember: bool


class _Answer(QObject):
    """The server's answer, told to the dialog on its thread (no parent: the checking
    thread keeps it, even if the dialog was closed meanwhile)."""

    said = Signal(bool, str)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


class CalendarServerDialog(QDialog):
    """The unit's calendar server (see the module's docstring)."""

    def __init__(self, server: ServerSettings | None, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Calendar server"))
        self._known = server
        intro = QLabel(
            _(
                "Each patient's calendar is published in a folder of the hospital's calendar "
                "server (CalDAV), where the patient subscribes to it by a link. Your "
                "hospital's IT department gives you these details."
            )
        )
        intro.setWordWrap(True)
        self.url = QLineEdit(server.url if server else "")
        self.url.setPlaceholderText("https://calendriers.hopital.fr/public/")
        self.url.setToolTip(_("The folder of the patients' calendars, as the server gives it"))
        self.user = QLineEdit(server.user if server else "")
        self.user.setPlaceholderText("planner")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        keeper = keyring_name()
        if keeper is None:
            self.remember = QCheckBox(
                _("No keyring on this computer: the password is kept until the program closes")
            )
            self.remember.setEnabled(False)
        else:
            self.remember = QCheckBox(_("&Remember the password in this computer's keyring"))
            self.remember.setToolTip(keeper)
        self.verify = QCheckBox(_("C&heck the server's certificate"))
        self.verify.setChecked(server.verify_tls if server else True)
        self.unchecked = QLabel(
            _(
                "Without this check, another computer on the network could pass itself off as "
                "the server and receive the patients' calendars. Untick it only for a test "
                "server."
            )
        )
        self.unchecked.setWordWrap(True)
        self.unchecked.setStyleSheet("color: #b00020")
        self.test_button = QPushButton(_("&Test the connection"))
        self.answer = QLabel()
        self.answer.setWordWrap(True)
        self.answer.setTextFormat(Qt.TextFormat.PlainText)
        self.answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout()
        form.addRow(_("Calendars' &folder:"), self.url)
        form.addRow(_("&User:"), self.user)
        form.addRow(_("Pass&word:"), self.password)
        form.addRow("", self.remember)
        form.addRow("", self.verify)
        form.addRow("", self.unchecked)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.answer, 1)
        self.problem, self.buttons, bottom = problem_and_buttons(self)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addLayout(test_row)
        layout.addStretch(1)
        layout.addLayout(bottom)
        self.testing: threading.Thread | None = None
        self._passwords: dict[str, str | None] = {}
        self.url.textChanged.connect(self._on_changed)
        self.user.textChanged.connect(self._on_changed)
        self.password.textChanged.connect(self._on_changed)
        self.verify.toggled.connect(self._on_changed)
        self.test_button.clicked.connect(self.test_connection)
        self._on_changed()
        self.resize(640, self.sizeHint().height())

    def _known_password(self, server: ServerSettings) -> str | None:
        """The password typed here, else the one known for this account (the keyring read
        once an account, not at every key typed)."""
        if server.key not in self._passwords:
            self._passwords[server.key] = server.password()
        return self.password.text() or self._passwords[server.key]

    def settings(self) -> ServerSettings:
        """The server as typed; ValueError with the sentence saying what is wrong."""
        from planner.calendars.publisher import ServerSettings

        return ServerSettings(
            self.url.text().strip(), self.user.text().strip(), self.verify.isChecked()
        )

    def _grow(self) -> None:
        """Room for a warning or an answer just shown (never cut off)."""
        wanted = max(self.heightForWidth(self.width()), self.minimumSizeHint().height())
        if wanted > self.height():
            self.resize(self.width(), wanted)

    def _on_changed(self, *_args: object) -> None:
        self.unchecked.setVisible(not self.verify.isChecked())
        self.answer.clear()
        problem = ""
        try:
            server = self.settings()
        except ValueError as exc:
            server = None
            # A new dialog's empty fields are not a mistake yet: OK waits for them.
            if self.url.text().strip() or self.user.text().strip():
                problem = _sentence(str(exc))
        known = self._known_password(server) if server is not None else None
        if server is not None and not known:
            problem = _("Type the account's password.")
        self.problem.setText(problem)
        ok = server is not None and not problem
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        self.test_button.setEnabled(ok and self.testing is None)
        self.password.setPlaceholderText(
            _("known: leave empty to keep it")
            if server is not None and self._passwords.get(server.key)
            else ""
        )
        self._grow()

    def test_connection(self) -> None:
        """Ask the server whether it answers and takes the account, off the window's
        thread; the answer is shown beside the button."""
        from planner.calendars.publisher import CalendarServerError, Connection

        try:
            server = self.settings()
        except ValueError:
            return
        password = self._known_password(server) or ""
        answer = _Answer()
        answer.said.connect(self._on_answer)

        def check() -> None:
            try:
                with Connection(server, password) as connection:
                    connection.check()
            except CalendarServerError as exc:
                said = (False, _sentence(str(exc)))
            except Exception as exc:  # the library itself: said, not raised
                said = (False, _sentence(type(exc).__name__))
            else:
                said = (
                    True,
                    _("The calendar server {url} answers and takes the account.").format(
                        url=server.url
                    ),
                )
            with contextlib.suppress(RuntimeError):  # the dialog has gone
                answer.said.emit(*said)

        self.testing = threading.Thread(target=check, name="calendar server check", daemon=True)
        self.test_button.setEnabled(False)
        self.answer.setStyleSheet("")
        self.answer.setText(_("Testing the connection…"))
        self.testing.start()

    def _on_answer(self, success: bool, text: str) -> None:
        self.testing = None
        self.answer.setStyleSheet("" if success else "color: #b00020")
        self.answer.setText(text)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.test_button.setEnabled(ok.isEnabled())
        self._grow()

    def result_value(self) -> ServerChoice:
        return ServerChoice(
            self.settings(),
            self.password.text(),
            self.remember.isEnabled() and self.remember.isChecked(),
        )
