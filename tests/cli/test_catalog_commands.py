"""The headless command line, as scripts use it: stable JSON, one-line errors, exit codes."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from planner.catalog import Catalog
from planner.cli import run

SESSION_KEYS = {"date", "planned", "phase", "cycle", "day", "agents", "warnings"}
EVENT_KEYS = {"kind", "date", "session"}
ROOT = Path(__file__).resolve().parents[2]


def call(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def schedule(*argv: str) -> Any:
    code, out, err = call("schedule", "--format", "json", *argv)
    assert (code, err) == (0, "")
    return json.loads(out)


@pytest.mark.parametrize("policy", ["grid", "reanchor"])
def test_every_regimen_schedules_in_both_policies(catalog: Catalog, policy: str) -> None:
    """From Monday 22 March 2027, so that Easter Monday (29 March), 1 and 8 May, Ascension
    and Whit Monday move sessions of most regimens: each plan starts on its start, keeps
    its sessions in order on open days, and says its port advice."""
    for regimen_id in sorted(catalog.entries):
        doc = schedule(
            "--regimen", regimen_id, "--start", "2027-03-22", "--policy", policy, "--explain"
        )
        dates = [s["date"] for s in doc["sessions"]]
        assert dates[0] == "2027-03-22", regimen_id
        assert dates == sorted(dates), regimen_id
        assert not {"2027-03-29", "2027-05-06", "2027-05-17"} & set(dates), regimen_id
        assert all(s["agents"] for s in doc["sessions"]), regimen_id
        assert doc["port"]["reasons"], regimen_id


def test_schedule_json_has_exactly_the_documented_shape() -> None:
    doc = schedule("--regimen", "mfolfox6-q14", "--start", "2027-01-04", "--until", "2027-02-28")
    assert set(doc) == {"regimen", "start", "policy", "closures", "sessions", "events", "port"}
    assert (doc["regimen"], doc["start"], doc["policy"], doc["closures"]) == (
        "mfolfox6-q14",
        "2027-01-04",
        "grid",
        "fr",
    )
    assert all(set(s) == SESSION_KEYS for s in doc["sessions"])
    assert all(set(e) == EVENT_KEYS for e in doc["events"])
    assert set(doc["port"]) == {"level", "reasons"}
    assert doc["port"]["level"] == "required"
    assert doc["sessions"][0] == {
        "date": "2027-01-04",
        "planned": "2027-01-04",
        "phase": 1,
        "cycle": 1,
        "day": 1,
        "agents": ["fluorouracil", "folinic acid", "oxaliplatin"],
        "warnings": [],
    }
    assert [s["date"] for s in doc["sessions"]] == [
        "2027-01-04",
        "2027-01-18",
        "2027-02-01",
        "2027-02-15",
    ]
    kinds = [(e["kind"], e["date"], e["session"]) for e in doc["events"]]
    assert kinds[:3] == [
        ("lab", "2027-01-02", 0),  # Saturday before Monday 4 January
        ("pump-disconnect", "2027-01-06", 0),  # D3
        ("lab", "2027-01-16", 1),
    ]


def test_events_point_at_their_session(catalog: Catalog) -> None:
    doc = schedule("--regimen", "cisplatin-etoposide-q21", "--start", "2027-01-08")
    assert len(doc["sessions"]) == 18  # 6 cycles x D1-D3
    for event in doc["events"]:
        session = doc["sessions"][event["session"]]
        assert event["date"] < session["date"]
    third = doc["sessions"][2]
    assert (third["date"], third["planned"], third["warnings"]) == (
        "2027-01-12",
        "2027-01-10",
        ["after-previous-session"],
    )


@pytest.mark.parametrize(
    ("regimen_id", "sessions"),
    [
        ("pembrolizumab-200-q3w", 35),
        ("pembrolizumab-400-q6w", 18),
        ("durvalumab-1500-q4w-pacific", 13),
        ("trastuzumab-q3w-adjuvant", 17),
        ("ac-q21-then-paclitaxel-weekly-x12", 16),
        ("gemcitabine-carboplatin-d1-d8-q21", 12),
        ("mfolfox6-q14", 12),
    ],
)
def test_fixed_regimens_give_their_protocol_count(regimen_id: str, sessions: int) -> None:
    doc = schedule("--regimen", regimen_id, "--start", "2027-01-04")
    assert len(doc["sessions"]) == sessions


def test_pembrolizumab_is_capped_at_35_including_induction() -> None:
    doc = schedule(
        "--regimen",
        "pembrolizumab-pemetrexed-platinum-kn189",
        "--start",
        "2027-01-04",
        "--until",
        "2030-12-31",
    )
    with_pembro = [s for s in doc["sessions"] if "pembrolizumab" in s["agents"]]
    assert len(with_pembro) == 35
    after = doc["sessions"][35:]
    assert after
    assert all(s["agents"] == ["pemetrexed"] for s in after)


def test_every_regimen_schedules_in_both_policies_and_languages(catalog: Catalog) -> None:
    for regimen in catalog:
        for policy in ("grid", "reanchor"):
            doc = schedule("--regimen", regimen.id, "--start", "2027-03-26", "--policy", policy)
            assert doc["sessions"], regimen.id
            assert doc["port"]["reasons"]
        for lang in ("fr", "en"):
            code, out, err = call(
                "schedule",
                "--regimen",
                regimen.id,
                "--start",
                "2027-03-26",
                "--format",
                "text",
                "--lang",
                lang,
                "--until",
                "2027-06-30",
            )
            assert (code, err) == (0, "")
            assert regimen.name.get(lang) in out


def test_open_ended_phases_stop_two_years_after_the_start() -> None:
    doc = schedule("--regimen", "nivolumab-240-q2w", "--start", "2027-01-04")
    assert doc["sessions"][-1]["date"] <= "2029-01-04"
    assert len(doc["sessions"]) == 53


def test_until_and_closures_and_policy_options() -> None:
    doc = schedule(
        "--regimen",
        "pembrolizumab-200-q3w",
        "--start",
        "2027-03-08",
        "--policy",
        "reanchor",
        "--closures",
        "none",
        "--until",
        "2027-04-30",
    )
    assert doc["policy"] == "reanchor"
    assert doc["closures"] == "none"
    assert [s["date"] for s in doc["sessions"]] == ["2027-03-08", "2027-03-29", "2027-04-19"]


def test_explain_adds_why_a_date_moved() -> None:
    doc = schedule(
        "--regimen",
        "pembrolizumab-200-q3w",
        "--start",
        "2027-03-08",
        "--until",
        "2027-04-01",
        "--explain",
    )
    assert "why" not in doc["sessions"][0]
    assert doc["sessions"][1]["why"] == (
        "moved from Mon 29 Mar 2027: Easter Monday (public holiday)"
    )


def test_text_in_french() -> None:
    code, out, _err = call(
        "schedule",
        "--regimen",
        "pembrolizumab-200-q3w",
        "--start",
        "2027-03-08",
        "--until",
        "2027-04-01",
        "--format",
        "text",
        "--lang",
        "fr",
    )
    assert code == 0
    assert "lundi 8 mars 2027" in out
    assert "Chambre implantable\u00a0: non nécessaire" in out
    assert "déplacée du lun. 29 mars 2027\u00a0: Lundi de Pâques (jour férié)" in out
    assert "Prise de sang" in out


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--regimen", "nope", "--start", "2027-01-04"], "unknown regimen 'nope'"),
        (["--regimen", "mfolfox6-q14", "--start", "2027-02-30"], "not a date of the calendar"),
        (["--regimen", "mfolfox6-q14", "--start", "04/01/2027"], "form YYYY-MM-DD"),
        (["--regimen", "mfolfox6-q14", "--start", "1999-12-31"], "supported years"),
        (["--regimen", "mfolfox6-q14", "--start", "9999-12-31"], "supported years"),
        (
            ["--regimen", "mfolfox6-q14", "--start", "2027-01-04", "--until", "2027-01-03"],
            "before --start",
        ),
        (["--regimen", "mfolfox6-q14", "--start", "2027-01-04", "--policy", "x"], "invalid choice"),
        (["--regimen", "mfolfox6-q14"], "required: --start"),
    ],
)
def test_wrong_input_is_one_line_and_exit_code_2(argv: list[str], words: str) -> None:
    code, out, err = call("schedule", *argv)
    assert code == 2
    assert out == ""
    assert words in err
    assert err.count("\n") == 1
    assert err.startswith("error: ")


def test_regimens_lists_the_catalogue(catalog: Catalog) -> None:
    code, out, _err = call("regimens", "--format", "json")
    assert code == 0
    items = json.loads(out)
    assert [i["id"] for i in items] == sorted(r.id for r in catalog)
    first = {i["id"]: i for i in items}["ipilimumab-nivolumab-melanoma-cm067"]
    assert first["name"].startswith("Nivolumab 1 mg/kg + ipilimumab")
    assert first["classes"] == ["immunotherapy"]
    assert first["dual_immunotherapy"] is True
    assert first["port"] == "not-needed"
    assert [p["cycles"] for p in first["phases"]] == [4, None]
    code, out, _err = call("regimens", "--format", "text", "--lang", "fr")
    assert code == 0
    assert "Id" in out
    assert "mfolfox6-q14" in out
    assert "nécessaire" in out


def test_validate(tmp_path: Path) -> None:
    good = ROOT / "resources" / "regimens" / "folfiri-q14.toml"
    bad = tmp_path / "bad.toml"
    bad.write_text("format = 1\nid = 'bad'\n", encoding="utf-8")
    code, out, err = call("validate", str(good), str(bad))
    assert code == 1
    assert out == f"{good}: OK\n"
    assert err == f"{bad}: name: is missing\n"


def test_the_module_runs_as_a_program_without_traceback() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    ok = subprocess.run(
        [
            sys.executable,
            "-m",
            "planner",
            "schedule",
            "--regimen",
            "folfiri-q14",
            "--start",
            "2027-01-04",
            "--until",
            "2027-01-31",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["regimen"] == "folfiri-q14"
    bad = subprocess.run(
        [sys.executable, "-m", "planner", "schedule", "--regimen", "x", "--start", "2027-13-01"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr
    assert bad.stderr.count("\n") == 1


# ---------------------------------------------------------------- an incomplete installation

INSTALL_ADVICE = (
    "; the installation of Infusion Planner is incomplete or damaged: reinstall it, or ask "
    "whoever installed it\n"
)


@pytest.mark.parametrize(
    "argv",
    [
        ["regimens"],
        ["regimens", "--format", "json"],
        ["schedule", "--regimen", "folfiri-q14", "--start", "2027-01-04"],
        ["validate", str(ROOT / "resources" / "regimens" / "folfiri-q14.toml")],
    ],
)
def test_regimen_files_not_found_are_said_not_listed_as_an_empty_catalogue(
    installed: Path, argv: list[str]
) -> None:
    shutil.rmtree(installed / "regimens")
    code, out, err = call(*argv)
    assert (code, out) == (1, "")
    assert err == (
        f"error: the regimen files were not found: the folder {installed / 'regimens'} does "
        "not exist" + INSTALL_ADVICE
    )


@pytest.mark.parametrize(
    ("name", "what"),
    [("agents.toml", "the drug dictionary"), ("port_rules.toml", "the port rule table")],
)
def test_a_missing_dictionary_or_rule_table_is_named(installed: Path, name: str, what: str) -> None:
    (installed / name).unlink()
    code, out, err = call("schedule", "--regimen", "folfiri-q14", "--start", "2027-01-04")
    assert (code, out) == (1, "")
    assert err == f"error: {what} was not found: {installed / name} does not exist{INSTALL_ADVICE}"


def test_a_missing_french_translation_is_said_once_in_english_and_the_command_works(
    installed: Path,
) -> None:
    mo = installed / "translations" / "fr" / "LC_MESSAGES" / "planner.mo"
    mo.unlink()
    code, out, err = call("--lang", "fr", "regimens", "--lang", "fr")
    assert code == 0
    assert err == (
        f"warning: the French translation cannot be used: {mo} was not found (`make` builds it "
        "from planner.po, which is there); carrying on in English\n"
    )
    assert out.startswith("Id  ")
    assert "not needed" in out  # not "non nécessaire"


def test_an_installed_copy_without_its_resources_says_where_it_looked(tmp_path: Path) -> None:
    """The tester's case: the package installed without its files (planner/_resources), as
    the first wheels were; the folder named is the one the package should hold."""
    shutil.copytree(ROOT / "planner", tmp_path / "planner", ignore=shutil.ignore_patterns("*.pyc"))
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "LANGUAGE": "fr"}
    done = subprocess.run(
        [sys.executable, "-m", "planner", "regimens"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    translations = tmp_path / "planner" / "_resources" / "translations"
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        "warning: the French translation cannot be used: "
        f"{translations / 'fr' / 'LC_MESSAGES' / 'planner.mo'} was not found: the folder "
        f"{translations} does not exist; carrying on in English\n"
        "error: the regimen files were not found: the folder "
        f"{tmp_path / 'planner' / '_resources' / 'regimens'} does not exist" + INSTALL_ADVICE
    )
