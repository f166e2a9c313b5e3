"""A throw-away Radicale server, for trying the patients' live calendars and for the tests.

    python -m planner.calendars.radicale_trial start [FOLDER]   # prints the URL, user, password
    python -m planner.calendars.radicale_trial stop [FOLDER]

The server is Radicale (a development dependency: ``pip install radicale``), run by this
Python as ``python -m radicale`` on 127.0.0.1 and a free port. Its configuration, accounts,
rights, calendars and log live in FOLDER (the temporary folder's ``planner-radicale`` by
default), laid out as a hospital's server is (docs/calendar-server.md): the planner's
account ``planner`` writes the patients' calendars under ``/public/``, and anyone holding a
calendar's address may read that calendar, and nothing else, without a password. It is for
trying, not for keeping patients' data: it speaks plain HTTP, and its password is kept in
FOLDER (trial.json) so that ``start`` can print it again.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import importlib
import importlib.util
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

DEFAULT_FOLDER = Path(tempfile.gettempdir()) / "planner-radicale"
HOST = "127.0.0.1"
USER = "planner"
COLLECTIONS = "public"
"""The collection under which each patient's calendar is ``/public/<token>/``."""

# Radicale's "from_file" rights (https://radicale.org/v3.html#authorization-and-rights),
# the same rules docs/calendar-server.md gives a hospital's server. The first section whose
# user and collection both match decides; a request no section matches is refused. Paths
# have no leading or trailing slash; "public" is the folder of the patients' calendars,
# "public/<token>" one patient's calendar. R and W act on plain collections, r and w on
# calendars, and i is the part of r that only lets a calendar be fetched whole with GET.
RIGHTS = """\
# Rights of the calendar server Infusion Planner publishes to (Radicale, from_file).
# The first section whose user and collection match decides; no match: refused.

# The planner's own principal collection, which Radicale makes at its first login
# (without this rule it warns at every request that it may not). It stays empty.
[planner-principal]
user: planner
collection: {user}
permissions: RW

# The planner may list the patients' calendars and create them: "public" is a plain
# collection (R, W), not a calendar.
[planner-public]
user: planner
collection: public
permissions: RW

# The planner reads, writes and deletes each patient's calendar and its events
# (r, w: they are calendars; D: with permit_delete_collection = False, only a
# patient's calendar can be deleted whole, never "public" and all of them at once).
[planner-calendars]
user: planner
collection: public/[^/]+
permissions: rwD

# Anyone, signed in or not, may fetch a patient's calendar whole with a GET on its
# address, and do nothing else with it: no PROPFIND, no REPORT, no event on its own.
# "public" itself matches no section: it cannot be listed, so addresses cannot be found.
[subscribers]
user: .*
collection: public/[^/]+
permissions: i
"""

_CONFIG = """\
# A throw-away Radicale server (planner.calendars.radicale_trial): not for patients' data.
[server]
hosts = {host}:{port}

[auth]
type = htpasswd
htpasswd_filename = {users}
htpasswd_encryption = sha512
delay = {refusal_delay}

[rights]
type = from_file
file = {rights}
permit_delete_collection = False

[storage]
filesystem_folder = {collections}

[web]
type = none

[logging]
level = info
"""

_STARTING_SECONDS = 30.0
_STOPPING_SECONDS = 15.0


class TrialError(Exception):
    """The trial server could not be started (Radicale not installed, a port taken...)."""


