"""Finds English left on a page meant to be in another language: the visible text of an HTML page (or a plain
text email) split into sentences, and those with two or more common English words, apart from an allow-list of
proper names and data (people's names, emails, references, catalogue names)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

_COMMON = frozenset(
    "the your you and of to is are this for with has have been will not an on by from or".split()
)
_HIDDEN = re.compile(r"<(script|style|title|option|code|pre)\b.*?</\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_SENTENCE = re.compile(r"(?<=[.!?:;])\s+|\n+|\s{2,}")
_WORD = re.compile(r"[A-Za-z']+")


def visible_text(page: str) -> str:
    """The text a person reads: no tags, scripts, styles, option lists, code, or values of form fields."""
    return html.unescape(_TAG.sub("\n", _HIDDEN.sub(" ", page)))


def english_sentences(page: str, allow: Iterable[str] = ()) -> list[str]:
    """The sentences of ``page`` (HTML or plain text) that read as English, once every allowed phrase is
    taken out."""
    text = visible_text(page)
    for phrase in sorted(allow, key=len, reverse=True):
        text = text.replace(phrase, " ")
    found = []
    for sentence in _SENTENCE.split(text):
        words = [word.lower() for word in _WORD.findall(sentence)]
        if sum(word in _COMMON for word in words) >= 2:
            found.append(sentence.strip())
    return found
