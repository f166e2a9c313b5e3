"""The calendar server's layout holds against a real Radicale: the planner's account makes,
fills and deletes a patient's calendar under /public/, anyone with the calendar's address
reads that calendar whole without a password, and nothing else is open to them.

Plain HTTP (http.client), so that what is checked is the server's rules, not a CalDAV
library's habits. The trial server answers refusals at once (``fast``): Radicale's default
is to wait about a second before each 401 or 403.
"""

from __future__ import annotations

import base64
import http.client
import importlib.util
import secrets
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from planner.calendars.radicale_trial import RIGHTS, TrialError, TrialServer, trial_server

ROOT = Path(__file__).resolve().parents[2]
REFUSED = {401, 403, 404}


@dataclass(frozen=True)
class Answer:
    status: int
    body: str
    content_type: str


def call(
    server: TrialServer,
    method: str,
    path: str,
    body: str | None = None,
    *,
    password: str | None = "",
    headers: dict[str, str] | None = None,
) -> Answer:
    """One request to ``path`` (from the root): as the planner (``password`` left empty
    for the server's), with another password, or anonymous (``password=None``)."""
    sent = dict(headers or {})
    if password is not None:
        login = f"{server.user}:{password or server.password}"
        sent["Authorization"] = "Basic " + base64.b64encode(login.encode()).decode()
    if body is not None:
        sent.setdefault("Content-Type", "text/calendar; charset=utf-8")
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request(method, path, body.encode() if body is not None else None, sent)
        response = connection.getresponse()
        return Answer(
            response.status,
            response.read().decode("utf-8", errors="replace"),
            response.getheader("Content-Type", ""),
        )
    finally:
        connection.close()


def anonymous(server: TrialServer, method: str, path: str, body: str | None = None) -> Answer:
    return call(server, method, path, body, password=None)


def event(uid: str, summary: str = "Cycle 1 day 1") -> str:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Infusion Planner//tests//EN\r\n"
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20270101T080000Z\r\n"
        "DTSTART:20270104T090000Z\r\nDTEND:20270104T120000Z\r\n"
        f"SUMMARY:{summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )


def new_calendar(server: TrialServer) -> str:
    """A patient's new calendar, made by the planner; its path, ``/public/<token>/``."""
    path = f"/public/{secrets.token_urlsafe(24)}/"
    assert call(server, "MKCALENDAR", path).status == 201
    return path


def new_uid() -> str:
    return f"{secrets.token_hex(8)}@infusion-planner.test"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TrialServer]:
    with trial_server(tmp_path_factory.mktemp("radicale"), fast=True) as running:
        yield running


@pytest.fixture
def calendar(server: TrialServer) -> tuple[str, str]:
    """A patient's calendar holding one event: its path and the event's UID."""
    path = new_calendar(server)
    uid = new_uid()
    assert call(server, "PUT", f"{path}session-1.ics", event(uid)).status == 201
    return path, uid


# ---------------------------------------------------------------- the planner's account


def test_a_calendar_the_planner_fills_is_read_whole_by_anyone_with_its_address(
    server: TrialServer,
) -> None:
    path = new_calendar(server)
    first, second = new_uid(), new_uid()
    assert call(server, "PUT", f"{path}session-1.ics", event(first)).status == 201
    assert call(server, "PUT", f"{path}session-2.ics", event(second)).status == 201

    read = anonymous(server, "GET", path)

    assert read.status == 200
    assert read.content_type.startswith("text/calendar")
    assert read.body.startswith("BEGIN:VCALENDAR")
    assert read.body.count("BEGIN:VCALENDAR") == 1
    assert f"UID:{first}" in read.body
    assert f"UID:{second}" in read.body


def test_an_event_put_again_is_replaced_not_doubled(
    server: TrialServer, calendar: tuple[str, str]
) -> None:
    path, uid = calendar

    again = call(server, "PUT", f"{path}session-1.ics", event(uid, "Cycle 1 day 2"))

    assert again.status in (201, 204)
    read = anonymous(server, "GET", path)
    assert read.body.count(f"UID:{uid}") == 1
    assert "SUMMARY:Cycle 1 day 2" in read.body
    assert "SUMMARY:Cycle 1 day 1" not in read.body


