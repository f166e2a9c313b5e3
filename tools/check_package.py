"""The package as a user gets it, tried as a user would (``make package-check``, run by CI).

1. The sdist and the wheel are built with ``python -m build`` from a copy of the source
   (the files git knows, outside the repository), the wheel from the sdist: so the sdist is
   proved to carry what the wheel needs, and nothing left in the checkout's ``build/``
   slips into the wheel.
2. Both are read: every regimen, the drug dictionary, the port rules, the compiled French,
   the icon and the desktop files; the licence; the two commands.
3. The desktop entry and the AppStream metainfo are validated, when
   ``desktop-file-validate`` and ``appstreamcli`` are installed (else it says so).
4. A new virtual environment outside the repository gets the wheel alone (its dependencies
   from the package index or pip's cache), and from a folder outside the repository, with
   an empty home, the installed commands run: ``--version``, ``regimens``, ``schedule``,
   ``--lang fr regimens``, ``export-ics`` in English and in French, and the window offscreen
   with ``--exit-after-startup``.

Prints what it did and how long each part took; exit code 1 at the first failure, with the
folder kept for a look.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tools.check_package [--keep]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from planner import __version__, resources

ROOT = Path(__file__).resolve().parent.parent
APP = resources.APP_ID
MIN_REGIMENS = 29
START = "2027-01-04"


class CheckFailed(Exception):
    """What the package got wrong, in one sentence."""


def check(condition: bool, problem: str) -> None:
    if not condition:
        raise CheckFailed(problem)


@contextmanager
def timed(what: str, times: dict[str, float]) -> Iterator[None]:
    began = time.perf_counter()
    print(f"-- {what}", flush=True)
    yield
    times[what] = time.perf_counter() - began
    print(f"   {times[what]:.1f} s", flush=True)


def run(
    command: Sequence[str | Path], *, cwd: Path, env: dict[str, str] | None = None, timeout: int
) -> str:
    """The command's output; its error output and exit code make the failure."""
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise CheckFailed(
            f"{' '.join(map(str, command))} ended with {done.returncode}:\n"
            f"{done.stdout[-2000:]}{done.stderr[-2000:]}"
        )
    return done.stdout


