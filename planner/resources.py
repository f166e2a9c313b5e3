"""Where the program's files live: the bundled resources/ folder and the user's data folder.

This is the only module that knows these locations; everything else asks it: the bundled
resources, the user's data folder and the folder of the log (``planner.logbook``).

The bundled files are required, the user's are not: a bundled folder or file that is not
there is said by what reads it, naming where it looked (``planner.catalog.InstallationError``
for the regimen files, the drug dictionary and the port rules; ``planner.i18n.TranslationMissing``
for a translation), never read as an empty catalogue. The user's folder may be absent or empty.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "infusion-planner"

LOG_DIR_VARIABLE = "PLANNER_LOG_DIR"
"""Names another folder for the log (an IT department's choice; the tests' own)."""

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


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
    """gettext catalogues: <lang>/LC_MESSAGES/planner.po (and the .mo built from it)."""
    return RESOURCES / "translations"


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
