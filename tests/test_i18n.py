"""French and English: every message has a checked French translation."""

from __future__ import annotations

import re
import shutil
import threading
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from planner import i18n, platform
from planner.resources import translations_dir

PO = translations_dir() / "fr" / "LC_MESSAGES" / "planner.po"
POT = translations_dir() / "planner.pot"
PLACEHOLDER = re.compile(r"\{[a-z_]+(?:![rs])?\}")


def _catalog(path: Path):
    with path.open("rb") as stream:
        return read_po(stream)


def test_every_message_of_the_code_is_in_the_french_catalogue() -> None:
    template = {m.id for m in _catalog(POT) if m.id}
    french = {m.id for m in _catalog(PO) if m.id}
    assert template <= french, "run `make messages` and translate the new entries"


def test_no_french_entry_is_missing_or_fuzzy() -> None:
    problems = []
    for message in _catalog(PO):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(message.id)
    assert problems == []


def test_translations_keep_every_placeholder() -> None:
    for message in _catalog(PO):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if len(ids) == 1:
            assert set(PLACEHOLDER.findall(strings[0])) == set(PLACEHOLDER.findall(ids[0]))
            continue
        # Plural forms: the French plural says what the English plural says; the French
        # singular may leave the number out ("le premier mois"), never add a placeholder.
        singular, plural = (set(PLACEHOLDER.findall(text)) for text in ids)
        assert set(PLACEHOLDER.findall(strings[0])) <= singular | plural, message.id
        for string in strings[1:]:
            assert set(PLACEHOLDER.findall(string)) == plural, message.id


def test_the_template_is_up_to_date_with_the_code() -> None:
    """Every _(), N_() and ngettext() text in planner/ is in planner.pot."""
    code = "\n".join(p.read_text(encoding="utf-8") for p in Path("planner").rglob("*.py"))
    found = set(re.findall(r'\b(?:_|N_)\(\s*"([^"\\]*)"\s*\)', code))
    # Babel does not look inside f-strings (before Python 3.12): a _('...') there is lost.
    found |= set(re.findall(r"\b(?:_|N_)\(\s*'([^'\\]*)'\s*\)", code))
    template = {m.id for m in _catalog(POT) if m.id and isinstance(m.id, str)}
    assert found - template == set(), "run `make messages`"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANGUAGE": "fr:en", "LANG": "en_US.UTF-8"}, "fr"),
        ({"LC_ALL": "C"}, "en"),
        ({}, "en"),
    ],
)
def test_system_language(environ: dict[str, str], expected: str) -> None:
    assert i18n.system_language(environ) == expected


@pytest.mark.parametrize(
    ("shown", "expected"),
    [(0x040C, "fr"), (0x0C0C, "fr"), (0x100C, "fr"), (0x0409, "en"), (0x0407, "en"), (None, "en")],
)
def test_on_windows_the_language_of_its_menus_decides(
    shown: int | None, expected: str, windows: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """France, Canada and Switzerland's French (LANGIDs from winnt.h); English otherwise.
    Windows sets no LANG: a French desktop got English before."""
    monkeypatch.setattr(platform, "windows_ui_language", lambda: shown)
    assert i18n.system_language({}) == expected
    assert i18n.system_language({"LANG": "en_US.UTF-8"}) == "en"  # a shell's setting wins


def test_windows_language_is_asked_of_windows_itself_only(windows: None) -> None:
    assert platform.windows_ui_language() is None  # not Windows: nothing is called
    assert i18n.system_language({}) == "en"


def test_a_thread_speaking_a_patients_language_leaves_the_windows_words_alone() -> None:
    """The calendar publisher's thread writes an English patient's calendar while the
    window speaks French: the window's words stay French throughout, and French after."""
    i18n.set_language("fr")
    inside = threading.Event()
    leave = threading.Event()
    said: list[str] = []

    def publisher() -> None:
        with i18n.speaking("en"):
            said.append(i18n._("Calendar"))
            inside.set()
            leave.wait(10)
        said.append(i18n.language())

    thread = threading.Thread(target=publisher)
    thread.start()
    assert inside.wait(10)
    assert i18n.language() == "fr"
    assert i18n.ngettext("{n} session", "{n} sessions", 2).format(n=2) == "2 séances"
    leave.set()
    thread.join(10)
    assert said == ["Calendar", "fr"]
    with i18n.speaking("en"):
        assert i18n.ngettext("{n} session", "{n} sessions", 2).format(n=2) == "2 sessions"
    assert i18n.language() == "fr"


def test_switching_language_at_display_time() -> None:
    message = i18n.Message(
        i18n.N_("must be between {low} and {high}, not {value}"), {"low": 1, "high": 3, "value": 9}
    )
    assert message.render() == "must be between 1 and 3, not 9"
    i18n.set_language("fr")
    assert message.render() == "doit être compris entre 1 et 3, pas 9"
    assert i18n.ngettext("{n} session", "{n} sessions", 2).format(n=2) == "2 séances"
    assert i18n.ngettext("{n} session", "{n} sessions", 1).format(n=1) == "1 séance"


# ---------------------------------------------------------------- a translation not installed


def test_a_missing_translation_is_an_error_naming_the_file_and_english_stays(
    installed: Path,
) -> None:
    mo = installed / "translations" / "fr" / "LC_MESSAGES" / "planner.mo"
    mo.unlink()
    with pytest.raises(i18n.TranslationMissing) as raised:
        i18n.set_language("fr")
    assert str(raised.value) == (
        f"the French translation cannot be used: {mo} was not found (`make` builds it from "
        "planner.po, which is there)"
    )
    assert raised.value.path == mo
    assert i18n.language() == "en"
    assert i18n._("Sessions: {sessions} · blood tests: {labs}").startswith("Sessions")


def test_a_missing_translations_folder_is_named(installed: Path) -> None:
    shutil.rmtree(installed / "translations")
    mo = installed / "translations" / "fr" / "LC_MESSAGES" / "planner.mo"
    with pytest.raises(i18n.TranslationMissing) as raised:
        i18n.set_language("fr")
    assert str(raised.value) == (
        f"the French translation cannot be used: {mo} was not found: the folder "
        f"{installed / 'translations'} does not exist"
    )


def test_a_damaged_translation_is_an_error(installed: Path) -> None:
    mo = installed / "translations" / "fr" / "LC_MESSAGES" / "planner.mo"
    mo.write_bytes(b"not a catalogue")
    with pytest.raises(i18n.TranslationMissing, match=r"planner\.mo cannot be read \("):
        i18n.set_language("fr")
    assert i18n.language() == "en"


def test_a_patients_document_is_not_written_in_english_instead(installed: Path) -> None:
    (installed / "translations" / "fr" / "LC_MESSAGES" / "planner.mo").unlink()
    with pytest.raises(i18n.TranslationMissing), i18n.speaking("fr"):
        pytest.fail("the block ran in English")  # pragma: no cover
    assert i18n.language() == "en"
