"""Where the program's files live: its own files (resources/) and the user's data folder.

This is the only module that knows these locations; everything else asks it: the bundled
resources, the user's data folder and the folder of the log (``planner.logbook``).

The program's own files (regimens, the drug dictionary, the port rules, the compiled
translations, the icon and the Linux desktop files) are found through ``importlib.resources``,
beside the package's code, wherever that is. The repository keeps them in ``resources/`` at
its top; the build (``setup.py``) puts them into the package as ``planner/_resources``, with
the translations compiled from their ``.po``. So the one rule below serves every way the
program runs:

* installed from a wheel or an sdist, or frozen into a one-folder bundle (which collects
  ``planner/_resources`` like any package data): ``planner/_resources``;
* a source checkout, which has no ``planner/_resources``: the repository's ``resources/``
  beside the package, recognised by the ``pyproject.toml`` beside it too (the translations
  compiled there by ``make``).

An installation without ``planner/_resources`` is therefore said to lack it, by that name,
never read from some other ``resources/`` folder that happens to lie in site-packages.

The bundled files are required, the user's are not: a bundled folder or file that is not
there is said by what reads it, naming where it looked (``planner.catalog.InstallationError``
for the regimen files, the drug dictionary and the port rules; ``planner.i18n.TranslationMissing``
for a translation), never read as an empty catalogue. The user's folder may be absent or empty.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

import platformdirs

APP_NAME = "infusion-planner"
APP_ID = "org.infusionplanner.InfusionPlanner"
"""The reverse-DNS name of the desktop file, the icon and the AppStream component."""

LOG_DIR_VARIABLE = "PLANNER_LOG_DIR"
"""Names another folder for the log (an IT department's choice; the tests' own)."""

ICON_SIZES = (16, 32, 48, 64, 128, 256)
"""The sizes of the icon's PNG renderings (the SVG is the original)."""

PACKAGED = "_resources"
"""The folder inside the package where a build puts resources/."""


def _program_files() -> Path:
    found = files(__package__ or "planner")
    # Files on disk in every supported case (a frozen bundle's reader gives a Path too);
    # gettext and Qt need real files, so a zip import is not one of them.
    package = found if isinstance(found, Path) else Path(str(found))
    packaged = package / PACKAGED
    if packaged.is_dir() or not (package.parent / "pyproject.toml").is_file():
        return packaged
    return package.parent / "resources"


RESOURCES = _program_files()


def regimens_dir() -> Path:
    """The bundled regimen files (resources/regimens/<id>.toml)."""
    return RESOURCES / "regimens"


def agents_file() -> Path:
    """The bundled drug dictionary (class, family, names) that regimen files refer to."""
    return RESOURCES / "agents.toml"


def port_rules_file() -> Path:
    """The bundled port advice rule table."""
    return RESOURCES / "port_rules.toml"


def translations_dir() -> Path:
    """gettext catalogues: <lang>/LC_MESSAGES/planner.mo (in a checkout, the .po beside it)."""
    return RESOURCES / "translations"


def icon_file(size: int | None = None) -> Path:
    """The program's icon: the SVG original, or its PNG rendering of ``size`` pixels.

    Laid out as the freedesktop icon theme "hicolor" is, so that a packager copies
    ``icons/hicolor`` into ``/usr/share/icons`` as it is.
    """
    hicolor = RESOURCES / "icons" / "hicolor"
    if size is None:
        return hicolor / "scalable" / "apps" / f"{APP_ID}.svg"
    return hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def desktop_dir() -> Path:
    """The Linux desktop entry (<APP_ID>.desktop) and AppStream metainfo (.metainfo.xml)."""
    return RESOURCES / "desktop"


def user_data_dir() -> Path:
    """The user's data folder (platformdirs): on Linux ~/.local/share/infusion-planner.

    Honours XDG_DATA_HOME on Linux; %LOCALAPPDATA% on Windows, ~/Library/Application Support
    on macOS.
    """
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def user_regimens_dir() -> Path:
    """Where users put their own regimen files, agents.toml and port_rules.toml."""
    return user_data_dir() / "regimens"


def user_log_dir() -> Path:
    """The folder of the program's log (platformdirs), or $PLANNER_LOG_DIR when set.

    Linux: ~/.local/state/infusion-planner/log (honours XDG_STATE_HOME); Windows:
    %LOCALAPPDATA%\\infusion-planner\\Logs; macOS: ~/Library/Logs/infusion-planner.
    Not created here: by the log, when it first writes.
    """
    given = os.environ.get(LOG_DIR_VARIABLE)
    if given:
        return Path(given)
    return platformdirs.user_log_path(APP_NAME, appauthor=False, ensure_exists=False)
