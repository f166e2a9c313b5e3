"""Bad regimen files: one clear message naming the file, the field and the problem."""

from __future__ import annotations

import shutil
import tomllib
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner import resources
from planner.catalog import CatalogPaths, check_files, load_catalog
from planner.catalog.catalog import bundled_port_rules
from planner.catalog.fields import Invalid
from planner.catalog.regimen_file import read_regimen
from planner.core.chairs import UnitResources, chair_minutes
from planner.core.engine import plan
from planner.core.regimen import Intent, Minutes, Regimen
from planner.i18n import set_language

GOOD = """\
format = 1
id = "my-regimen"
name = { fr = "Mon protocole", en = "My regimen" }

[[phases]]
name = { fr = "Induction", en = "Induction" }
cycle_days = 21
cycles = 4

[[phases.administrations]]
agent = "carboplatin"
route = "IV"
days = [1]
infusion_minutes = { first = 30, later = 30 }

[[phases.administrations]]
agent = "gemcitabine"
route = "IV"
days = [1, 8]
infusion_minutes = { first = 30 }
order = 2

[[phases]]
name = { fr = "Entretien", en = "Maintenance" }
cycle_days = 21

[[phases.administrations]]
agent = "gemcitabine"
route = "IV"
days = [1]
infusion_minutes = { first = 30 }

[[caps]]
agent = "gemcitabine"
max = 10

[[monitoring]]
kind = "thyroid"
name = { fr = "TSH", en = "TSH" }
every_weeks = 6
sources = ["s1"]

[[sources]]
id = "s1"
title = "A source"
url = "https://example.org/"
"""


def user_folder(tmp_path: Path, files: dict[str, str]) -> CatalogPaths:
    paths = CatalogPaths.user(tmp_path)
    paths.regimens.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        target = (
            tmp_path / name
            if name.endswith(("agents.toml", "port_rules.toml"))
            else (paths.regimens / name)
        )
        target.write_text(text, encoding="utf-8")
    return paths


def test_a_good_user_file_adds_a_regimen(tmp_path: Path) -> None:
    catalog = load_catalog(user=user_folder(tmp_path, {"my-regimen.toml": GOOD}))
    assert catalog.errors == ()
    assert len(catalog) == 51
    regimen = catalog.regimen("my-regimen")
    assert [p.cycles for p in regimen.phases] == [4, None]
    gemcitabine = regimen.phases[0].administrations[1]
    assert gemcitabine.infusion is not None
    assert (gemcitabine.infusion.first, gemcitabine.infusion.later) == (30, 30)
    assert catalog.entries["my-regimen"].origin.value == "user"


def read(text: str) -> Regimen:
    return read_regimen(tomllib.loads(text), "my-regimen", _AGENTS)


def test_first_second_and_later_minutes_each_default_to_the_one_before() -> None:
    """Bevacizumab's label times (90, 60, then 30 minutes) are written in full; a value left
    out is the one before it; a second time equal to the later ones is no second time."""
    cases = {
        "{ first = 90, second = 60, later = 30 }": Minutes(90, 30, second=60),
        "{ first = 90, second = 60 }": Minutes(90, 60),
        "{ first = 90, later = 30 }": Minutes(90, 30),
        "{ first = 30 }": Minutes(30, 30),
        "{ first = 90, second = 30, later = 30 }": Minutes(90, 30),
    }
    for written, minutes in cases.items():
        regimen = read(GOOD.replace("{ first = 30, later = 30 }", written, 1))
        assert regimen.phases[0].administrations[0].infusion == minutes, written
    observed = read(
        GOOD.replace(
            "infusion_minutes = { first = 30, later = 30 }",
            "infusion_minutes = { first = 30, later = 30 }\n"
            "observation_minutes = { first = 270, second = 120, later = 90 }",
            1,
        )
    )
    assert observed.phases[0].administrations[0].observation == Minutes(270, 90, second=120)


