"""A throw-away PostgreSQL server, to try a shared unit or to run the tests against one.

    python -m planner.store.pg_trial start [FOLDER]   # prints the PLANNER_DATABASE_URL to use
    python -m planner.store.pg_trial stop [FOLDER]

The server runs from Debian's PostgreSQL packages (``apt-get install postgresql``), or from
the ``initdb`` found on PATH (elsewhere, Windows included): its data and its socket live in
FOLDER (``/tmp/planner-pg`` by default, the temporary folder's ``planner-pg`` on Windows), it
listens on no network port, and it trusts the local user. It is for trying, not for keeping
patients' data: a real unit uses the server its hospital runs (see README, "A shared
unit"). As root, the server runs as the ``postgres`` user that the Debian package creates
(PostgreSQL refuses root).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# /tmp rather than $TMPDIR: the 'postgres' user must reach it when root starts the server.
DEFAULT_FOLDER = (
    Path(tempfile.gettempdir()) / "planner-pg"
    if sys.platform == "win32"
    else Path("/tmp/planner-pg")
)
DATABASE = "planner"
USER = "planner"


class TrialError(Exception):
    """The trial server could not be started (no PostgreSQL installed, initdb refused...)."""


def binaries() -> Path:
    """The folder of PostgreSQL's server programs (the newest installed version)."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise TrialError(
        "PostgreSQL is not installed: sudo apt-get install postgresql (Debian, Ubuntu); "
        "elsewhere, install it and put the folder of initdb on PATH"
    )


def _is_root() -> bool:
    """Whether this is root, as whom PostgreSQL refuses to run (POSIX: Windows has no root,
    and PostgreSQL's pg_ctl gives up an administrator's rights by itself)."""
    return sys.platform != "win32" and os.geteuid() == 0


def _as_server_user(command: list[str]) -> list[str]:
    if not _is_root():
        return command
    runuser = shutil.which("runuser")
    if runuser is None:
        raise TrialError("running as root needs runuser to start PostgreSQL as 'postgres'")
    return [runuser, "-u", "postgres", "--", *command]


def _run(command: list[str]) -> None:
    # The server's programs speak the system's encoding (a code page on Windows).
    done = subprocess.run(
        command, capture_output=True, encoding="locale", errors="replace", check=False
    )
    if done.returncode != 0:
        raise TrialError(f"{Path(command[0]).name} failed: {(done.stderr or done.stdout).strip()}")


def url(folder: Path = DEFAULT_FOLDER, database: str = DATABASE) -> str:
    return f"postgresql+psycopg://{USER}@/{database}?host={folder}"


def start(folder: Path = DEFAULT_FOLDER, *, fast: bool = False) -> str:
    """Start (creating it on first use) the trial server in ``folder``; its URL.

    ``fast`` turns off what protects against a power cut (fsync): for tests only.
    """
    folder = folder.resolve()
    bin_dir = binaries()
    data = folder / "data"
    folder.mkdir(parents=True, exist_ok=True)
    if sys.platform != "win32" and _is_root():  # Windows has no chown (nor root)
        shutil.chown(folder, "postgres", "postgres")
        for parent in folder.parents:
            if not parent.stat().st_mode & 0o001:
                raise TrialError(
                    f"the 'postgres' user cannot reach {folder}: {parent} is closed to others "
                    "(choose a folder under /tmp)"
                )
    if not (data / "PG_VERSION").exists():
        _run(
            _as_server_user(
                [
                    str(bin_dir / "initdb"),
                    "--pgdata",
                    str(data),
                    "--username",
                    USER,
                    "--auth",
                    "trust",
                    "--encoding",
                    "UTF8",
                    "--no-instructions",
                    *(["--no-sync"] if fast else []),
                ]
            )
        )
    options = f"-k {folder} -c listen_addresses=''" + (" -c fsync=off" if fast else "")
    status = subprocess.run(
        _as_server_user([str(bin_dir / "pg_ctl"), "--pgdata", str(data), "status"]),
        capture_output=True,
        check=False,
    )
    if status.returncode != 0:
        _run(
            _as_server_user(
                [
                    str(bin_dir / "pg_ctl"),
                    "--pgdata",
                    str(data),
                    "--options",
                    options,
                    "--log",
                    str(folder / "server.log"),
                    "--wait",
                    "start",
                ]
            )
        )
    create(folder, DATABASE)
    return url(folder)


def create(folder: Path, database: str) -> str:
    """A new empty database on the trial server (nothing when it exists); its URL."""
    bin_dir = binaries()
    done = subprocess.run(
        [str(bin_dir / "createdb"), "--host", str(folder), "--username", USER, database],
        capture_output=True,
        encoding="locale",
        errors="replace",
        check=False,
    )
    if done.returncode != 0 and "already exists" not in done.stderr:
        raise TrialError(f"createdb failed: {done.stderr.strip()}")
    return url(folder, database)


def drop(folder: Path, database: str) -> None:
    subprocess.run(
        [
            str(binaries() / "dropdb"),
            "--host",
            str(folder),
            "--username",
            USER,
            "--if-exists",
            "--force",
            database,
        ],
        capture_output=True,
        check=False,
    )


def stop(folder: Path = DEFAULT_FOLDER) -> None:
    data = folder.resolve() / "data"
    if (data / "PG_VERSION").exists():
        subprocess.run(
            _as_server_user(
                [str(binaries() / "pg_ctl"), "--pgdata", str(data), "--mode", "fast", "stop"]
            ),
            capture_output=True,
            check=False,
        )


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[1] not in ("start", "stop"):
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    folder = Path(argv[2]) if len(argv) > 2 else DEFAULT_FOLDER
    try:
        if argv[1] == "start":
            print(start(folder))
        else:
            stop(folder)
    except TrialError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
