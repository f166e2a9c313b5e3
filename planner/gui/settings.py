"""The user's own preferences on this computer, through one typed facade over QSettings.

Widgets never name a settings key: they read and write these properties. What the whole unit
shares (closures, lab rule...) is not here but in the database (:class:`UnitSettings`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from planner.store.passwords import strip_password

ORGANIZATION = "infusion-planner"
APPLICATION = "infusion-planner"

_LANGUAGE = "ui/language"
_DATABASE = "database/last"
_GEOMETRY = "main_window/geometry"
_STATE = "main_window/state"
_EXPORT_FOLDER = "export/last_folder"
_BACKUP_DAYS = "database/backup_days"
BACKUP_DAYS = 14
_DEMO_OFFERED = "demo/offered"
_LEGEND = "plan/legend_shown"


class Settings:
    """Typed access to the application's QSettings; None means "never saved"."""

    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store if store is not None else QSettings(ORGANIZATION, APPLICATION)

    def sync(self) -> None:
        """Write pending changes now (Qt also writes them when the application quits)."""
        self._store.sync()

    def _text(self, key: str) -> str | None:
        value: Any = self._store.value(key)
        return str(value) if value not in (None, "") else None

    def _set_text(self, key: str, value: str | None) -> None:
        if value is None:
            self._store.remove(key)
        else:
            self._store.setValue(key, value)

    def _bytes(self, key: str) -> bytes | None:
        value: Any = self._store.value(key)
        if isinstance(value, QByteArray):
            return bytes(value.data()) or None
        if isinstance(value, bytes | bytearray):
            return bytes(value) or None
        return None

    def _set_bytes(self, key: str, value: bytes | None) -> None:
        if value is None:
            self._store.remove(key)
        else:
            self._store.setValue(key, QByteArray(value))

    @property
    def language(self) -> str | None:
        """The interface language chosen by the user ("fr" or "en"); None: the system's."""
        value = self._text(_LANGUAGE)
        return value if value in ("fr", "en") else None

    @language.setter
    def language(self, value: str | None) -> None:
        if value is not None and value not in ("fr", "en"):
            raise ValueError(f"unsupported language {value!r}")
        self._set_text(_LANGUAGE, value)

    @property
    def database(self) -> str | None:
        """The last database opened: a SQLite file path or a URL, never with a password."""
        value = self._text(_DATABASE)
        return strip_password(value) if value is not None else None

    @database.setter
    def database(self, value: str | None) -> None:
        self._set_text(_DATABASE, strip_password(value) if value is not None else None)

    @property
    def window_geometry(self) -> bytes | None:
        """``QMainWindow.saveGeometry()`` as bytes."""
        return self._bytes(_GEOMETRY)

    @window_geometry.setter
    def window_geometry(self, value: bytes | None) -> None:
        self._set_bytes(_GEOMETRY, value)

    @property
    def window_state(self) -> bytes | None:
        """``QMainWindow.saveState()`` (docks and toolbars) as bytes."""
        return self._bytes(_STATE)

    @window_state.setter
    def window_state(self, value: bytes | None) -> None:
        self._set_bytes(_STATE, value)

    @property
    def last_export_folder(self) -> str | None:
        return self._text(_EXPORT_FOLDER)

    @last_export_folder.setter
    def last_export_folder(self, value: str | None) -> None:
        self._set_text(_EXPORT_FOLDER, value)

    def _flag(self, key: str) -> bool:
        value: Any = self._store.value(key, False)
        # IniFormat hands back the text "true"/"false", the native formats a bool.
        return value is True or str(value).lower() == "true"

    @property
    def legend_shown(self) -> bool:
        """The plan's calendar legend is unfolded (folded until the user opens it)."""
        return self._flag(_LEGEND)

    @legend_shown.setter
    def legend_shown(self, value: bool) -> None:
        self._store.setValue(_LEGEND, bool(value))

    @property
    def demo_offered(self) -> bool:
        """The demonstration database was offered once (it is not offered again)."""
        return self._flag(_DEMO_OFFERED)

    @demo_offered.setter
    def demo_offered(self, value: bool) -> None:
        self._store.setValue(_DEMO_OFFERED, bool(value))

    @property
    def backup_days(self) -> int:
        """How many days the daily copies of a SQLite database are kept (14 by default)."""
        value: Any = self._store.value(_BACKUP_DAYS, BACKUP_DAYS)
        try:
            days = int(value)
        except (TypeError, ValueError):
            return BACKUP_DAYS
        return days if 1 <= days <= 365 else BACKUP_DAYS

    @backup_days.setter
    def backup_days(self, value: int) -> None:
        self._store.setValue(_BACKUP_DAYS, int(value))