def test_an_iv_push_has_no_infusion_time_and_is_booked_as_a_bolus() -> None:
    """``push = true``: an IV push or short bolus (doxorubicin, the 5-FU bolus) has no
    infusion time and is booked for the unit's bolus minutes (10 by default)."""
    regimen = read(
        GOOD.replace(CARBOPLATIN, 'agent = "doxorubicin"\nroute = "IV"\ndays = [1]\npush = true', 1)
    )
    doxorubicin = regimen.phases[0].administrations[0]
    assert (doxorubicin.agent.inn, doxorubicin.infusion) == ("doxorubicin", None)
    session = plan(regimen, date(2027, 1, 4)).sessions[0]
    # doxorubicin (order 1) 10, then gemcitabine (order 2) 30: 15 + 10 + 30 = 55 -> 60.
    assert chair_minutes(session, UnitResources()) == 60
    assert chair_minutes(session, UnitResources(bolus_minutes=5, slot_minutes=5)) == 50


def test_intent_no_imaging_and_checks_that_follow_the_cycles(tmp_path: Path) -> None:
    text = GOOD.replace(
        'name = { fr = "Mon protocole", en = "My regimen" }',
        'name = { fr = "Mon protocole", en = "My regimen" }\nintent = "adjuvant"\n'
        "response_imaging_weeks = 0",
    ).replace("every_weeks = 6", "follow_cycles = true")
    catalog = load_catalog(user=user_folder(tmp_path, {"my-regimen.toml": text}))
    assert catalog.errors == ()
    regimen = catalog.regimen("my-regimen")
    assert (regimen.intent, regimen.response_imaging_weeks) == (Intent.ADJUVANT, 0)
    (thyroid,) = regimen.monitoring
    assert thyroid.follow_cycles
    assert (thyroid.every_weeks, thyroid.every_months, thyroid.baseline) == (None, None, False)
    # Left out: no intent, the default interval, no check following the cycles.
    plain = load_catalog(user=user_folder(tmp_path, {"my-regimen.toml": GOOD}))
    assert plain.regimen("my-regimen").intent is None
    assert plain.regimen("my-regimen").response_imaging_weeks is None
    assert not plain.regimen("my-regimen").monitoring[0].follow_cycles


def test_a_check_whose_result_is_needed_before_c1_is_read_with_its_days(tmp_path: Path) -> None:
    dpd = (
        '[[monitoring]]\nkind = "other"\nname = { fr = "Uracilémie", en = "Uracilaemia" }\n'
        "baseline = true\nresult_before_c1 = true\nresult_days = 10\n\n"
        '[[monitoring]]\nkind = "cardiac"\nname = { fr = "FEVG", en = "LVEF" }\n'
        "baseline = true\nresult_before_c1 = true\n\n[[sources]]"
    )
    text = GOOD.replace("[[sources]]", dpd, 1)
    catalog = load_catalog(user=user_folder(tmp_path, {"my-regimen.toml": text}))
    assert catalog.errors == ()
    thyroid, uracil, lvef = catalog.regimen("my-regimen").monitoring
    assert (thyroid.result_before_c1, thyroid.result_days) == (False, None)
    assert (uracil.baseline, uracil.result_before_c1, uracil.result_days) == (True, True, 10)
    assert (lvef.result_before_c1, lvef.result_days) == (True, None)


CARBOPLATIN = (
    'agent = "carboplatin"\nroute = "IV"\ndays = [1]\ninfusion_minutes = { first = 30, later = 30 }'
)

