"""Where the program finds its own files: in the package when built, else in a checkout's
resources/; never in a stray folder of site-packages."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from planner import resources

ROOT = Path(__file__).resolve().parent.parent


def _found(package: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(resources, "files", lambda name: package)
    return resources._program_files()


def test_a_checkout_reads_its_resources_folder() -> None:
    assert resources.RESOURCES == ROOT / "resources"
    assert resources.regimens_dir().is_dir()


def test_an_installed_package_reads_what_the_build_put_into_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "site-packages" / "planner"
    (package / "_resources").mkdir(parents=True)
    (tmp_path / "site-packages" / "resources").mkdir()  # another distribution's folder
    assert _found(package, monkeypatch) == package / "_resources"


def test_an_installation_without_its_files_names_the_folder_it_lacks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not a stray site-packages/resources: the error then names planner/_resources."""
    package = tmp_path / "site-packages" / "planner"
    package.mkdir(parents=True)
    (tmp_path / "site-packages" / "resources" / "regimens").mkdir(parents=True)
    assert _found(package, monkeypatch) == package / "_resources"


def test_an_unpacked_sdist_reads_its_resources_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "infusion_planner-0.1.0" / "planner"
    package.mkdir(parents=True)
    (package.parent / "pyproject.toml").touch()
    (package.parent / "resources").mkdir()
    assert _found(package, monkeypatch) == package.parent / "resources"


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_the_icon_is_there_as_svg_and_in_every_png_size() -> None:
    assert resources.icon_file().read_text(encoding="utf-8").lstrip().startswith("<?xml")
    for size in resources.ICON_SIZES:
        assert _png_size(resources.icon_file(size)) == (size, size)


def test_the_icons_are_laid_out_as_the_hicolor_theme() -> None:
    """So that a packager copies icons/hicolor into /usr/share/icons as it is."""
    hicolor = resources.RESOURCES / "icons" / "hicolor"
    assert resources.icon_file(48).relative_to(hicolor) == Path(
        "48x48", "apps", f"{resources.APP_ID}.png"
    )
    assert resources.icon_file().relative_to(hicolor) == Path(
        "scalable", "apps", f"{resources.APP_ID}.svg"
    )
