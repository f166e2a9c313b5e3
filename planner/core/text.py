"""Bilingual text carried by domain data (regimen, phase, drug and holiday names)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Lang = Literal["fr", "en"]
LANGUAGES: tuple[Lang, ...] = ("fr", "en")


@dataclass(frozen=True, slots=True)
class Text:
    """A text in French and English; names in regimen files are data, not gettext entries."""

    fr: str
    en: str

    def get(self, lang: str) -> str:
        """The text in ``lang`` ("fr" or "en"); any other language gets English."""
        return self.fr if lang == "fr" else self.en

    @staticmethod
    def same(text: str) -> Text:
        """A text spelt the same in both languages (an INN such as "nivolumab")."""
        return Text(fr=text, en=text)
