"""The one-folder application, built with PyInstaller (``make bundle``).

1. The wheel is built from a copy of the source (the files git knows, outside the
   repository), as ``make package-check`` builds it: ``planner/_resources`` with the
   compiled French, nothing from the checkout's ``build/``.
2. A new virtual environment outside the repository gets that wheel with its
   ``postgresql`` extra (so a shared unit works from the bundle too) and PyInstaller with
   its community hooks; nothing is installed into the project's ``.venv``.
3. PyInstaller runs ``packaging/infusion-planner.spec`` with that environment's Python,
   from a folder outside the repository: the bundle freezes the installed package, never
   the source tree (the spec refuses a checkout or an editable install).
4. The folder is put in ``dist/infusion-planner/`` and packed beside it for handing out:
   ``dist/infusion-planner-<version>-<system>-<machine>.tar.gz`` (``.zip`` on Windows).

Prints what it did, how long each part took, and the folder's size and number of files;
exit code 1 at the first failure, with the folder it worked in kept for a look. The same
tool builds the Windows and macOS bundles on those systems (docs/install.md).

    .venv/bin/python -m tools.build_bundle [--keep]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import shutil
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

from planner import __version__
from tools.check_package import ROOT, CheckFailed, check, copy_source, run, timed

NAME = "infusion-planner"
SPEC = ROOT / "packaging" / f"{NAME}.spec"
DIST = ROOT / "dist"
BUNDLE = DIST / NAME
"""Where ``make bundle`` leaves the folder (``make bundle-check`` reads it there)."""

BUILD_REQUIREMENTS = ("pyinstaller>=6.10,<7", "pyinstaller-hooks-contrib>=2025.1")
"""PyInstaller 6 (the spec filters Qt's plugins through its Qt hooks' helper)."""

SYSTEMS = {"linux": "linux", "win32": "windows", "darwin": "macos"}


def archive_path() -> Path:
    """The archive handed out: the version, the system and the processor in its name."""
    system = SYSTEMS.get(sys.platform, sys.platform)
    machine = platform.machine().lower().replace("amd64", "x86_64")
    suffix = ".zip" if os.name == "nt" else ".tar.gz"
    return DIST / f"{NAME}-{__version__}-{system}-{machine}{suffix}"


def folder_size(folder: Path) -> tuple[int, int]:
    """Bytes and number of files in ``folder`` (a symbolic link counts as a file, not its
    target's size)."""
    size = count = 0
    for path in folder.rglob("*"):
        if path.is_symlink() or path.is_file():
            size += path.lstat().st_size
            count += 1
    return size, count


def pack(folder: Path, target: Path) -> None:
    """``folder`` in an archive, under its own name: a .zip on Windows (Explorer opens it),
    else a .tar.gz, which keeps the executables' modes and the libraries' symbolic links."""
    target.unlink(missing_ok=True)
    partial = target.with_name(target.name + ".part")
    if target.suffix == ".zip":
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            for path in sorted(folder.rglob("*")):
                archive.write(path, path.relative_to(folder.parent))
    else:
        with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
            archive.add(folder, arcname=folder.name)
    partial.replace(target)


def build(work: Path) -> Path:
    """The bundle built in ``work``; its folder there."""
    times: dict[str, float] = {}
    with timed("build the wheel from a copy of the source", times):
        copy_source(work / "source")
        run(
            [sys.executable, "-m", "build", "--wheel", "--outdir", work / "wheel", work / "source"],
            cwd=work,
            timeout=600,
        )
        (wheel,) = (work / "wheel").glob("*.whl")
        print(f"   {wheel.name} {wheel.stat().st_size // 1024} kB")
    with timed("install it with PyInstaller into a new virtual environment", times):
        venv = work / "venv"
        run([sys.executable, "-m", "venv", venv], cwd=work, timeout=300)
        python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
        run(
            [
                python,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                f"{wheel}[postgresql]",
                *BUILD_REQUIREMENTS,
            ],
            cwd=work,
            timeout=900,
        )
        versions = run(
            [
                python,
                "-c",
                "import PyInstaller, PySide6; print(PyInstaller.__version__, PySide6.__version__)",
            ],
            cwd=work,
            timeout=60,
        ).split()
        print(f"   PyInstaller {versions[0]}, PySide6 {versions[1]}")
    with timed("freeze it with PyInstaller (packaging/infusion-planner.spec)", times):
        out = run(
            [
                python,
                "-m",
                "PyInstaller",
                "--noconfirm",
                "--log-level",
                "WARN",
                "--distpath",
                work / "dist",
                "--workpath",
                work / "pyinstaller",
                SPEC,
            ],
            cwd=work,
            timeout=1800,
        )
        for line in out.splitlines():
            if line.startswith(f"{NAME}.spec:"):
                print(f"   {line}")
        folder = work / "dist" / NAME
        check((folder / "_internal" / "planner" / "_resources").is_dir(), "no planner/_resources")
    print(f"bundle built in {sum(times.values()):.0f} s")
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.build_bundle")
    parser.add_argument("--keep", action="store_true", help="keep the folder it worked in")
    args = parser.parse_args(argv)
    if importlib.util.find_spec("build") is None:
        print("python -m build is needed: .venv/bin/pip install build (or `make setup`)")
        return 1
    work = Path(tempfile.mkdtemp(prefix="infusion-planner-bundle-"))
    times: dict[str, float] = {}
    try:
        with timed("build", times):
            built = build(work)
        with timed(f"put it in {BUNDLE.relative_to(ROOT)} and pack it", times):
            shutil.rmtree(BUNDLE, ignore_errors=True)
            DIST.mkdir(exist_ok=True)
            shutil.move(built, BUNDLE)
            archive = archive_path()
            pack(BUNDLE, archive)
    except (CheckFailed, OSError) as problem:
        print(f"bundle FAILED: {problem}\n(kept: {work})", file=sys.stderr)
        return 1
    size, files = folder_size(BUNDLE)
    print(
        f"{BUNDLE.relative_to(ROOT)}: {size / 1e6:.0f} MB in {files} files; "
        f"{archive.relative_to(ROOT)}: {archive.stat().st_size / 1e6:.0f} MB; "
        f"{sum(times.values()):.0f} s in all"
    )
    if args.keep:
        print(f"kept: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
