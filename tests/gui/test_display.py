"""Without a display the window says so in words and exits with code 2, where Qt aborted
("could not connect to display", "xcb-cursor0 is needed"); offscreen it still starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from planner.gui.display import display_missing

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("environ", "missing"),
    [
        ({}, True),
        ({"QT_QPA_PLATFORM": "xcb"}, True),
        ({"QT_QPA_PLATFORM": "wayland;xcb"}, True),
        ({"QT_QPA_PLATFORM": ""}, True),
        ({"DISPLAY": ":0"}, False),
        ({"WAYLAND_DISPLAY": "wayland-0"}, False),
        ({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"}, True),
        ({"QT_QPA_PLATFORM": "wayland;xcb", "DISPLAY": ":1"}, False),
        ({"QT_QPA_PLATFORM": "offscreen"}, False),
        ({"QT_QPA_PLATFORM": "offscreen:fontengine=freetype"}, False),
        ({"QT_QPA_PLATFORM": "xcb;offscreen"}, False),
        ({"QT_QPA_PLATFORM": "eglfs"}, False),
        ({"QT_QPA_PLATFORM": "vnc:size=1280x800"}, False),
    ],
)
def test_a_display_is_missing_when_every_platform_qt_may_try_needs_an_absent_one(
    environ: dict[str, str], missing: bool
) -> None:
    assert display_missing(environ, "linux") is missing
    assert display_missing(environ, "freebsd14") is missing


@pytest.mark.parametrize("system", ["win32", "darwin"])
def test_windows_and_macos_always_have_their_display(system: str) -> None:
    assert not display_missing({}, system)


def _start(tmp_path: Path, *argv: str, **environ: str) -> subprocess.CompletedProcess[str]:
    """main.py in a new process, with the user's settings in ``tmp_path`` and no display
    but what ``environ`` gives."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("DISPLAY", "WAYLAND_DISPLAY", "WAYLAND_SOCKET", "QT_QPA_PLATFORM")
    }
    env |= {"XDG_CONFIG_HOME": str(tmp_path / "config"), "LANGUAGE": "en", **environ}
    return subprocess.run(
        [sys.executable, "main.py", *argv],
        cwd=ROOT,
        env=env,
        capture_output=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def test_without_a_display_the_window_says_so_and_where_to_turn(tmp_path: Path) -> None:
    done = _start(tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "No display was found, so the window of Infusion Planner cannot open here (neither "
        "DISPLAY nor WAYLAND_DISPLAY is set).\n"
        "The command line works without one: python -m planner --help\n"
        "To open the window without a screen (for tests), set QT_QPA_PLATFORM=offscreen.\n"
    )
    done = _start(tmp_path, QT_QPA_PLATFORM="xcb")  # asked for X11 by name: the same
    assert done.returncode == 2
    assert done.stderr.startswith("No display was found")


def test_offscreen_the_window_still_starts(tmp_path: Path) -> None:
    db = tmp_path / "unit.db"
    done = _start(tmp_path, "--db", str(db), "--exit-after-startup", QT_QPA_PLATFORM="offscreen")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("painted: ")
    assert db.is_file()


def test_the_bundle_without_qts_wayland_plugin_needs_x11() -> None:
    """The bundle leaves the Wayland plugin out: a Wayland session without XWayland has no
    display for it (Qt aborted, exit 134)."""
    assert display_missing({"WAYLAND_DISPLAY": "wayland-0"}, "linux", wayland=False)
    assert not display_missing(
        {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, "linux", wayland=False
    )
    assert not display_missing({"WAYLAND_DISPLAY": "wayland-0"}, "linux")  # the package has it