# (replace this, by that, the field the message must name, words the message must contain)
BAD = [
    (
        "cycle_days = 21\ncycles = 4",
        "cycle_days = -3\ncycles = 4",
        "phases[1].cycle_days",
        "must be between 1 and 365, not -3",
    ),
    (
        "days = [1, 8]",
        "days = [1, 22]",
        "phases[1].administrations[2].days",
        "day 22 is outside the 21-day cycle",
    ),
    ("days = [1, 8]", "days = [8, 1]", "phases[1].administrations[2].days", "increasing"),
    ("days = [1, 8]", 'days = "1, 8"', "phases[1].administrations[2].days", "list of days"),
    (
        'agent = "carboplatin"',
        'agent = "carboplatine"',
        "phases[1].administrations[1].agent",
        "unknown drug 'carboplatine'",
    ),
    (
        'route = "IV"\ndays = [1]\ninfusion_minutes = { first = 30, later = 30 }',
        'route = "IM"\ndays = [1]\ninfusion_minutes = { first = 30, later = 30 }',
        "phases[1].administrations[1].route",
        "must be one of IV, SC, oral, not 'IM'",
    ),
    (
        "cycle_days = 21\ncycles = 4",
        "cycle_length = 21\ncycles = 4",
        "phases[1].cycle_length",
        "did you mean 'cycle_days'?",
    ),
    ('id = "my-regimen"', 'id = "other"', "id", "must match the file name (my-regimen.toml)"),
    ("format = 1", "format = 2", "format", "update the program"),
    (
        'name = { fr = "Mon protocole", en = "My regimen" }',
        'name = { fr = "Mon protocole" }',
        "name.en",
        "is missing",
    ),
    (
        "cycle_days = 21\ncycles = 4",
        "cycle_days = 21",
        "phases[1].cycles",
        "only the last phase may be open-ended",
    ),
    (
        '[[caps]]\nagent = "gemcitabine"',
        '[[caps]]\nagent = "cisplatin"',
        "caps[1].agent",
        "not given in any phase",
    ),
    ("every_weeks = 6", "every_weeks = 6\nbaseline = true", "monitoring[1]", "exactly one"),
    (
        "every_weeks = 6",
        "every_weeks = 6\nfollow_cycles = true",
        "monitoring[1]",
        "give exactly one of every_weeks, every_months, baseline = true or follow_cycles = true",
    ),
    (
        "every_weeks = 6",
        'follow_cycles = "yes"',
        "monitoring[1].follow_cycles",
        "must be true or false",
    ),
    (
        'name = { fr = "Mon protocole", en = "My regimen" }',
        'name = { fr = "Mon protocole", en = "My regimen" }\nintent = "curative"',
        "intent",
        "must be one of adjuvant, neoadjuvant, perioperative, advanced, not 'curative'",
    ),
    (
        'name = { fr = "Mon protocole", en = "My regimen" }',
        'name = { fr = "Mon protocole", en = "My regimen" }\nresponse_imaging_weeks = -1',
        "response_imaging_weeks",
        "between 0 and 52, not -1",
    ),
    (  # a result needed before C1 is that of a check done before the treatment starts
        "every_weeks = 6",
        "every_weeks = 6\nresult_before_c1 = true",
        "monitoring[1].result_before_c1",
        "only applies to a baseline check (baseline = true)",
    ),
    (  # thyroid function goes with the blood test before the session, not before it
        "every_weeks = 6",
        "baseline = true\nresult_before_c1 = true",
        "monitoring[1].result_before_c1",
        "does not apply to kind = 'thyroid'",
    ),
    (
        "every_weeks = 6",
        "baseline = true\nresult_days = 10",
        "monitoring[1].result_days",
        "only applies with result_before_c1 = true",
    ),
    (
        'kind = "thyroid"\nname = { fr = "TSH", en = "TSH" }\nevery_weeks = 6',
        'kind = "other"\nname = { fr = "TSH", en = "TSH" }\nbaseline = true\n'
        "result_before_c1 = true\nresult_days = 90",
        "monitoring[1].result_days",
        "between 1 and 60",
    ),
    ('sources = ["s1"]', 'sources = ["s2"]', "monitoring[1].sources", "'s2'"),
    ('url = "https://example.org/"', 'url = "example.org"', "sources[1].url", "web address"),
    (
        "infusion_minutes = { first = 30 }",
        "infusion_minutes = { first = 0 }",
        "phases[1].administrations[2].infusion_minutes.first",
        "between 1 and 1440",
    ),
    (
        'route = "IV"\ndays = [1]\ninfusion_minutes = { first = 30 }\n\n[[caps]]',
        'route = "IV"\ndays = [1]\ncontinuous_hours = 480\n\n[[caps]]',
        "phases[2].administrations[1].continuous_hours",
        "between 1 and 336",
    ),
    (
        'route = "IV"\ndays = [1]\ninfusion_minutes = { first = 30 }\n\n[[caps]]',
        'route = "IV"\ndays = [1]\ncontinuous_hours = 500\n\n[[caps]]',
        "phases[2].administrations[1].continuous_hours",
        "336",
    ),
    (
        'route = "IV"\ndays = [1]\ninfusion_minutes = { first = 30 }\n\n[[caps]]',
        'route = "IV"\ndays = [5]\ninfusion_minutes = { first = 30 }\n\n[[caps]]',
        "phases[2].administrations",
        "no drug given in the unit (IV, or an anticancer drug under the skin) starts on day 1",
    ),
    (  # an anticancer drug injected in the unit: its chair time needs the injection's minutes
        CARBOPLATIN,
        'agent = "trastuzumab"\nroute = "SC"\ndays = [1]',
        "phases[1].administrations[1].injection_minutes",
        "is missing: an anticancer drug injected under the skin",
    ),
    (
        CARBOPLATIN,
        'agent = "carboplatin"\nroute = "IV"\ndays = [1]\ninjection_minutes = { first = 5 }',
        "phases[1].administrations[1].injection_minutes",
        "use infusion_minutes for an IV drug",
    ),
    (  # pegfilgrastim is injected at home: no chair time to give
        CARBOPLATIN,
        CARBOPLATIN
        + '\n\n[[phases.administrations]]\nagent = "pegfilgrastim"\nroute = "SC"\ndays = [2]'
        + "\nobservation_minutes = { first = 30 }",
        "phases[1].administrations[2].observation_minutes",
        "only applies to a drug given in the unit, not SC",
    ),
    (
        "cycle_days = 21\ncycles = 4",
        "cycle_days = 21\ncycles = 4\ngap_days = 14",
        "phases[1].gap_days",
        "a gap can only come between two phases",
    ),
    (
        'name = { fr = "Entretien", en = "Maintenance" }\ncycle_days = 21',
        'name = { fr = "Entretien", en = "Maintenance" }\ncycle_days = 21\ngap_days = 400',
        "phases[2].gap_days",
        "between 0 and 365",
    ),
    (
        'agent = "carboplatin"\nroute = "IV"',
        'agent = "carboplatin"\nroute = "oral"',
        "phases[1].administrations[1].infusion_minutes",
        "only applies to an IV administration",
    ),
    (  # an IV drug is booked for its infusion time: none is not a 10-minute bolus any more
        CARBOPLATIN,
        'agent = "carboplatin"\nroute = "IV"\ndays = [1]',
        "phases[1].administrations[1].infusion_minutes",
        "is missing: an IV drug is booked for its infusion time; give it from the regimen's "
        "sources, or write push = true for an IV push or short bolus",
    ),
    (
        CARBOPLATIN,
        CARBOPLATIN + "\npush = true",
        "phases[1].administrations[1].push",
        "an IV push or short bolus has no infusion_minutes: leave one of them out",
    ),
    (
        'route = "IV"\ndays = [1]\ninfusion_minutes = { first = 30 }\n\n[[caps]]',
        'route = "IV"\ndays = [1]\ncontinuous_hours = 46\npush = true\n\n[[caps]]',
        "phases[2].administrations[1].push",
        "an IV push or short bolus has no continuous_hours",
    ),
    (
        CARBOPLATIN,
        'agent = "carboplatin"\nroute = "IV"\ndays = [1]\npush = "yes"',
        "phases[1].administrations[1].push",
        "must be true or false",
    ),
    (
        CARBOPLATIN,
        CARBOPLATIN
        + '\n\n[[phases.administrations]]\nagent = "capecitabine"\nroute = "oral"'
        + "\ndays = [1]\npush = true",
        "phases[1].administrations[2].push",
        "only applies to an IV administration, not oral",
    ),
    (
        "infusion_minutes = { first = 30 }",
        "infusion_minutes = { first = 90, second = 0, later = 30 }",
        "phases[1].administrations[2].infusion_minutes.second",
        "between 1 and 1440",
    ),
    (  # a name with a line break would split calendar lines and CSV rows
        'en = "My regimen"',
        'en = "My\\nregimen"',
        "name.en",
        "must be one line of visible text: it holds \\n",
    ),
    (  # a right-to-left override would show the name reversed
        'en = "My regimen"',
        'en = "My \\u202eregimen"',
        "name.en",
        "it holds \\u202e",
    ),
]


