"""Whether the window can open here, decided before Qt is asked (no Qt in this module).

On Linux and the BSDs a window needs a display server, X11 (``DISPLAY``) or Wayland
(``WAYLAND_DISPLAY``). Without one Qt does not raise: it aborts the process (qFatal), saying
"could not connect to display" or, when its X11 plugin lacks a library, "xcb-cursor0 is
needed", which sends the user looking for a package when what is missing is a screen.
Windows and macOS always have their own platform.

What cannot be seen from here: a display is there but Qt's X11 plugin cannot load (a
missing ``libxcb-cursor0``). Qt still aborts then, with its own words; ``make run`` installs
those libraries first (docs/development.md, "System libraries").
"""

from __future__ import annotations

import sys
from collections.abc import Mapping

DISPLAY_SERVERS = ("linux", "freebsd", "openbsd", "netbsd", "dragonfly", "sunos")
"""``sys.platform`` prefixes of the systems whose windows go through X11 or Wayland."""

NEEDS = {
    "xcb": ("DISPLAY",),
    "wayland": ("WAYLAND_DISPLAY", "WAYLAND_SOCKET"),
    "wayland-egl": ("WAYLAND_DISPLAY", "WAYLAND_SOCKET"),
}
"""Qt's platform plugins that talk to a display server, and where each finds it."""

QT_DEFAULT = ("xcb", "wayland")
"""What Qt tries when QT_QPA_PLATFORM is not set (X11, or Wayland in a Wayland session)."""


def display_missing(
    environ: Mapping[str, str],
    system: str = sys.platform,
    wayland: bool = not getattr(sys, "frozen", False),
) -> bool:
    """Whether Qt would find no display: on a system with display servers, every platform
    Qt may try (QT_QPA_PLATFORM: "xcb", "wayland;xcb", "offscreen", "xcb:option"...) needs
    a display server that the environment does not name. Any other platform (offscreen,
    eglfs, linuxfb, vnc) needs none."""
    if not system.startswith(DISPLAY_SERVERS):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "")
    names = [part.split(":", 1)[0].strip() for part in chosen.split(";") if part.strip()]
    for name in names or QT_DEFAULT:
        if name.startswith("wayland") and not wayland:
            continue  # the bundle leaves Qt's Wayland plugin out: it goes through XWayland
        needs = NEEDS.get(name)
        if needs is None or any(environ.get(variable) for variable in needs):
            return False
    return True