def _free_port() -> int:
    """A port no program listens on now (the system's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def _require_radicale() -> None:
    if importlib.util.find_spec("radicale") is None:
        raise TrialError(
            f"Radicale is not installed in this Python ({sys.executable}): pip install radicale"
        )


def _sha512_crypt(password: str) -> str:
    """The password as an htpasswd line's SHA-512 crypt digest (``$6$...``).

    bcrypt, what docs/calendar-server.md recommends, needs the ``bcrypt`` package, which
    Radicale does not require; SHA-512 crypt comes with Radicale's own dependency (passlib,
    as the ``libpass`` package). 5,000 rounds, the SHA-crypt specification's default, not
    passlib's 656,000 (0.3 s): every request the planner makes is checked against it, and
    this server keeps a throw-away password.
    """
    try:
        hashes = importlib.import_module("passlib.hash")
    except ImportError as error:
        raise TrialError(
            "passlib is not installed: it comes with Radicale (pip install radicale)"
        ) from error
    return str(hashes.sha512_crypt.using(rounds=5000).hash(password))


def _log_tail(log: Path, lines: int = 20) -> str:
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return "(no log)"
    return "\n".join(text.strip().splitlines()[-lines:]) or "(empty log)"


class TrialServer:
    """A Radicale server in ``folder``, listening on ``url``, stopped and started at will.

    Stopping and starting again keeps the port, the account and the calendars: a test
    makes an outage with ``stop()`` and ends it with ``start()``.
    """

    def __init__(self, folder: Path, port: int, password: str, *, fast: bool = False) -> None:
        self._folder = folder
        self._port = port
        self._password = password
        self._fast = fast
        self._process: subprocess.Popen[bytes] | None = None

    @classmethod
    def in_folder(cls, folder: Path, *, fast: bool = False) -> TrialServer:
        """The server of ``folder``, its files written (on first use: a new port and
        password, kept for the next times); not started.

        ``fast`` answers a refused request at once: Radicale waits about a second before
        each 401 or 403 (``[auth] delay``), to slow down whoever guesses. For tests only.
        """
        _require_radicale()
        folder = folder.resolve()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        state = folder / "trial.json"
        try:
            kept = json.loads(state.read_text(encoding="utf-8"))
            server = cls(folder, int(kept["port"]), str(kept["password"]), fast=fast)
        except (FileNotFoundError, ValueError, KeyError, TypeError):
            server = cls(folder, _free_port(), secrets.token_urlsafe(18), fast=fast)
            state.write_text(
                json.dumps({"port": server.port, "password": server.password}), encoding="utf-8"
            )
        server._write_files()
        return server

    @property
    def folder(self) -> Path:
        return self._folder

    @property
    def port(self) -> int:
        return self._port

    @property
    def user(self) -> str:
        return USER

    @property
    def password(self) -> str:
        return self._password

    @property
    def url(self) -> str:
        """The server's root, ``http://127.0.0.1:PORT/``."""
        return f"http://{HOST}:{self._port}/"

    @property
    def collections_url(self) -> str:
        """Where the patients' calendars are made, ``http://127.0.0.1:PORT/public/``."""
        return f"{self.url}{COLLECTIONS}/"

    @property
    def log(self) -> Path:
        return self._folder / "radicale.log"

    def __repr__(self) -> str:  # never the password
        return f"TrialServer({str(self._folder)!r}, url={self.url!r})"

    def _write_files(self) -> None:
        (self._folder / "collections").mkdir(exist_ok=True)
        (self._folder / "rights").write_text(RIGHTS, encoding="utf-8")
        (self._folder / "users").write_text(
            f"{USER}:{_sha512_crypt(self._password)}\n", encoding="utf-8"
        )
        (self._folder / "radicale.conf").write_text(
            _CONFIG.format(
                host=HOST,
                port=self._port,
                users=self._folder / "users",
                rights=self._folder / "rights",
                collections=self._folder / "collections",
                refusal_delay=0 if self._fast else 1,
            ),
            encoding="utf-8",
        )

    # ------------------------------------------------------------ running

    def start(self) -> None:
        """Start the server and return once it answers; nothing when it runs already.

        Raises TrialError, with the end of Radicale's log, when it cannot start.
        """
        if self._process is not None and self._process.poll() is None:
            return
        if self._recorded_pid() is not None and self._answers():
            return  # started by an earlier `start` command
        _require_radicale()
        if self._answers():
            raise TrialError(f"port {self._port} is used by another program ({self.url})")
        with open(self.log, "ab") as log:
            self._process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "radicale",
                    "--config",
                    str(self._folder / "radicale.conf"),
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self._folder,
                # Its own session: the `start` command returns and leaves it running.
                start_new_session=True,
            )
        (self._folder / "radicale.pid").write_text(str(self._process.pid), encoding="utf-8")
        self._wait_until_answering(self._process)
        self._make_collections_folder()

    def stop(self) -> None:
        """Stop the server and return once it has stopped; nothing when it is not running."""
        pid_file = self._folder / "radicale.pid"
        if self._process is not None:
            self._process.terminate()  # Radicale stops cleanly on SIGTERM
            try:
                self._process.wait(timeout=_STOPPING_SECONDS)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None
        else:
            pid = self._recorded_pid()
            if pid is not None:
                with contextlib.suppress(OSError):  # gone already
                    os.kill(pid, signal.SIGTERM)
                deadline = time.monotonic() + _STOPPING_SECONDS
                while self._answers() and time.monotonic() < deadline:
                    time.sleep(0.05)
        pid_file.unlink(missing_ok=True)

    def _recorded_pid(self) -> int | None:
        """The process an earlier `start` command left running, when it is this server's."""
        try:
            pid = int((self._folder / "radicale.pid").read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return None
        # Where the system says what a process runs (Linux), make sure the number was not
        # given to another program since.
        command = Path(f"/proc/{pid}/cmdline")
        if Path("/proc/self/cmdline").exists():
            try:
                running = command.read_bytes()
            except OSError:
                return None
            if str(self._folder / "radicale.conf").encode() not in running:
                return None
        return pid

    def _request(self, method: str, path: str, *, timeout: float = 2.0) -> tuple[int, bytes]:
        """One request as the planner's account (``path`` from the root, ``/public/``)."""
        connection = http.client.HTTPConnection(HOST, self._port, timeout=timeout)
        try:
            credentials = base64.b64encode(f"{USER}:{self._password}".encode()).decode()
            connection.request(method, path, headers={"Authorization": f"Basic {credentials}"})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def _answers(self) -> bool:
        try:
            connection = http.client.HTTPConnection(HOST, self._port, timeout=1.0)
            try:
                connection.request("OPTIONS", "/")
                connection.getresponse().read()
            finally:
                connection.close()
        except OSError:
            return False
        return True

    def _wait_until_answering(self, process: subprocess.Popen[bytes]) -> None:
        deadline = time.monotonic() + _STARTING_SECONDS
        while not self._answers():
            if process.poll() is not None:
                self._process = None
                raise TrialError(
                    f"Radicale stopped as it started (exit status {process.returncode}):\n"
                    f"{_log_tail(self.log)}"
                )
            if time.monotonic() > deadline:
                self.stop()
                raise TrialError(
                    f"Radicale did not answer on {self.url} within {_STARTING_SECONDS:.0f} s:\n"
                    f"{_log_tail(self.log)}"
                )
            time.sleep(0.05)

    def _make_collections_folder(self) -> None:
        """``/public/``, made by the planner's account as a hospital's is (MKCOL): 201 the
        first time, 405 once it exists."""
        status, body = self._request("MKCOL", f"/{COLLECTIONS}/")
        if status not in (http.client.CREATED, http.client.METHOD_NOT_ALLOWED):
            raise TrialError(
                f"Radicale refused to make /{COLLECTIONS}/ ({status} "
                f"{body.decode(errors='replace').strip()}):\n{_log_tail(self.log)}"
            )


@contextlib.contextmanager
def trial_server(folder: Path, *, fast: bool = False) -> Iterator[TrialServer]:
    """A trial server in ``folder``, started, and stopped on leaving (``fast``: see
    TrialServer.in_folder)."""
    server = TrialServer.in_folder(folder, fast=fast)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def start(folder: Path = DEFAULT_FOLDER) -> TrialServer:
    """Start (creating it on first use) the trial server in ``folder``, left running."""
    server = TrialServer.in_folder(folder)
    server.start()
    return server


def stop(folder: Path = DEFAULT_FOLDER) -> None:
    if (folder / "trial.json").exists():
        TrialServer.in_folder(folder).stop()


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[1] not in ("start", "stop"):
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        print(__doc__.strip().splitlines()[3].strip(), file=sys.stderr)
        return 2
    folder = Path(argv[2]) if len(argv) > 2 else DEFAULT_FOLDER
    try:
        if argv[1] == "start":
            server = start(folder)
            print(f"calendars: {server.collections_url}")
            print(f"user: {server.user}")
            print(f"password: {server.password}")
            print(f"log: {server.log}")
        else:
            stop(folder)
    except TrialError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