@pytest.mark.parametrize(("old", "new", "field", "words"), BAD)
def test_a_bad_file_gets_one_message_and_the_others_still_load(
    tmp_path: Path, old: str, new: str, field: str, words: str
) -> None:
    assert old in GOOD
    paths = user_folder(
        tmp_path,
        {
            "my-regimen.toml": GOOD.replace(old, new, 1),
            "second.toml": GOOD.replace('id = "my-regimen"', 'id = "second"'),
        },
    )
    catalog = load_catalog(user=paths)
    assert len(catalog.errors) == 1
    error = catalog.errors[0]
    assert error.path == paths.regimens / "my-regimen.toml"
    assert error.field == field
    assert words in error.message.render()
    message = str(error)
    assert message.startswith(f"{paths.regimens / 'my-regimen.toml'}: {field}: ")
    assert "\n" not in message
    # Every other regimen still loads: the 50 bundled ones and the second user file.
    assert len(catalog) == 51
    assert "second" in catalog
    assert "my-regimen" not in catalog


def test_a_pump_that_outlasts_its_cycle_is_refused(tmp_path: Path) -> None:
    text = GOOD.replace(
        'agent = "gemcitabine"\nroute = "IV"\ndays = [1]\ninfusion_minutes = { first = 30 }\n',
        'agent = "gemcitabine"\nroute = "IV"\ndays = [1]\ninfusion_minutes = { first = 30 }\n'
        "\n[[phases.administrations]]\n"
        'agent = "fluorouracil"\nroute = "IV"\ndays = [20]\ncontinuous_hours = 46\n',
    )
    [error] = load_catalog(user=user_folder(tmp_path, {"my-regimen.toml": text})).errors
    assert error.field == "phases[2].administrations[2].continuous_hours"
    assert "disconnected on day 22" in error.message.render()


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b'format = 1\nid = "my-regimen\n', "not valid TOML"),
        (b"\xff\xfe\x00garbage", "not a UTF-8 text file"),
        (b"", "is missing"),
        (b"[[phases]]\n[[phases]]\n", "is missing"),
    ],
)
def test_files_that_are_not_regimens_at_all(tmp_path: Path, content: bytes, words: str) -> None:
    paths = user_folder(tmp_path, {})
    (paths.regimens / "my-regimen.toml").write_bytes(content)
    catalog = load_catalog(user=paths)
    assert len(catalog.errors) == 1
    assert words in str(catalog.errors[0])
    assert len(catalog) == 50


