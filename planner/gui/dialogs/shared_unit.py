"""Connect to a shared unit: the PostgreSQL server several coordinators plan into.

The address (server, port, database, user) is kept in the settings; the password never is.
It serves this session only, or is kept in the platform's keyring when the user ticks the
box (planner.store.passwords); without a keyring the dialog says to use libpq's password file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
)

from planner import platform
from planner.i18n import _
from planner.store.passwords import keyring_name

DEFAULT_PORT = 5432


def is_socket_folder(host: str) -> bool:
    """Whether libpq reads ``host`` as the folder of a local socket rather than a server's
    name: an absolute path (libpq's is_absolute_path), on Windows also C:\\... or \\\\..."""
    if host.startswith("/"):
        return True
    return platform.is_windows() and bool(re.match(r"[A-Za-z]:[\\/]|\\\\", host))


@dataclass(frozen=True, slots=True)
class Server:
    """Where a shared unit is, without its password."""

    host: str = ""
    """A server's name, or the folder of a local socket (:func:`is_socket_folder`)."""
    port: int = DEFAULT_PORT
    database: str = ""
    user: str = ""
    encrypted: bool = True
    """Refuse a connection that is not encrypted (sslmode=require; not for a local socket)."""

    @property
    def url(self) -> str:
        from sqlalchemy.engine import URL

        if is_socket_folder(self.host):  # a local socket: its folder, readable in messages
            base = URL.create("postgresql+psycopg", username=self.user, database=self.database)
            return f"{base.render_as_string(hide_password=True)}?host={quote(self.host, '/')}"
        made = URL.create(
            "postgresql+psycopg",
            username=self.user,
            host=self.host,
            port=None if self.port == DEFAULT_PORT else self.port,
            database=self.database,
            query={"sslmode": "require"} if self.encrypted else {},
        )
        return made.render_as_string(hide_password=True)

    @classmethod
    def of(cls, url: str | None) -> Server:
        """The fields of a server's URL (empty ones for anything else)."""
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            parsed = make_url(url) if url and "://" in url else None
        except (ArgumentError, ValueError):
            parsed = None
        if parsed is None or parsed.get_backend_name() != "postgresql":
            return cls(user=platform.login_name() or "")  # a new address: the login as user
        socket = parsed.query.get("host")
        return cls(
            host=str(socket) if socket else parsed.host or "",
            port=parsed.port or DEFAULT_PORT,
            database=parsed.database or "",
            user=parsed.username or "",
            encrypted=parsed.query.get("sslmode") in ("require", "verify-ca", "verify-full"),
        )


@dataclass(frozen=True, slots=True)
class Connection:
    """What the user asked: the server, the password typed ("" for none) and whether to keep
    it in the keyring."""

    server: Server
    password: str
    remember: bool


class SharedUnitDialog(QDialog):
    def __init__(self, url: str | None = None, problem: str = "", parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Connect to a shared unit"))
        server = Server.of(url)
        intro = QLabel(
            _(
                "A unit where several coordinators plan at once lives on a PostgreSQL server. "
                "Your hospital's IT department gives you these details."
            )
        )
        intro.setWordWrap(True)
        self.host = QLineEdit(server.host)
        self.host.setPlaceholderText(
            # A socket folder is a Linux server's habit: on Windows, only the server's name.
            _("db.hopital.fr (the server's name)")
            if platform.is_windows()
            else _("db.hopital.fr, or a socket folder (/var/run/postgresql)")
        )
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(server.port)
        self.database = QLineEdit(server.database)
        self.user = QLineEdit(server.user)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(
            _("empty: {file} or the keyring").format(file=platform.pgpass_file())
        )
        self.encrypted = QCheckBox(_("Encrypted connection only (SSL)"))
        self.encrypted.setChecked(server.encrypted or url is None)
        keeper = keyring_name()
        if keeper is None:
            self.remember = QCheckBox(
                _("No keyring on this computer: keep the password in {file} instead").format(
                    file=platform.pgpass_file()
                )
            )
            self.remember.setEnabled(False)
        else:
            self.remember = QCheckBox(_("&Remember the password in this computer's keyring"))
            self.remember.setToolTip(keeper)
        form = QFormLayout()
        form.addRow(_("&Server:"), self.host)
        form.addRow(_("&Port:"), self.port)
        form.addRow(_("&Database:"), self.database)
        form.addRow(_("&User:"), self.user)
        form.addRow(_("Pass&word:"), self.password)
        form.addRow("", self.encrypted)
        form.addRow("", self.remember)
        self.problem = QLabel(problem)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020")
        self.problem.setVisible(bool(problem))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("&Connect"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        for edit in (self.host, self.database, self.user):
            edit.textChanged.connect(self._on_changed)
        self._on_changed()
        if problem and server.host:
            self.password.setFocus()

    def _on_changed(self, *_args: object) -> None:
        socket = is_socket_folder(self.host.text().strip())
        self.port.setEnabled(not socket)
        self.encrypted.setEnabled(not socket)
        ready = all(e.text().strip() for e in (self.host, self.database, self.user))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ready)

    def result_value(self) -> Connection:
        server = Server(
            host=self.host.text().strip(),
            port=self.port.value(),
            database=self.database.text().strip(),
            user=self.user.text().strip(),
            encrypted=self.encrypted.isChecked(),
        )
        return Connection(
            server,
            self.password.text(),
            self.remember.isEnabled() and self.remember.isChecked(),
        )
