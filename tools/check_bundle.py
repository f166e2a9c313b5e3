"""The one-folder application tried as a hospital's IT department gets it (``make
bundle-check``, run by CI after ``make bundle``).

1. The archive that ``make bundle`` left in ``dist/`` is unpacked into a new folder outside
   the repository (``<tmp>/moved/infusion-planner``): the bundle moved, with no ``.venv``,
   no source tree and no build folder within reach.
2. Its content is read: the program's files and compiled French, Qt's platform plugins
   and French, Babel's French, France's public holidays in French, the time zones, the
   Alembic migrations; nothing in it names the repository; on Linux, every library it
   carries finds the libraries it needs (``ldd``).
3. Its two programs run from another folder with a clean environment (``PATH=/usr/bin:/bin``
   and an empty ``HOME``, nothing else but ``QT_QPA_PLATFORM=offscreen`` and the language
   where a step needs them), and each exit code and the key lines of output are checked:
   ``--version``, ``regimens`` (29 or more), ``--lang fr regimens``, ``schedule`` in English
   and French (the Easter Monday move), ``demo`` (a unit of 50 patients), ``unit capacity``
   and ``unit book`` on it (the day optimiser: OR-Tools and numpy), ``export-ics``
   in English and French, ``validate`` on a regimen file and on a broken one, and the
   window offscreen with ``--exit-after-startup`` on the demo unit, in English and in
   French (Qt's own French loaded from the bundle, says the log).
4. The log the bundle wrote (in the empty home's platform folder) says it ran as a bundle
   from the moved folder, and holds no error.
5. When Xvfb is installed (``make`` installs it as root), the window starts on a real X
   server through Qt's xcb plugin and the X11 libraries the bundle carries.
6. When PostgreSQL is installed (CI installs it), a throw-away server is started and the
   bundled command line makes a demo unit on it and lists its plans: the driver, libpq and
   SQLAlchemy's PostgreSQL dialect are in the bundle. A throw-away Radicale (a development
   dependency) is started too, and the bundled command line publishes a demo patient's
   calendar to it; the link serves it without a password (caldav and its HTTP library).
7. Nothing in the bundle's folder was written or changed by all this: it may be read-only
   (installed for all users).

Prints what it did and how long each part took; exit code 1 at the first failure, with the
folder kept for a look.

    .venv/bin/python -m tools.check_bundle [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
import zipfile
from collections.abc import Sequence
from pathlib import Path

from planner import __version__, resources
from planner.calendars.radicale_trial import trial_server
from planner.store import pg_trial
from tools.build_bundle import BUNDLE, NAME, archive_path, folder_size
from tools.check_package import MIN_REGIMENS, ROOT, START, CheckFailed, check, timed

WINDOWS = os.name == "nt"
CLEAN_PATH = (
    os.pathsep.join(
        str(Path(os.environ.get("SYSTEMROOT", r"C:\Windows"), *sub)) for sub in (("System32",), ())
    )
    if WINDOWS
    else "/usr/bin:/bin"
)
"""The system's own programs only: no virtual environment, no Python on the way."""
EXE = ".exe" if WINDOWS else ""
REGIMEN = "mfolfox6-q14"
DEMO_PATIENTS = 50