def test_errors_are_in_french_when_the_user_reads_french(tmp_path: Path) -> None:
    paths = user_folder(
        tmp_path, {"my-regimen.toml": GOOD.replace("cycle_days = 21", "cycle_days = 0", 1)}
    )
    [error] = load_catalog(user=paths).errors
    set_language("fr")
    assert "doit être compris entre 1 et 365" in str(error)


def test_a_user_file_replaces_the_bundled_regimen_of_the_same_id(tmp_path: Path) -> None:
    bundled = resources.regimens_dir() / "folfiri-q14.toml"
    text = bundled.read_text(encoding="utf-8").replace("cycle_days = 14", "cycle_days = 15", 1)
    paths = user_folder(tmp_path, {"folfiri-q14.toml": text})
    catalog = load_catalog(user=paths)
    entry = catalog.entries["folfiri-q14"]
    assert entry.regimen.phases[0].cycle_days == 15
    assert entry.overrides == bundled
    assert entry.origin.value == "user"


def test_a_broken_override_keeps_the_bundled_regimen(tmp_path: Path) -> None:
    paths = user_folder(tmp_path, {"folfiri-q14.toml": "format = 1\n"})
    catalog = load_catalog(user=paths)
    assert len(catalog.errors) == 1
    assert catalog.entries["folfiri-q14"].origin.value == "bundled"


