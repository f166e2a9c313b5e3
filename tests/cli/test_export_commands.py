"""export-ics and export-unit on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from icalendar import Calendar

from tests.cli.test_plan_commands import call, create, db  # noqa: F401 - the fixture

AT = "2027-01-01T09:00:00+01:00"


def vevents(path: Path) -> dict[str, tuple[object, int, str]]:
    return {
        str(e["UID"]): (e.decoded("DTSTART"), int(str(e["SEQUENCE"])), str(e["STATUS"]))
        for e in Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    }


def test_a_regimen_exported_without_a_database(tmp_path: Path) -> None:
    out = tmp_path / "cm067.ics"
    argv = [
        "export-ics",
        "--regimen",
        "ipilimumab-nivolumab-melanoma-cm067",
        "--start",
        "2027-01-04",
    ]
    code, text, err = call(*argv, "--lang", "en", "--detail", "full", "--out", str(out), "--at", AT)
    assert (code, err) == (0, ""), err
    assert text.startswith(f"{out}: ")
    assert "events (0 cancelled)" in text
    content = out.read_bytes()
    assert b"Day hospital" in content
    assert b"ipilimumab" in content.lower()
    again = tmp_path / "again.ics"
    call(*argv, "--lang", "en", "--detail", "full", "--out", str(again), "--at", AT)
    assert again.read_bytes() == content  # same plan, same moment: the same file
    short = tmp_path / "short.ics"
    call(*argv, "--until", "2027-03-01", "--out", str(short), "--at", AT)
    assert 0 < len(vevents(short)) < len(vevents(out))


def test_a_saved_plan_updates_the_patients_calendar(db: str, tmp_path: Path) -> None:  # noqa: F811
    plan = create(db)
    first, second = tmp_path / "1.ics", tmp_path / "2.ics"
    code, _text, err = call(
        "export-ics", "--plan", plan, "--db", db, "--out", str(first), "--at", AT
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
        db,
        "--author",
        "cb",
        "--today",
        "2027-02-01",
    )
    assert (code, err) == (0, ""), err
    call("export-ics", "--plan", plan, "--db", db, "--out", str(second), "--at", AT)
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
def test_wrong_input_is_one_line_and_exit_code_2(argv: list[str], words: str) -> None:
    code, out, err = call(*argv)
    assert code == 2
    assert out == ""
    assert words in err
    assert len(err.strip().splitlines()) == 1