def listing(folder: Path) -> list[tuple[str, int, int]]:
    """Every file in ``folder`` with its size and time of change."""
    return [
        (str(path.relative_to(folder)), path.lstat().st_size, path.lstat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
    ]


def unpack(archive: Path, target: Path) -> Path:
    """``archive`` unpacked into ``target``; the bundle's folder."""
    if archive.suffix == ".zip":
        with zipfile.ZipFile(archive) as packed:
            packed.extractall(target)
    else:
        with tarfile.open(archive) as packed:
            packed.extractall(target, filter="tar")
    return target / NAME


def check_contents(folder: Path) -> None:
    """What the bundle must carry, where the frozen program looks for it."""
    inside = folder / "_internal"
    program = inside / "planner" / resources.PACKAGED
    qt = inside / "PySide6" / ("" if WINDOWS else "Qt")
    platforms = {"win32": "qwindows.dll", "darwin": "libqcocoa.dylib"}
    wanted = {
        "the regimens": program / "regimens" / f"{REGIMEN}.toml",
        "the drug dictionary": program / "agents.toml",
        "the port rules": program / "port_rules.toml",
        "the program's French": program / "translations/fr/LC_MESSAGES/planner.mo",
        "the icon": program / "icons/hicolor/256x256/apps" / f"{resources.APP_ID}.png",
        "Qt's offscreen platform": qt / "plugins/platforms" / plugin("qoffscreen"),
        "Qt's platform for this system": qt
        / "plugins/platforms"
        / platforms.get(sys.platform, "libqxcb.so"),
        "Qt's French": qt / "translations/qtbase_fr.qm",
        "Babel's French": inside / "babel/locale-data/fr.dat",
        "France's holidays in French": inside / "holidays/locale/fr/LC_MESSAGES/FR.mo",
        "the time zones": inside / "tzdata/zoneinfo/Europe/Paris",
        "the migrations": inside / "planner/store/migrations/versions/0001_initial.py",
        "Alembic's environment": inside / "planner/store/migrations/env.py",
    }
    missing = [
        f"{what} ({path.relative_to(folder)})"
        for what, path in wanted.items()
        if not path.is_file()
    ]
    check(not missing, f"the bundle lacks {'; '.join(missing)}")
    regimens = len(list((program / "regimens").glob("*.toml")))
    check(regimens >= MIN_REGIMENS, f"the bundle carries {regimens} regimen files")
    left_out = [
        path.relative_to(folder)
        for path in inside.rglob("*")
        if path.name.startswith(
            (
                "libQt6Qml",
                "libQt6Quick",
                "libQt6WebEngine",
                "libQt6Network",
                "Qt6Qml",
                "Qt6Network",
                "_tkinter",
            )
        )
        or path.name in ("tests", "pytest")
    ]
    check(not left_out, f"the bundle carries what the program does not use: {left_out}")
    # A file naming the source tree would be a way back into it.
    named = [
        path.relative_to(folder)
        for path in folder.rglob("*")
        if path.is_file() and not path.is_symlink() and str(ROOT).encode() in path.read_bytes()
    ]
    check(not named, f"files of the bundle name the repository {ROOT}: {named}")
    outside = [
        path.relative_to(folder)
        for path in folder.rglob("*")
        if path.is_symlink() and not path.resolve().is_relative_to(folder.resolve())
    ]
    check(not outside, f"symbolic links lead out of the bundle: {outside}")
    size, files = folder_size(folder)
    print(
        f"   {size / 1e6:.0f} MB in {files} files, {regimens} regimens, the French of the "
        "program, Qt, Babel and holidays, the time zones, the migrations"
    )


def plugin(name: str) -> str:
    return {"win32": f"{name}.dll", "darwin": f"lib{name}.dylib"}.get(sys.platform, f"lib{name}.so")


def check_libraries(folder: Path) -> None:
    """Linux: every library in the bundle finds what it needs, in the bundle or the system."""
    ldd = shutil.which("ldd")
    if not sys.platform.startswith("linux") or ldd is None:
        print("   not on Linux, or no ldd: the libraries are not checked")
        return
    inside = folder / "_internal"
    env = {"PATH": "/usr/bin:/bin", "LD_LIBRARY_PATH": str(inside)}  # as the bootloader does
    problems: list[str] = []
    checked = 0
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not path.is_file() or ".so" not in path.name:
            continue
        if path.read_bytes()[:4] != b"\x7fELF":
            continue
        checked += 1
        said = subprocess.run([ldd, path], capture_output=True, text=True, env=env, check=False)
        for line in said.stdout.splitlines():
            if "not found" in line:
                problems.append(f"{path.relative_to(folder)}: {line.strip()}")
    check(not problems, "libraries not found:\n" + "\n".join(problems))
    print(f"   {checked} libraries, each finding what it needs")


class Runner:
    """The bundle's programs run from ``place`` with a clean environment and ``home``."""

    def __init__(self, folder: Path, place: Path, home: Path) -> None:
        self.folder, self.place, self.home = folder, place, home
        self.env = {"PATH": CLEAN_PATH, "HOME": str(home)}
        if WINDOWS:  # what Windows cannot start a program without; the log kept in home
            for name in ("SYSTEMROOT", "TEMP", "TMP", "USERPROFILE", "LOCALAPPDATA", "APPDATA"):
                if name in os.environ:
                    self.env[name] = os.environ[name]
            self.env[resources.LOG_DIR_VARIABLE] = str(home / "log")

    def __call__(
        self,
        program: str,
        *args: str | Path,
        code: int = 0,
        env: dict[str, str] | None = None,
        timeout: int = 120,
    ) -> str:
        """The output of ``program args``, which must end with ``code``."""
        command = [str(self.folder / f"{program}{EXE}"), *map(str, args)]
        done = subprocess.run(
            command,
            cwd=self.place,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=timeout,
            check=False,
        )
        shown = " ".join([program, *map(str, args)])
        check(
            done.returncode == code,
            f"{shown} ended with {done.returncode}, not {code}:\n"
            f"{done.stdout[-2000:]}{done.stderr[-2000:]}",
        )
        return done.stdout + (done.stderr if code else "")


def smoke(folder: Path, place: Path) -> None:
    """The bundle's two programs, from ``place``, with an empty home."""
    home = place / "home"
    home.mkdir()
    cli = Runner(folder, place, home)
    cli_name, gui_name = NAME, f"{NAME}-gui"
    offscreen = {"QT_QPA_PLATFORM": "offscreen"}
    french = {"LANG": "fr_FR.UTF-8"}

    version = cli(cli_name, "--version").strip()
    check(version == f"{NAME} {__version__}", f"--version said {version!r}")
    if not WINDOWS:  # a windowed program on Windows has no output to print it to
        said = cli(gui_name, "--version").strip()
        check(said == version, f"{gui_name} --version said {said!r}")
    print(f"   {version}")

    rows = cli(cli_name, "regimens").splitlines()[1:]
    check(len(rows) >= MIN_REGIMENS, f"regimens listed {len(rows)} rows")
    check(any(row.startswith(f"{REGIMEN} ") for row in rows), f"regimens lacks {REGIMEN}")
    header = cli(cli_name, "--lang", "fr", "regimens").splitlines()[0]
    check(
        header.split()[:2] == ["Id", "Nom"] and "Chambre" in header,
        f"--lang fr regimens is not French: {header!r}",
    )
    print(f"   regimens: {len(rows)}, in French too")

    for lang, first, moved in (
        ("en", "Mon 4 Jan 2027", "Easter Monday"),
        ("fr", "lun. 4 janv. 2027", "Lundi de Pâques"),
    ):
        text = cli(cli_name, "--lang", lang, "schedule", "--regimen", REGIMEN, "--start", START)
        check(
            first in text and moved in text,
            f"schedule --lang {lang} lacks {first!r} or {moved!r}:\n{text[:1500]}",
        )
    print("   schedule: the Easter Monday session moved, in English and in French")

    unit = place / "unit.db"
    said = cli(cli_name, "demo", "--patients", str(DEMO_PATIENTS), "--db", unit, timeout=300)
    check(f"{DEMO_PATIENTS} patients" in said, f"demo said {said!r}")
    print(f"   demo: {said.strip()}")

    # The day optimiser: OR-Tools and numpy load from the bundle (stripping their libraries
    # broke numpy's import once), and the unit's days are solved.
    said = cli(cli_name, "unit", "capacity", "--db", unit, timeout=300)
    check("The unit has" in said and "Busiest day" in said, f"unit capacity said {said!r}")
    said = cli(cli_name, "unit", "book", "--db", unit, timeout=600)
    check("days placed by the optimiser" in said, f"unit book said {said!r}")
    print(f"   unit capacity and unit book: {said.strip().splitlines()[1]}")

    for lang, summary in (("en", "Blood test"), ("fr", "Prise de sang")):
        ics = place / f"calendar-{lang}.ics"
        cli(
            cli_name,
            "--lang",
            lang,
            "export-ics",
            "--db",
            unit,
            "--regimen",
            REGIMEN,
            "--start",
            START,
            "--out",
            ics,
        )
        text = ics.read_text(encoding="utf-8")
        events = text.count("BEGIN:VEVENT")
        check(text.startswith("BEGIN:VCALENDAR") and events > 20, f"{ics.name}: {events} events")
        check(
            f"SUMMARY:{summary}" in text and "TZID:Europe/Paris" in text,
            f"{ics.name} lacks SUMMARY:{summary} or Europe/Paris",
        )
        print(f"   export-ics --lang {lang}: {events} events")

    regimen = place / f"{REGIMEN}.toml"
    shutil.copyfile(ROOT / "resources" / "regimens" / f"{REGIMEN}.toml", regimen)
    said = cli(cli_name, "validate", regimen).strip()
    check(said == f"{regimen}: OK", f"validate said {said!r}")
    broken = place / "broken.toml"
    broken.write_text('id = "broken"\n', encoding="utf-8")
    said = cli(cli_name, "validate", broken, code=1)
    check(said.startswith(f"{broken}:"), f"validate on a broken file said {said!r}")
    print("   validate: a regimen file OK, a broken one refused (exit code 1)")

    for lang, env in (("en", offscreen), ("fr", {**offscreen, **french})):
        out = cli(gui_name, "--exit-after-startup", "--db", unit, env=env, timeout=180)
        check("painted:" in out and "patients listed:" in out, f"the window said {out!r}")
        print(f"   the window offscreen ({lang}): {' · '.join(out.splitlines()[:2])}")

    logs = list(home.rglob("infusion-planner.log"))
    check(len(logs) == 1, f"the log: {logs}, not one file in the home's log folder")
    log = logs[0].read_text(encoding="utf-8")
    check(
        f"run by a bundle {folder / cli_name}{EXE}" in log,
        f"the log does not say the bundle ran from {folder}",
    )
    qt_french = f"Qt's own translation loaded from {folder}"
    check(qt_french in log, "the log does not say Qt's French was loaded from the bundle")
    errors = [line for line in log.splitlines() if " ERROR " in line]
    check(not errors, "the log holds errors:\n" + "\n".join(errors))
    print(
        f"   the log ({logs[0].relative_to(home)}): run by the bundle, Qt's French loaded "
        "from it, no error"
    )


def real_display(folder: Path, place: Path) -> None:
    """Linux: the window on a real X server (Xvfb), through Qt's xcb plugin and the X11
    libraries the bundle carries, when Xvfb is installed (``make`` installs it as root)."""
    xvfb = shutil.which("Xvfb")
    if not sys.platform.startswith("linux") or xvfb is None:
        print("   skipped: Xvfb is not installed (Debian: apt-get install xvfb)")
        return
    read, write = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    try:
        with os.fdopen(read) as announced:
            number = announced.readline().strip()
        check(number != "", "Xvfb did not start")
        gui = Runner(folder, place, place / "home")
        x11 = {"DISPLAY": f":{number}", "QT_QPA_PLATFORM": "xcb"}
        out = gui(f"{NAME}-gui", "--exit-after-startup", "--db", place / "unit.db", env=x11)
        check("painted:" in out and "patients listed:" in out, f"the window said {out!r}")
        print(f"   the window on X11 (xcb): {' · '.join(out.splitlines()[:2])}")
    finally:
        server.terminate()
        server.wait(timeout=10)


def shared_unit(folder: Path, place: Path) -> None:
    """The bundled command line on a throw-away PostgreSQL server, when one can start."""
    if WINDOWS:
        print("   skipped: the trial PostgreSQL server runs on Linux and macOS only")
        return
    try:
        pg_trial.binaries()
    except pg_trial.TrialError as problem:
        print(f"   skipped: {problem}")
        return
    server = Path(tempfile.mkdtemp(prefix="planner-bundle-pg-", dir="/tmp"))
    server.chmod(0o755)
    try:
        url = pg_trial.start(server, fast=True)
        cli = Runner(folder, place, place / "home")
        # psycopg's own libpq (psycopg-binary), never the system's that PostgreSQL brought.
        binary = {"PSYCOPG_IMPL": "binary"}
        said = cli(NAME, "demo", "--patients", "5", "--db", url, env=binary, timeout=300)
        check("5 patients" in said, f"demo on PostgreSQL said {said!r}")
        plans = cli(NAME, "plans", "list", "--db", url, env=binary).splitlines()[1:]
        check(len(plans) >= 5, f"plans list on PostgreSQL listed {len(plans)} plans")
        print(f"   a demo unit on PostgreSQL: {len(plans)} plans listed, by the bundle's libpq")
    except pg_trial.TrialError as problem:
        raise CheckFailed(f"the trial PostgreSQL server did not start: {problem}") from None
    finally:
        pg_trial.stop(server)
        shutil.rmtree(server, ignore_errors=True)


def live_calendars(folder: Path, place: Path) -> None:
    """The bundled command line publishes a patient's calendar to a throw-away Radicale
    (started from this environment: the bundle does not carry a server), and the link
    serves it without a password: caldav and its HTTP library work frozen."""
    with trial_server(Path(tempfile.mkdtemp(prefix="planner-bundle-radicale-"))) as server:
        cli = Runner(folder, place, place / "home")
        unit = place / "unit.db"
        said = cli(
            NAME, "calendars", "server", "--url", server.collections_url,
            "--user", server.user, "--db", unit,
        )  # fmt: skip
        check(server.collections_url in said, f"calendars server said {said!r}")
        plans = json.loads(cli(NAME, "plans", "list", "--format", "json", "--db", unit))
        plan = str(plans[0]["id"])
        password = {"PLANNER_CALENDAR_PASSWORD": server.password}
        said = cli(NAME, "calendars", "publish", "--plan", plan, "--db", unit, env=password)
        link = said.strip().splitlines()[-2]
        check(link.startswith(server.collections_url), f"calendars publish said {said!r}")
        with urllib.request.urlopen(link, timeout=30) as response:  # no password
            events = response.read().count(b"BEGIN:VEVENT")
        check(events > 10, f"the link served {events} events")
        print(f"   a patient's calendar published by the bundle: its link serves {events} events")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.check_bundle")
    parser.add_argument("--keep", action="store_true", help="keep the folder it worked in")
    args = parser.parse_args(argv)
    archive = archive_path()
    if not archive.is_file() or not BUNDLE.is_dir():
        print(f"{archive.relative_to(ROOT)} is not there: `make bundle` builds it")
        return 1
    work = Path(tempfile.mkdtemp(prefix="infusion-planner-bundle-check-"))
    check(not work.is_relative_to(ROOT), "the work folder must be outside the repository")
    times: dict[str, float] = {}
    began = time.perf_counter()
    try:
        with timed(f"unpack {archive.name} elsewhere", times):
            folder = unpack(archive, work / "moved")
            print(f"   {folder}")
        with timed("read what it carries", times):
            check_contents(folder)
            check_libraries(folder)
        before = listing(folder)
        with timed("run its programs from another folder with a clean environment", times):
            place = work / "elsewhere"
            place.mkdir()
            smoke(folder, place)
        with timed("its window on a real X server (Xvfb)", times):
            real_display(folder, place)
        with timed("its command line on a shared unit (PostgreSQL)", times):
            shared_unit(folder, place)
        with timed("its command line publishes a patient's calendar (CalDAV)", times):
            live_calendars(folder, place)
        changed = sorted(set(listing(folder)) ^ set(before))
        check(not changed, f"the programs changed their own folder: {changed[:10]}")
        print("-- the programs wrote nothing into their own folder (it may be read-only)")
    except (CheckFailed, subprocess.TimeoutExpired, OSError) as problem:
        print(f"bundle check FAILED: {problem}\n(kept: {work})", file=sys.stderr)
        return 1
    print(f"bundle check passed in {time.perf_counter() - began:.0f} s")
    if args.keep:
        print(f"kept: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