def test_user_drugs_and_port_rules(tmp_path: Path) -> None:
    agents = (
        'format = 1\n[[agents]]\ninn = "vinorelbine"\nname = { fr = "vinorelbine", '
        'en = "vinorelbine" }\nclass = "chemotherapy"\nfamily = "vinca alkaloid"\n'
    )
    regimen = GOOD.replace('agent = "carboplatin"', 'agent = "vinorelbine"')
    paths = user_folder(tmp_path, {"agents.toml": agents, "my-regimen.toml": regimen})
    catalog = load_catalog(user=paths)
    assert catalog.errors == ()
    from planner.core.port import PortLevel, port_advice

    mine = catalog.regimen("my-regimen")
    assert port_advice(mine, catalog.port_rules).level is PortLevel.RECOMMENDED
    # A centre that requires a port for every IV chemotherapy:
    rules = (
        'format = 1\n[[rules]]\nlevel = "required"\nwhen = "class"\nclasses = ["chemotherapy"]\n'
    )
    (tmp_path / "port_rules.toml").write_text(rules, encoding="utf-8")
    catalog = load_catalog(user=paths)
    assert port_advice(mine, catalog.port_rules).level is PortLevel.REQUIRED
    gem = catalog.regimen("gemcitabine-carboplatin-d1-d8-q21")
    assert port_advice(gem, catalog.port_rules).level is PortLevel.REQUIRED


def test_a_broken_port_rule_table_keeps_the_bundled_one(tmp_path: Path) -> None:
    rules = 'format = 1\n[[rules]]\nlevel = "required"\nwhen = "family"\n'
    paths = user_folder(tmp_path, {"port_rules.toml": rules})
    catalog = load_catalog(user=paths)
    [error] = catalog.errors
    assert error.field == "rules[1].families"
    assert len(catalog.port_rules) == len(bundled_port_rules())


def test_validate_checks_files_anywhere(tmp_path: Path, catalog: object) -> None:
    good = tmp_path / "my-regimen.toml"
    good.write_text(GOOD, encoding="utf-8")
    bad = tmp_path / "bad.toml"
    shutil.copy(good, bad)
    errors = check_files([good, bad], load_catalog())
    assert [(e.path, e.field) for e in errors] == [(bad, "id")]


# ---------------------------------------------------------------- fuzzing
_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True),
    st.text(max_size=8),
    st.lists(st.integers(-5, 50), max_size=4),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)


def _paths(data: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    found = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for n, value in enumerate(data):
            found += _paths(value, (*prefix, n))
    return found


_AGENTS = load_catalog().agents


def _load_error(document: dict[str, object]) -> Invalid | None:
    """The validation error of ``document``; any other exception fails the test."""
    try:
        read_regimen(document, "my-regimen", _AGENTS)
    except Invalid as exc:
        return exc
    return None


_TRIED = {"damaged": 0, "refused": 0}


@pytest.fixture(scope="module", autouse=True)
def _report_damage(figures: Callable[[str], None]) -> Iterator[None]:
    yield
    if _TRIED["damaged"]:
        figures(
            f"regimen files: {_TRIED['damaged']} damaged files tried, {_TRIED['refused']} "
            "refused with one message naming the field, none crashed"
        )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_damage_to_a_file_gives_a_message_never_a_crash(data: st.DataObject) -> None:
    """Replace or delete random values of a good file: it loads, or says which field is wrong."""
    document = tomllib.loads(GOOD)
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_paths(document)))
        parent: object = document
        for key in path[:-1]:
            parent = parent[key]  # type: ignore[index]
        if data.draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = data.draw(_VALUES)  # type: ignore[index]
        error = _load_error(document)
        _TRIED["damaged"] += 1
        if error is not None:
            _TRIED["refused"] += 1
            assert error.field
            assert error.message.render()
        if not _paths(document):
            break
