"""export-ics and export-unit on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from icalendar import Calendar

from tests.cli.test_plan_commands import call, create, db  # noqa: F401 - the fixture

AT = "2027-01-01T09:00:00+01:00"


@pytest.fixture
def unit(db: str) -> str:  # noqa: F811
    """The database of ``db`` once its unit has a name and a telephone number."""
    code, _out, err = call(
        "unit", "settings", "--name", "HDJ", "--phone", "01 23 45 67 89", "--db", db
    )
    assert (code, err) == (0, ""), err
    return db


def vevents(path: Path) -> dict[str, tuple[object, int, str]]:
    return {
        str(e["UID"]): (e.decoded("DTSTART"), int(str(e["SEQUENCE"])), str(e["STATUS"]))
        for e in Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    }


def test_a_regimen_exported_without_a_plan(unit: str, tmp_path: Path) -> None:
    out = tmp_path / "cm067.ics"
    argv = [
        "export-ics",
        "--regimen",
        "ipilimumab-nivolumab-melanoma-cm067",
        "--start",
        "2027-01-04",
        "--db",
        unit,
    ]
    code, text, err = call(*argv, "--lang", "en", "--detail", "full", "--out", str(out), "--at", AT)
    assert (code, err) == (0, ""), err
    assert text.startswith(f"{out}: ")
    assert "events (0 cancelled)" in text
    content = out.read_bytes()
    assert b"Day hospital" in content
    assert b"Day hospital: 01 23 45 67 89" in content  # the unit's own contact
    assert b"LOCATION:HDJ" in content
    assert b"ipilimumab" in content.lower()
    again = tmp_path / "again.ics"
    call(*argv, "--lang", "en", "--detail", "full", "--out", str(again), "--at", AT)
    assert again.read_bytes() == content  # same plan, same moment: the same file
    short = tmp_path / "short.ics"
    call(*argv, "--until", "2027-03-01", "--out", str(short), "--at", AT)
    assert 0 < len(vevents(short)) < len(vevents(out))


def test_a_saved_plan_updates_the_patients_calendar(unit: str, tmp_path: Path) -> None:
    plan = create(unit)
    first, second = tmp_path / "1.ics", tmp_path / "2.ics"
    code, _text, err = call(
        "export-ics", "--plan", plan, "--db", unit, "--out", str(first), "--at", AT
    )
    assert (code, err) == (0, ""), err
    assert "Hôpital de jour — séance de traitement".encode() in first.read_bytes()  # her language
    code, _t, err = call(
        "plans",
        "delay",
        plan,
        "--session",
        "C3D1",
        "--days",
        "7",
        "--reason",
        "toxicity",
        "--db",
        unit,
        "--author",
        "cb",
        "--today",
        "2027-02-01",
    )
    assert (code, err) == (0, ""), err
    call("export-ics", "--plan", plan, "--db", unit, "--out", str(second), "--at", AT)
    before, after = vevents(first), vevents(second)
    assert set(before) == set(after)
    moved = [uid for uid in before if before[uid][0] != after[uid][0]]
    assert moved
    assert all(after[uid][1] == before[uid][1] + 1 for uid in moved)


@pytest.mark.parametrize("fmt", ["ics", "csv"])
def test_the_units_sessions(db: str, tmp_path: Path, fmt: str) -> None:  # noqa: F811
    create(db)
    out = tmp_path / f"unit.{fmt}"
    code, text, err = call(
        "export-unit",
        "--from",
        "2027-01-01",
        "--to",
        "2027-03-31",
        "--format",
        fmt,
        "--db",
        db,
        "--out",
        str(out),
        "--at",
        AT,
    )
    assert (code, err) == (0, ""), err
    assert f"{out}: 5 sessions" in text
    assert "J. M." in out.read_text("utf-8-sig")


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["export-ics", "--out", "x.ics"], "either --regimen"),
        (["export-ics", "--regimen", "nivolumab-240-q2w", "--out", "x.ics"], "needs --start"),
        (
            ["export-ics", "--regimen", "nope", "--start", "2027-01-04", "--out", "x.ics"],
            "unknown regimen",
        ),
        (
            [
                "export-ics",
                "--regimen",
                "nivolumab-240-q2w",
                "--start",
                "2027-02-30",
                "--out",
                "x.ics",
            ],
            "not a date",
        ),
        (
            ["export-ics", "--regimen", "nivolumab-240-q2w", "--start", "2027-01-04", "--out", "/"],
            "is a folder",
        ),
        (
            [
                "export-ics",
                "--regimen",
                "nivolumab-240-q2w",
                "--start",
                "2027-01-04",
                "--out",
                "/no/such/x.ics",
            ],
            "folder does not exist",
        ),
        (
            [
                "export-ics",
                "--regimen",
                "nivolumab-240-q2w",
                "--start",
                "2027-01-04",
                "--out",
                "x.ics",
                "--at",
                "2027-01-01T09:00",
            ],
            "time zone",
        ),
        (
            ["export-unit", "--from", "2027-02-01", "--to", "2027-01-01", "--out", "x.csv"],
            "before --from",
        ),
    ],
)
def test_wrong_input_is_one_line_and_exit_code_2(unit: str, argv: list[str], words: str) -> None:
    if argv[0] == "export-ics":
        argv = [*argv, "--db", unit]
    code, out, err = call(*argv)
    assert code == 2
    assert out == ""
    assert words in err
    assert len(err.strip().splitlines()) == 1


def test_no_patient_calendar_without_the_units_phone(db: str, tmp_path: Path) -> None:  # noqa: F811
    """The calendar would not say whom to call: refused, nothing written or remembered, and
    the message gives the command that sets the number, for the same database."""
    plan = create(db)
    out = tmp_path / "calendar.ics"
    for argv in (
        ["--plan", plan],
        ["--regimen", "pembrolizumab-200-q3w", "--start", "2027-01-04"],
    ):
        code, text, err = call("--lang", "en", "export-ics", *argv, "--db", db, "--out", str(out))
        assert (code, text) == (1, "")
        assert err == (
            "error: the unit's telephone number is missing, and a patient's calendar or handout "
            f"must say whom to call; set it with: python -m planner unit settings --phone NUMBER "
            f"--db {db}\n"
        )
        assert [p.name for p in tmp_path.iterdir() if "calendar" in p.name] == []
    # Once set as the message says, the same command writes the calendar, as a first export
    # (the refused one left nothing remembered: every SEQUENCE is 0).
    assert call("unit", "settings", "--phone", "+33 1 23 45 67 89", "--db", db)[0] == 0
    code, _text, err = call("export-ics", "--plan", plan, "--db", db, "--out", str(out))
    assert (code, err) == (0, ""), err
    assert "+33 1 23 45 67 89" in out.read_text("utf-8")
    assert {sequence for _start, sequence, _status in vevents(out).values()} == {0}


def test_a_french_patients_calendar_is_refused_when_french_is_missing(
    unit: str, tmp_path: Path, installed: Path
) -> None:
    """The screen can speak English instead; a French patient's calendar cannot: it is
    refused, naming the file, and nothing is written."""
    plan = create(unit)  # Jeanne Martin reads French
    mo = installed / "translations" / "fr" / "LC_MESSAGES" / "planner.mo"
    mo.unlink()
    out = tmp_path / "calendar.ics"
    code, text, err = call("export-ics", "--plan", plan, "--db", unit, "--out", str(out))
    assert (code, text) == (1, "")
    assert err == (
        f"error: the French translation cannot be used: {mo} was not found (`make` builds it "
        "from planner.po, which is there)\n"
    )
    assert not out.exists()


@pytest.mark.parametrize(
    ("system", "shown"), [("posix", "'/srv/HDJ 2/unit.db'"), ("windows", '"/srv/HDJ 2/unit.db"')]
)
def test_the_command_given_in_a_message_is_quoted_for_the_users_shell(
    system: str, shown: str, request: pytest.FixtureRequest
) -> None:
    """cmd.exe does not read POSIX single quotes; cmd.exe and PowerShell both read these."""
    import argparse

    from planner.cli.export_commands import set_phone_hint

    request.getfixturevalue(system)
    hint = set_phone_hint(argparse.Namespace(db="/srv/HDJ 2/unit.db"))
    assert hint == f"set it with: python -m planner unit settings --phone NUMBER --db {shown}"