def copy_source(target: Path) -> None:
    """The files git knows (committed or added, and new ones it does not ignore)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    if listed.returncode != 0:  # not a git checkout (an unpacked sdist): the whole folder
        shutil.copytree(
            ROOT,
            target,
            ignore=shutil.ignore_patterns(
                ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "*.mo"
            ),
        )
        return
    for name in listed.stdout.decode().split("\0"):
        source = ROOT / name
        if name and source.is_file():  # a file deleted but not yet committed is gone
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def expected_files() -> set[str]:
    """What the program reads, relative to resources/ (planner/_resources in a wheel)."""
    here = resources.RESOURCES
    read = {
        resources.agents_file(),
        resources.port_rules_file(),
        *resources.regimens_dir().glob("*.toml"),
        resources.icon_file(),
        *(resources.icon_file(size) for size in resources.ICON_SIZES),
        resources.desktop_dir() / f"{APP}.desktop",
        resources.desktop_dir() / f"{APP}.metainfo.xml",
    }
    check(len(list(resources.regimens_dir().glob("*.toml"))) >= MIN_REGIMENS, "regimens lost")
    mo = "translations/fr/LC_MESSAGES/planner.mo"
    return {path.relative_to(here).as_posix() for path in read} | {mo}


def check_contents(sdist: Path, wheel: Path) -> None:
    wanted = expected_files()
    with tarfile.open(sdist) as archive:
        top = f"{sdist.name.removesuffix('.tar.gz')}/"
        names = {name.removeprefix(top) for name in archive.getnames()}
    missing = {f"resources/{name}" for name in wanted} - names
    missing |= {"resources/translations/fr/LC_MESSAGES/planner.po", "setup.py"} - names
    missing |= {"LICENSE", "CHANGELOG.md", "README.md", "pyproject.toml"} - names
    check(not missing, f"the sdist lacks {sorted(missing)}")

    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        info = f"infusion_planner-{__version__}.dist-info"
        entry_points = archive.read(f"{info}/entry_points.txt").decode()
    inside = {name.removeprefix("planner/_resources/") for name in names}
    missing = wanted - inside
    check(not missing, f"the wheel lacks planner/_resources/{sorted(missing)}")
    sources = sorted(name for name in names if name.endswith((".po", ".pot")))
    check(not sources, f"the wheel carries translation sources: {sources}")
    check(f"{info}/licenses/LICENSE" in names, "the wheel has no LICENSE")
    for section, line in (
        ("[console_scripts]", "infusion-planner = planner.cli:main"),
        ("[gui_scripts]", "infusion-planner-gui = planner.gui.app:main"),
    ):
        check(
            section in entry_points and line in entry_points,
            f"the wheel's entry points lack {section} {line}",
        )
    print(f"   {len(wanted)} program files in both, the French compiled, the licence")


def validate_desktop_files(folder: Path) -> None:
    """The desktop entry and the metainfo in ``folder``: the installed copies."""
    for tool, path in (
        ("desktop-file-validate", folder / f"{APP}.desktop"),
        ("appstreamcli", folder / f"{APP}.metainfo.xml"),
    ):
        found = shutil.which(tool)
        if found is None:
            print(f"   {tool} is not installed: {path.name} not validated")
            continue
        command: list[str | Path] = [found, path]
        if tool == "appstreamcli":
            command = [found, "validate", "--no-net", path]
        said = run(command, cwd=ROOT, timeout=60).replace(str(path), path.name).strip()
        print(f"   {tool}: {path.name} valid")
        for line in said.splitlines():
            print(f"     {line}")


def smoke(venv: Path, place: Path) -> Path:
    """The installed commands, from ``place`` (outside the repository), with an empty home;
    where the installed program reads its files."""
    scripts = venv / ("Scripts" if os.name == "nt" else "bin")
    cli, gui = scripts / "infusion-planner", scripts / "infusion-planner-gui"
    python = scripts / "python"
    home = place / "home"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "LANGUAGE": "en",
        "QT_QPA_PLATFORM": "offscreen",
    }
    for name in ("SYSTEMROOT", "TMPDIR", "TEMP", "TMP"):  # what Windows or a CI may need
        if name in os.environ:
            env[name] = os.environ[name]

    def command(*args: str | Path, timeout: int = 120) -> str:
        return run(args, cwd=place, env=env, timeout=timeout)

    where = command(python, "-c", "import planner.resources as r; print(r.RESOURCES)").strip()
    check(
        Path(where).is_relative_to(venv) and where.endswith(str(Path("planner", "_resources"))),
        f"the installed program reads its files from {where}, not from the wheel",
    )
    version = command(cli, "--version").strip()
    check(version == f"infusion-planner {__version__}", f"--version said {version!r}")
    print(f"   {version}, its files in {where}")

    rows = command(cli, "regimens").splitlines()[1:]
    check(len(rows) >= MIN_REGIMENS, f"regimens listed {len(rows)} rows")
    check(any(row.startswith("mfolfox6-q14 ") for row in rows), "regimens lacks mfolfox6-q14")
    print(f"   regimens: {len(rows)}")

    schedule = command(cli, "schedule", "--regimen", "mfolfox6-q14", "--start", START)
    check("Mon 4 Jan 2027" in schedule and "Session:" in schedule, "schedule: no session")
    print(f"   schedule: {schedule.count('Session:')} sessions")

    french = command(cli, "--lang", "fr", "regimens")
    header, *_ = french.splitlines()
    check(
        header.split()[:2] == ["Id", "Nom"] and "Chambre" in header and "non nécessaire" in french,
        f"--lang fr regimens is not French: {header!r}",
    )
    print("   --lang fr regimens: French")

    unit = place / "unit.db"
    command(
        cli,
        "unit",
        "settings",
        "--db",
        unit,
        "--name",
        "Hôpital de jour",
        "--phone",
        "01 23 45 67 89",
    )
    for lang, said in (("en", "Day hospital"), ("fr", "Hôpital de jour")):
        ics = place / f"calendar-{lang}.ics"
        command(cli, "--lang", lang, "export-ics", "--db", unit, "--regimen", "mfolfox6-q14",
                "--start", START, "--out", ics)  # fmt: skip
        text = ics.read_text(encoding="utf-8")
        events = text.count("BEGIN:VEVENT")
        check(text.startswith("BEGIN:VCALENDAR") and events > 20, f"{ics.name}: {events} events")
        check(f"SUMMARY:{said}" in text, f"{ics.name} is not written in {lang!r}")
        print(f"   export-ics --lang {lang}: {events} events")

    for args in (["--version"], ["--exit-after-startup", "--db", place / "window.db"]):
        out = command(gui, *args, timeout=180)
        if args == ["--version"]:
            check(out.strip() == version, f"infusion-planner-gui --version said {out!r}")
        else:
            check("painted:" in out and "patients listed:" in out, f"the window said {out!r}")
    print(f"   the window offscreen: {' · '.join(out.split(chr(10))[:2])}")
    return Path(where)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.check_package")
    parser.add_argument("--keep", action="store_true", help="keep the folder it worked in")
    args = parser.parse_args(argv)
    if importlib.util.find_spec("build") is None:
        print("python -m build is needed: .venv/bin/pip install build (or `make setup`)")
        return 1

    work = Path(tempfile.mkdtemp(prefix="infusion-planner-package-"))
    check(not work.is_relative_to(ROOT), "the work folder must be outside the repository")
    times: dict[str, float] = {}
    try:
        with timed("build the sdist, then the wheel from it", times):
            copy_source(work / "source")
            run([sys.executable, "-m", "build", "--outdir", work / "dist", work / "source"],
                cwd=work, timeout=600)  # fmt: skip
            (sdist,) = (work / "dist").glob("*.tar.gz")
            (wheel,) = (work / "dist").glob("*.whl")
            print(f"   {sdist.name} {sdist.stat().st_size // 1024} kB, "
                  f"{wheel.name} {wheel.stat().st_size // 1024} kB")  # fmt: skip
        with timed("read the sdist and the wheel", times):
            check_contents(sdist, wheel)
        with timed("install the wheel alone into a new virtual environment", times):
            venv = work / "venv"
            run([sys.executable, "-m", "venv", venv], cwd=work, timeout=300)
            scripts = venv / ("Scripts" if os.name == "nt" else "bin")
            run([scripts / "python", "-m", "pip", "install", "--quiet",
                 "--disable-pip-version-check", wheel], cwd=work, timeout=900)  # fmt: skip
        with timed("run the installed commands from outside the repository", times):
            place = work / "elsewhere"
            place.mkdir()
            installed = smoke(venv, place)
        with timed("validate the installed desktop entry and metainfo", times):
            validate_desktop_files(installed / "desktop")
    except (CheckFailed, subprocess.TimeoutExpired) as problem:
        print(f"package check FAILED: {problem}\n(kept: {work})", file=sys.stderr)
        return 1
    print(f"package check passed in {sum(times.values()):.0f} s")
    if args.keep:
        print(f"kept: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
