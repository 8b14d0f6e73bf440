"""Content read by people that lives in data files (the catalogue, the programme defaults), in every language.

A file gives the English text and, beside it, a table per language with the same keys, e.g.
``[credentials.CPM.fr]`` holding ``name`` and ``summary``. A language without the key falls back to English.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from portal.i18n import LANGUAGES, current_language


@dataclass(frozen=True)
class Text:
    """One text in English with its translations: ``str(text)`` is the current language's, ``english`` the stable one."""

    english: str
    translations: Mapping[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.in_language(current_language())

    def in_language(self, language: str) -> str:
        return self.translations.get(language) or self.english


class Localised:
    """A read-only attribute giving another attribute's text in the current language: ``name = Localised("name_text")``."""

    def __init__(self, source: str) -> None:
        self.source = source

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return str(getattr(instance, self.source))


def read_text(entry: Mapping, key: str, default: str | None = None) -> Text:
    """``entry[key]`` with the same key of each language's table in ``entry`` (``default`` when absent)."""
    english = entry.get(key, default)
    if english is None:
        raise KeyError(key)
    translations = {
        language: str(entry[language][key]).strip()
        for language in LANGUAGES
        if isinstance(entry.get(language), Mapping) and entry[language].get(key)
    }
    return Text(str(english).strip(), translations)


def read_texts(entry: Mapping, key: str) -> tuple[Text, ...]:
    """A list of texts (``entry[key]``) with each language's list of the same length beside it."""
    english = [str(item) for item in entry[key]]
    by_language = {
        language: entry[language][key]
        for language in LANGUAGES
        if isinstance(entry.get(language), Mapping) and key in entry[language]
    }
    for language, items in by_language.items():
        if len(items) != len(english):
            raise ValueError(
                f"{key} in {language} has {len(items)} entries, not {len(english)} as in English"
            )
    return tuple(
        Text(item, {language: str(items[i]) for language, items in by_language.items()})
        for i, item in enumerate(english)
    )
