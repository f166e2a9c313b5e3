"""The typed facade over QSettings: values round-trip, passwords never reach the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from planner.gui.settings import Settings


def ini(path: Path) -> QSettings:
    return QSettings(str(path), QSettings.Format.IniFormat)


def test_a_fresh_file_has_nothing(tmp_path: Path) -> None:
    settings = Settings(ini(tmp_path / "s.ini"))
    assert settings.language is None
    assert settings.database is None
    assert settings.window_geometry is None
    assert settings.window_state is None
    assert settings.last_export_folder is None
    assert settings.demo_offered is False


def test_values_round_trip_through_the_file(tmp_path: Path) -> None:
    path = tmp_path / "s.ini"
    settings = Settings(ini(path))
    settings.language = "fr"
    settings.database = "/home/ide/planner.db"
    settings.window_geometry = b"\x01\xd9\xd0\xcb\x00\x03"
    settings.window_state = b"\x00\xff\x00"
    settings.last_export_folder = "/home/ide/Exports"
    settings.demo_offered = True
    settings.sync()
    again = Settings(ini(path))
    assert again.language == "fr"
    assert again.database == "/home/ide/planner.db"
    assert again.window_geometry == b"\x01\xd9\xd0\xcb\x00\x03"
    assert again.window_state == b"\x00\xff\x00"
    assert again.last_export_folder == "/home/ide/Exports"
    assert again.demo_offered is True
    again.language = None
    again.demo_offered = False
    again.sync()
    assert Settings(ini(path)).language is None
    assert Settings(ini(path)).demo_offered is False


def test_an_unknown_language_is_refused(tmp_path: Path) -> None:
    settings = Settings(ini(tmp_path / "s.ini"))
    with pytest.raises(ValueError, match="unsupported language"):
        settings.language = "de"


def test_a_postgresql_password_never_reaches_the_file(tmp_path: Path) -> None:
    path = tmp_path / "s.ini"
    settings = Settings(ini(path))
    settings.database = "postgresql+psycopg://ide:s3cr%40t@db.chu.fr:5432/planner?sslmode=require"
    settings.sync()
    assert settings.database == "postgresql+psycopg://ide@db.chu.fr:5432/planner?sslmode=require"
    assert "s3cr" not in path.read_text()
