"""The package's description agrees with itself: one version, commands that exist, desktop
files that name them, and a build that carries every file the program reads.

The wheel itself is built, installed into a new virtual environment and run by
``make package-check`` (tools/check_package.py), which CI runs: minutes, not a unit test.
"""

from __future__ import annotations

import configparser
import gettext
import importlib
import importlib.util
import re
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest
from setuptools import Distribution

import planner
from planner import resources

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
DESKTOP = resources.desktop_dir() / f"{resources.APP_ID}.desktop"
METAINFO = resources.desktop_dir() / f"{resources.APP_ID}.metainfo.xml"


def _setup_py() -> ModuleType:
    spec = importlib.util.spec_from_file_location("planner_setup", ROOT / "setup.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _entry_point(target: str) -> object:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def test_the_version_is_written_once() -> None:
    assert "version" not in PROJECT
    assert PROJECT["dynamic"] == ["version"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "planner.__version__"}
    assert planner.version_line() == f"infusion-planner {planner.__version__}"


def test_the_commands_are_the_command_line_and_the_window() -> None:
    assert PROJECT["scripts"] == {"infusion-planner": "planner.cli:main"}
    assert PROJECT["gui-scripts"] == {"infusion-planner-gui": "planner.gui.app:main"}
    for target in [*PROJECT["scripts"].values(), *PROJECT["gui-scripts"].values()]:
        assert callable(_entry_point(target)), target


def test_a_plain_install_has_the_time_zones_and_a_shared_unit_stays_optional() -> None:
    names = {re.split(r"[<>=!;\[ ]", d, maxsplit=1)[0].lower() for d in PROJECT["dependencies"]}
    assert {"tzdata", "pyside6-essentials", "babel", "platformdirs"} <= names
    assert not names & {"psycopg", "keyring"}
    assert PROJECT["optional-dependencies"]["postgresql"]


def test_the_licence_is_the_gpl_3_text() -> None:
    assert PROJECT["license"] == "GPL-3.0-or-later"
    assert PROJECT["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.lstrip().startswith("GNU GENERAL PUBLIC LICENSE\n                       Version 3")
    assert "END OF TERMS AND CONDITIONS" in text


def _released() -> list[tuple[str, str]]:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    return re.findall(r"^## \[(\d[^\]]*)\] - (\d{4}-\d{2}-\d{2})$", changelog, re.MULTILINE)


def test_the_changelog_and_the_metainfo_give_the_versions_released() -> None:
    releases = ET.parse(METAINFO).getroot().findall("releases/release")
    assert [(r.get("version"), r.get("date")) for r in releases] == _released()
    assert _released()[0][0] == planner.__version__


def test_the_desktop_entry_starts_the_window_with_the_icon() -> None:
    entry = configparser.ConfigParser(interpolation=None, strict=True)
    entry.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    entry.read(DESKTOP, encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Exec"].split()[0] in PROJECT["gui-scripts"]
    assert desktop["StartupWMClass"] in PROJECT["gui-scripts"]
    assert desktop["Icon"] == resources.APP_ID
    assert desktop["Terminal"] == "false"


def test_the_metainfo_names_the_desktop_entry_and_the_commands() -> None:
    component = ET.parse(METAINFO).getroot()
    assert component.findtext("id") == resources.APP_ID
    assert component.findtext("launchable") == DESKTOP.name
    assert component.findtext("project_license") == PROJECT["license"]
    binaries = {b.text for b in component.findall("provides/binary")}
    assert binaries == {*PROJECT["scripts"], *PROJECT["gui-scripts"]}


def test_the_build_carries_every_file_the_program_reads_and_compiles_the_french(
    tmp_path: Path,
) -> None:
    setup = _setup_py()
    build = setup.BuildWithResources(Distribution())
    build.build_lib = str(tmp_path)
    written = {
        path.relative_to(tmp_path / "planner" / "_resources") for path in build._copy_resources()
    }

    source = resources.RESOURCES
    read = {
        resources.agents_file(),
        resources.port_rules_file(),
        *resources.regimens_dir().glob("*.toml"),
        resources.icon_file(),
        *(resources.icon_file(size) for size in resources.ICON_SIZES),
        *resources.desktop_dir().iterdir(),
    }
    assert len(list(resources.regimens_dir().glob("*.toml"))) >= 50
    mo = Path("translations", "fr", "LC_MESSAGES", "planner.mo")
    assert written == {path.relative_to(source) for path in read} | {mo}
    with (tmp_path / "planner" / "_resources" / mo).open("rb") as stream:
        french = gettext.GNUTranslations(stream)
    assert french.gettext("Infusion Planner") == "Planificateur de perfusions"


def test_a_catalogue_marked_fuzzy_stops_the_build(tmp_path: Path) -> None:
    setup = _setup_py()
    po = tmp_path / "translations" / "fr" / "LC_MESSAGES" / "planner.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        '#, fuzzy\nmsgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Infusion Planner"\nmsgstr "Planificateur de perfusions"\n',
        encoding="utf-8",
    )
    with pytest.raises(setup.SetupError, match="fuzzy"):
        setup.compile_catalogues(tmp_path, tmp_path / "out")
    assert not (tmp_path / "out").exists()
