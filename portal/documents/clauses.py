"""Read a letter's sentences by their grammar: who did the mentoring to whom, and which dates open and close it.

The fixed phrasings in ``letters.py`` cover the wordings referees use most; people write others. Here a
sentence is read by its parts instead: a subject (a name, possibly a first name only, or "I"), a verb of
mentoring in the active or the passive voice, and its object (a name or "me"); "I" and "me" are the letter's
signer, and a first name is the full name the same text gives elsewhere. Dates are read by the words that
cue them ("the first session was …", "we stopped meeting on …") when no range states the period.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date

from .dates import find_dates
from .facts import clean_name

# A capitalised word of a name ("Hye-jin", "O'Rourke-Vance", "Ó"); particles may sit between words.
_WORD = r"[A-ZÀ-ÞĀ-Ž][\w'’\-]*"
_PARTICLE = r"(?:van|von|de|da|del|der|den|di|du|la|le|bin|al|dos|das|ní|nic|mac|y)"
_PERSON = rf"(?-i:(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?[ \t]+)?{_WORD}(?:[ \t]+(?:{_WORD}|{_PARTICLE}(?![\w'’\-]))){{0,4}})"
_VERB = r"(?-i:mentored|coached|mentoring|coaching)"
_ADVERB = r"(?:(?:formally|regularly|informally|personally|closely|also|successfully)\s+)?"
_AUXILIARY = r"(?:(?:has|have|had)\s+(?:been\s+)?|(?:was|were|is|am)\s+)?"
_PASSIVE = r"(?:was|were|have\s+been|has\s+been|had\s+been|am\s+being|is\s+being|got)"
# Words between the verb and its object that are not the object: "mentored my colleague Ana", "… our trainee".
_OBJECT_GAP = (
    r"(?:(?:my|our|a|the|his|her|their)\s+(?:colleague|mentee|trainee|student|report|team\s+member)\s*,?\s+)?"
)

_ACTIVE_CLAUSE = re.compile(
    rf"(?<![\w'’\-])(?P<subject>{_PERSON}|I)\s+{_AUXILIARY}{_ADVERB}{_VERB}\s+{_OBJECT_GAP}(?P<object>{_PERSON}|me)\b"
)
_PASSIVE_CLAUSE = re.compile(
    rf"(?<![\w'’\-])(?P<object>{_PERSON}|I)\s+{_PASSIVE}\s+{_ADVERB}{_VERB}\s+by\s+(?P<subject>{_PERSON})\b"
)
# Capitalised words that start sentences or name no one.
_NOT_PEOPLE = {
    "I", "He", "She", "They", "We", "You", "It", "This", "That", "Who", "Which", "Our", "My", "Their", "His",
    "Her", "The", "A", "An", "Also", "And", "But", "Yes", "No", "Since", "From", "Between", "During",
}  # fmt: skip


_MOST_CLAUSES = 20


@dataclass(frozen=True)
class Relation:
    """Who mentored whom, and the sentence that says so."""

    mentor: str
    mentee: str
    evidence: str


def full_name(text: str, name: str) -> str:
    """The longest name in ``text`` that starts with ``name`` ("Joaquín" -> "Joaquín Irigoyen Salaberry"), a
    possessive ("Ana Lucía's") read without its "'s"; ``name`` itself when the text gives two different ones."""
    found = set()
    for match in re.finditer(
        re.escape(name) + r"(?:[ \t]+(?:[A-ZÀ-ÞĀ-Ž][\w'’\-]+|" + _PARTICLE + r"(?=[ \t]+[A-ZÀ-ÞĀ-Ž])))+", text
    ):
        candidate = clean_name(re.sub(r"['’]s$", "", match.group(0)))
        if candidate and len(candidate.split()) <= 6:
            found.add(candidate)
    longest = max(found, key=len, default=None)
    if longest and all(longest.startswith(other) for other in found):
        return longest
    return name


def _person(raw: str, signer: str | None, text: str) -> str | None:
    if raw in ("I", "me"):
        return signer
    words = raw.split()
    if words[0] in _NOT_PEOPLE:
        return None
    named = clean_name(raw)
    if named is None and len(words) == 1 and raw[0].isupper() and len(raw) > 1:
        named = raw  # a first name alone: only kept when the text names the person in full elsewhere
    if named is None:
        return None
    whole = full_name(text, named)
    return whole if len(whole.split()) >= 2 else None


def _sentence(text: str, start: int, end: int) -> str:
    first = max(text.rfind("\n", 0, start), text.rfind(". ", 0, start))
    stops = [p for p in (text.find("\n", end), text.find(". ", end)) if p != -1]
    return text[first + 1 : min(stops) + 1 if stops else len(text)].strip()[:300]


def mentoring_relation(text: str, signer: str | None, names_from: str | None = None) -> Relation | None:
    """The first sentence of ``text`` that says who mentored whom, read by its grammar; names are completed
    from ``names_from`` (the whole document) when the sentence gives a first name only."""
    names_from = names_from or text
    found = [
        (m.start(), m)
        for pattern in (_ACTIVE_CLAUSE, _PASSIVE_CLAUSE)
        for m in itertools.islice(pattern.finditer(text), _MOST_CLAUSES)
    ]
    # Each candidate searches the whole text for its full names: a bounded few, so a hostile text of a
    # thousand such sentences costs no more than a letter.
    for _, match in sorted(found, key=lambda pair: pair[0])[:_MOST_CLAUSES]:
        mentor = _person(match["subject"], signer, names_from)
        mentee = _person(match["object"], signer, names_from)
        if mentor and mentee and mentor != mentee:
            return Relation(mentor, mentee, _sentence(text, match.start(), match.end()))
    return None


# Words just before a date that say it opens or closes the engagement.
_OPENS = re.compile(
    r"\b(?:first|began|begun|begin|started|start|starting|commenced|kicked\s+off|initial|opening|since|from)\b"
    r"[^.;\n\d]{0,40}$",
    re.IGNORECASE,
)
_CLOSES = re.compile(
    r"\b(?:last|final|ended|ending|finished|concluded|closing|stopped|wrapped\s+up|until|till|through)\b"
    r"[^.;\n\d]{0,40}$",
    re.IGNORECASE,
)


def cued_period(text: str) -> tuple[date, date, str] | None:
    """ "The first meeting was 1st Oct 2022 and the final one 22nd Oct 2023": a start and an end each named by
    the words before it, in one sentence, the start before the end."""
    mentions = [m for m in find_dates(text) if m.precision == "day" and m.value]
    for index, opening in enumerate(mentions):
        before = text[max(0, opening.start - 60) : opening.start]
        if not _OPENS.search(before) or _CLOSES.search(before):
            continue
        for closing in mentions[index + 1 :]:
            between = text[opening.end : closing.start]
            if len(between) > 160 or re.search(r"[.!?]\s|\n", between):
                break
            if _CLOSES.search(text[max(opening.end, closing.start - 60) : closing.start]):
                if opening.value < closing.value:
                    return opening.value, closing.value, _sentence(text, opening.start, closing.end)
                break
    return None


# A reply that says the request it quotes is right; one that says something is wrong confirms nothing.
_CONFIRMS = re.compile(
    r"\b(?:confirm(?:ed|s)?|correct|accurate|right|true|agree|vouch|that'?s\s+(?:all\s+)?(?:fine|it)|yes)\b",
    re.IGNORECASE,
)
_DENIES = re.compile(
    r"\b(?:not\s+(?:right|correct|accurate|true)|incorrect|inaccurate|wrong|mistaken|cannot\s+confirm|"
    r"can'?t\s+confirm|unable\s+to\s+confirm|do\s+not\s+recogni[sz]e|don'?t\s+recogni[sz]e|never)\b",
    re.IGNORECASE,
)


def confirms(reply: str) -> bool:
    """Whether a reply confirms what it quotes: it says so, and denies nothing."""
    return bool(_CONFIRMS.search(reply)) and not _DENIES.search(reply)