def test_a_deleted_event_leaves_the_calendar(
    server: TrialServer, calendar: tuple[str, str]
) -> None:
    path, uid = calendar

    assert call(server, "DELETE", f"{path}session-1.ics").status in (200, 204)

    read = anonymous(server, "GET", path)
    assert read.status == 200
    assert uid not in read.body


def test_a_revoked_calendar_is_not_found_any_more(
    server: TrialServer, calendar: tuple[str, str]
) -> None:
    path, uid = calendar

    assert call(server, "DELETE", path).status in (200, 204)

    for read in (anonymous(server, "GET", path), call(server, "GET", path)):
        assert read.status in (403, 404)
        assert uid not in read.body


def test_the_planner_lists_its_calendars(server: TrialServer, calendar: tuple[str, str]) -> None:
    path, _uid = calendar

    listing = call(server, "PROPFIND", "/public/", headers={"Depth": "1"})

    assert listing.status == 207
    assert path in listing.body


def test_the_planner_cannot_delete_every_calendar_at_once(
    server: TrialServer, calendar: tuple[str, str]
) -> None:
    path, uid = calendar

    assert call(server, "DELETE", "/public/").status == 403

    assert f"UID:{uid}" in anonymous(server, "GET", path).body


def test_a_wrong_password_writes_nothing(server: TrialServer, calendar: tuple[str, str]) -> None:
    path, _uid = calendar
    intruder = new_uid()

    wrote = call(server, "PUT", f"{path}intruder.ics", event(intruder), password="not-this-one")
    made = call(server, "MKCALENDAR", f"/public/{secrets.token_urlsafe(24)}/", password="nope")

    assert wrote.status == 401
    assert made.status == 401
    assert intruder not in anonymous(server, "GET", path).body


# ---------------------------------------------------------------- what anyone else can do


def _refused_with_nothing_shown(answer: Answer, *secrets_: str) -> None:
    assert answer.status in REFUSED, answer
    assert "BEGIN:VCALENDAR" not in answer.body
    assert "multistatus" not in answer.body
    for secret in secrets_:
        assert secret not in answer.body


def test_the_calendars_folder_cannot_be_listed(
    server: TrialServer, calendar: tuple[str, str]
) -> None:
    path, uid = calendar
    token = path.split("/")[2]

    for depth in ("0", "1", "infinity"):
        for folder in ("/public/", "/"):
            answer = call(server, "PROPFIND", folder, password=None, headers={"Depth": depth})
            _refused_with_nothing_shown(answer, token, uid)
    for folder in ("/public/", "/public", "/", "/.web", "/planner/"):
        answer = anonymous(server, "GET", folder)
        assert answer.status in {*REFUSED, 200, 302}, (folder, answer)
        assert token not in answer.body
        assert "BEGIN:VCALENDAR" not in answer.body
    assert anonymous(server, "GET", "/public/").status in REFUSED


def test_a_calendar_is_only_read_whole_not_searched_nor_written(
    server: TrialServer, calendar: tuple[str, str]
) -> None:
    path, uid = calendar
    query = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
        "<D:prop><C:calendar-data/></D:prop>"
        '<C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>'
    )
    xml = {"Content-Type": "application/xml; charset=utf-8"}
    intruder = new_uid()
    attempts = {
        "PROPFIND the calendar": call(
            server, "PROPFIND", path, password=None, headers={"Depth": "1"}
        ),
        "REPORT on the calendar": call(
            server, "REPORT", path, query, password=None, headers={"Depth": "1", **xml}
        ),
        "GET one event": anonymous(server, "GET", f"{path}session-1.ics"),
        "PUT an event": anonymous(server, "PUT", f"{path}intruder.ics", event(intruder)),
        "PUT the whole calendar": anonymous(server, "PUT", path, event(intruder)),
        "DELETE an event": anonymous(server, "DELETE", f"{path}session-1.ics"),
        "DELETE the calendar": anonymous(server, "DELETE", path),
        "PROPPATCH the calendar": call(
            server,
            "PROPPATCH",
            path,
            '<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:"><D:set><D:prop>'
            "<D:displayname>x</D:displayname></D:prop></D:set></D:propertyupdate>",
            password=None,
            headers=xml,
        ),
        "MKCALENDAR a new one": anonymous(
            server, "MKCALENDAR", f"/public/{secrets.token_urlsafe(24)}/"
        ),
        "MKCOL beside /public/": anonymous(server, "MKCOL", "/private/"),
    }

    for what, answer in attempts.items():
        assert answer.status in REFUSED, (what, answer)
        assert uid not in answer.body, what
    read = anonymous(server, "GET", path)
    assert read.status == 200
    assert f"UID:{uid}" in read.body
    assert intruder not in read.body


