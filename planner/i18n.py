"""gettext wiring: French and English for every text a user reads.

Import ``_`` (and ``ngettext``, ``pgettext``, ``N_``) from here explicitly; nothing is
installed into builtins. Text is translated when it is displayed, never at import time:
constants are marked with ``N_`` and translated where they are shown, and values that
outlive a language switch (catalogue errors) are kept as :class:`Message` objects.

Regimen, phase, drug and holiday names are bilingual data, not gettext entries.

A translation that cannot be loaded is never replaced by English without a word:
:func:`set_language` raises :class:`TranslationMissing`, naming the file it looked for.
"""

from __future__ import annotations

import functools
import gettext
import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from planner import logbook, platform
from planner.resources import translations_dir

DOMAIN = "planner"
SUPPORTED = ("fr", "en")
LANGUAGE_NAMES = {"fr": "French", "en": "English"}
"""English names: what is said when a language's translation cannot be loaded."""

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"
_thread = threading.local()
"""What :func:`speaking` makes one thread speak (``spoken``: translations and language),
leaving every other thread's words in the display language."""


class TranslationMissing(Exception):
    """The translation asked for cannot be loaded (its ``.mo`` file is missing or damaged).

    Its words are English and never go through gettext: the translation they would need is
    the one that is missing. The display language is left as it was; the command line and
    the window say so and carry on in English, and a patient's document in that language is
    refused rather than written in English (:func:`speaking`).
    """

    def __init__(self, lang: str, path: Path, problem: str) -> None:
        name = LANGUAGE_NAMES.get(lang, lang)
        super().__init__(f"the {name} translation cannot be used: {path} {problem}")
        self.language = lang
        self.path = path


def translation_file(lang: str) -> Path:
    """Where ``lang``'s compiled catalogue is looked for (built by ``make`` from the .po)."""
    return translations_dir() / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def _load(lang: str) -> gettext.NullTranslations:
    path = translation_file(lang)
    try:  # gettext keeps what it loaded: speaking() switches back and forth cheaply
        return gettext.translation(DOMAIN, localedir=translations_dir(), languages=[lang])
    except FileNotFoundError:
        source = path.with_suffix(".po")
        if source.is_file():  # a checkout where `make` has not built it yet
            problem = f"was not found (`make` builds it from {source.name}, which is there)"
        elif not translations_dir().is_dir():
            problem = f"was not found: the folder {translations_dir()} does not exist"
        else:
            problem = "was not found"
        raise TranslationMissing(lang, path, problem) from None
    except Exception as exc:  # damaged: gettext raises OSError, struct.error, ValueError...
        raise TranslationMissing(lang, path, f"cannot be read ({exc})") from None


def set_language(lang: str) -> None:
    """Translate from now on into ``lang`` ("fr" or "en"; anything else means English).

    Raises :class:`TranslationMissing` (and keeps the language as it was) when ``lang``'s
    translation cannot be loaded: a French user is never answered in English without a word.
    """
    global _translations, _language  # the one process-wide display language
    lang = lang if lang in SUPPORTED else "en"
    translations = gettext.NullTranslations() if lang == "en" else _load(lang)
    _translations, _language = translations, lang


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Translate into ``lang`` inside the block, then back to the display language.

    For what is written for someone else: a patient's calendar or handout is in the
    patient's language whatever the coordinator's screen speaks. Raises
    :class:`TranslationMissing` when that language cannot be spoken: a French patient's
    handout is not written in English instead.

    Only the calling thread speaks ``lang``: the window's words stay in its language while
    a thread of its own writes a patient's calendar (planner.gui.calendars).
    """
    lang = lang if lang in SUPPORTED else "en"
    translations = gettext.NullTranslations() if lang == "en" else _load(lang)
    before = getattr(_thread, "spoken", None)
    _thread.spoken = (translations, lang)
    try:
        yield
    finally:
        _thread.spoken = before


def _spoken() -> tuple[gettext.NullTranslations, str]:
    spoken: tuple[gettext.NullTranslations, str] | None = getattr(_thread, "spoken", None)
    return spoken if spoken is not None else (_translations, _language)


def language() -> str:
    """The current display language: "fr" or "en" (inside :func:`speaking`, the
    language spoken)."""
    return _spoken()[1]


def system_language(environ: Mapping[str, str] | None = None) -> str:
    """ "fr" when the user's locale is French (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), else "en".

    Windows sets none of these (a shell like Git Bash may): there the language Windows shows
    its menus in decides, so that a French desktop gets French without a setting.
    """
    env = os.environ if environ is None else environ
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if value:
            return "fr" if value.split(":")[0].lower().startswith("fr") else "en"
    if platform.is_windows():
        shown = platform.windows_ui_language()
        return "fr" if shown is not None and shown & 0x3FF == 0x0C else "en"
    return "en"


def _(message: str) -> str:
    return _spoken()[0].gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _spoken()[0].ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _spoken()[0].pgettext(context, message)


def N_(message: str) -> str:
    """Mark ``message`` for extraction; it is translated later, where it is shown."""
    return message


@dataclass(frozen=True, slots=True)
class Message:
    """A translatable sentence with named placeholders, rendered in the current language."""

    template: str
    params: Mapping[str, object] = field(default_factory=dict)

    def render(self) -> str:
        params = {
            name: value.render() if isinstance(value, Message) else value
            for name, value in self.params.items()
        }
        return _(self.template).format(**params)

    def __str__(self) -> str:
        return self.render()


def error_text(exc: BaseException) -> str:
    """Words for an error told to the user: the store's and exports' errors carry their
    :class:`Message`. Every error the window tells goes through here, and is recorded in the
    log on its way (:func:`planner.logbook.told`: a fault of the program with its traceback)."""
    logbook.told(exc)
    message = getattr(exc, "message", None)
    return str(message) if message is not None else str(exc)


# ---------------------------------------------------------------------- dates

_DATE_FORMATS = {"short": "EEE d MMM y", "long": "EEEE d MMMM y"}


def format_date(day: date, style: str = "short") -> str:
    """A date the way people write it in the display language ("lun. 4 janv. 2027")."""
    return _format_date(day, style, language())


@functools.lru_cache(maxsize=8192)
def _format_date(day: date, style: str, lang: str) -> str:
    # Memoised: Babel takes about 50 µs a date, and a plan's table shows hundreds of them,
    # the same few hundred days from one patient to the next.
    return format_date_as(day, _DATE_FORMATS[style], lang)


def weekday_name(weekday: int) -> str:
    """The weekday's name in the display language, capitalised as a table's row starts
    ("Lundi", "Monday"; Monday = 0)."""
    from babel.dates import get_day_names

    name = str(get_day_names("wide", context="stand-alone", locale=language())[weekday])
    return name[:1].upper() + name[1:]


def format_date_as(day: date, pattern: str, lang: str) -> str:
    """A date in a Babel pattern with one day field ("EEEE d MMMM"); French writes the first
    of the month "1er" ("lundi 1er mars 2027")."""
    if lang == "fr" and day.day == 1:
        pattern = pattern.replace("d", "d'er'", 1)
    from babel.dates import format_date as babel_format_date  # not at start: 10 ms

    return babel_format_date(day, format=pattern, locale=lang)
