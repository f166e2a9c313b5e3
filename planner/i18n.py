"""gettext wiring: French and English for every text a user reads.

Import ``_`` (and ``ngettext``, ``pgettext``, ``N_``) from here explicitly; nothing is
installed into builtins. Text is translated when it is displayed, never at import time:
constants are marked with ``N_`` and translated where they are shown, and values that
outlive a language switch (catalogue errors) are kept as :class:`Message` objects.

Regimen, phase, drug and holiday names are bilingual data, not gettext entries.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from planner.resources import translations_dir

DOMAIN = "planner"
SUPPORTED = ("fr", "en")

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def set_language(lang: str) -> None:
    """Translate from now on into ``lang`` ("fr" or "en"; anything else means English)."""
    global _translations, _language  # noqa: PLW0603 - the one process-wide display language
    _language = lang if lang in SUPPORTED else "en"
    if _language == "en":
        _translations = gettext.NullTranslations()
    else:
        _translations = gettext.translation(
            DOMAIN, localedir=translations_dir(), languages=[_language], fallback=True
        )


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Translate into ``lang`` inside the block, then back to the display language.

    For what is written for someone else: a patient's calendar or handout is in the
    patient's language whatever the coordinator's screen speaks.
    """
    before = _language
    set_language(lang)
    try:
        yield
    finally:
        set_language(before)


def language() -> str:
    """The current display language: "fr" or "en"."""
    return _language


def system_language(environ: Mapping[str, str] | None = None) -> str:
    """ "fr" when the user's locale is French (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), else "en"."""
    env = os.environ if environ is None else environ
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if value:
            return "fr" if value.split(":")[0].lower().startswith("fr") else "en"
    return "en"


def _(message: str) -> str:
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _translations.pgettext(context, message)


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
    """Words for an error: the store's and exports' errors carry their :class:`Message`."""
    message = getattr(exc, "message", None)
    return str(message) if message is not None else str(exc)