def test_one_calendar_does_not_show_another(server: TrialServer) -> None:
    first, second = new_calendar(server), new_calendar(server)
    mine, theirs = new_uid(), new_uid()
    assert call(server, "PUT", f"{first}mine.ics", event(mine)).status == 201
    assert call(server, "PUT", f"{second}theirs.ics", event(theirs)).status == 201

    through_mine = [
        anonymous(server, "GET", first),
        anonymous(server, "GET", f"{first}theirs.ics"),
        anonymous(server, "GET", f"{first}../"),
    ]

    assert through_mine[0].status == 200
    assert theirs not in through_mine[0].body
    for answer in through_mine[1:]:
        _refused_with_nothing_shown(answer, theirs, second.split("/")[2])


def test_an_address_not_given_is_not_found(server: TrialServer, calendar: tuple[str, str]) -> None:
    path, uid = calendar
    token = path.split("/")[2]
    guesses = [
        f"/public/{secrets.token_urlsafe(24)}/",
        f"/public/{token[:-1]}/",
        f"/public/{token[:8]}/",
        f"/public/{token.upper()}/",
        "/public/calendar/",
    ]

    for guess in guesses:
        _refused_with_nothing_shown(anonymous(server, "GET", guess), uid, token)


# ---------------------------------------------------------------- the trial server itself


def test_an_outage_keeps_the_calendars_and_their_addresses(tmp_path: Path) -> None:
    with trial_server(tmp_path, fast=True) as server:
        url = server.url
        path = new_calendar(server)
        uid = new_uid()
        assert call(server, "PUT", f"{path}session-1.ics", event(uid)).status == 201

        server.stop()
        with pytest.raises(ConnectionError):
            anonymous(server, "GET", path)
        server.start()

        assert server.url == url
        read = anonymous(server, "GET", path)
        assert read.status == 200
        assert f"UID:{uid}" in read.body
        assert call(server, "PUT", f"{path}session-2.ics", event(new_uid())).status == 201


def test_a_port_taken_is_said(server: TrialServer, tmp_path: Path) -> None:
    with pytest.raises(TrialError, match=f"port {server.port} is used by another program"):
        TrialServer(tmp_path, server.port, "password").start()


def test_radicale_not_installed_is_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, package=None: None if name == "radicale" else find_spec(name, package),
    )

    with pytest.raises(TrialError, match="Radicale is not installed"):
        TrialServer.in_folder(tmp_path)


def test_a_server_that_cannot_start_says_why(tmp_path: Path) -> None:
    server = TrialServer.in_folder(tmp_path)
    config = tmp_path / "radicale.conf"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "htpasswd_encryption = sha512", "htpasswd_encryption = rot13"
        ),
        encoding="utf-8",
    )

    with pytest.raises(TrialError, match=r"(?s)Radicale stopped as it started.*rot13"):
        server.start()


def test_the_command_line_starts_a_server_left_running_and_stops_it(tmp_path: Path) -> None:
    def command(*words: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "planner.calendars.radicale_trial", *words],
            cwd=ROOT,
            capture_output=True,
            encoding="utf-8",
            check=False,
            timeout=120,
        )

    started = command("start", str(tmp_path))
    try:
        assert started.returncode == 0, started.stderr
        said = dict(line.split(": ", 1) for line in started.stdout.splitlines())
        server = TrialServer.in_folder(tmp_path)
        assert said["calendars"] == server.collections_url
        assert said["user"] == "planner"
        assert said["password"] == server.password
        assert command("start", str(tmp_path)).stdout == started.stdout  # running already
        path = new_calendar(server)
    finally:
        stopped = command("stop", str(tmp_path))

    assert stopped.returncode == 0, stopped.stderr
    with pytest.raises(ConnectionError):
        anonymous(server, "GET", path)


def test_the_docs_give_a_hospital_the_trial_servers_rights() -> None:
    docs = (ROOT / "docs" / "calendar-server.md").read_text(encoding="utf-8")

    assert RIGHTS in docs
