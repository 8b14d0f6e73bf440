"""Read what a referee's letter or email states about a mentoring engagement: who mentored whom, when, who signed."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .clauses import confirms, cued_period, full_name, mentoring_relation
from .dates import country_order, find_dates, find_ranges
from .facts import clean_name, closing_name, find_signers, normalise_text
from .layout import HEADER, QUOTED, Block, blocks_text, role_of_text

LETTER_FIELDS = ("mentor_name", "mentee_name", "mentee_email", "start_date", "end_date", "signer")

# Words of a name sit on one line, one space apart; "Ó" or an initial counts as a word.
_NAME = (
    r"(?P<{group}>(?-i:(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor)\.?[ \t]+)?[A-ZÀ-ÞĀ-Ž][\w'’\-]*\.?"
    r"(?:[ \t]+(?:[A-ZÀ-ÞĀ-Ž][\w'’\-]*\.?|(?:van|von|de|da|del|der|den|ten|ter|het|di|du|la|le|bin|al|dos|das|ap|ab|ní|nic|mac|y)"
    r"(?![\w'’\-]))){{1,4}}))"
)
_EMAIL = re.compile(r"[\w.+'\-]+@[\w\-]+(?:\.[\w\-]+)+")
_GAP = (
    r"(?:\s+(?:our|my|their|his|her|a|the)?\s*(?:colleague|staff\s+member|employee|team\s+member|mentee|client|student|trainee)?"
    r"|\s+(?:a|one)\s+(?:member|colleague)\s+of\s+(?:my|our|the|his|her|their)\s+(?:team|staff|department|unit|service))?"
    r"\s*,?\s*"
)


# A clause set between commas after the mentor's name: "Maarten Visser, who reports to me, was the mentor of …".
_ASIDE = r"(?:\s*,\s*(?-i:who|whom)\s[^,;.\n]{1,80},)?"


def _mentor_mentee(pattern: str) -> re.Pattern[str]:
    return re.compile(
        pattern.replace("{MENTOR}", _NAME.format(group="mentor") + _ASIDE).replace(
            "{MENTEE}", _NAME.format(group="mentee")
        ),
        re.IGNORECASE,
    )


# Who mentored whom, in the ways a letter says it; the mentor and the mentee each as a capitalised name.
# The verbs are matched in lower case only, so a role such as "Mentoring Scheme Coordinator" under a
# signature is never read as "<name> mentoring <name>".
_RELATIONS = [
    _mentor_mentee(
        r"{MENTOR}\s+(?-i:(?:has\s+)?(?:acted|served|worked|been)\s+as\s+(?:a\s+|the\s+|their\s+|her\s+|his\s+)?"
        r"mentor\s+(?:to|for|of))" + _GAP + r"{MENTEE}"
    ),
    _mentor_mentee(
        r"{MENTOR}\s+(?-i:(?:has\s+been\s+|was\s+|had\s+been\s+)?(?:formally\s+|regularly\s+)?"
        r"(?:mentored|mentoring|coached|coaching|supported))" + _GAP + r"{MENTEE}"
    ),
    _mentor_mentee(
        r"{MENTEE}(?:\s*\([^)]{0,80}\))?\s*,?\s+(?-i:(?:has\s+been|had\s+been|was|were|is\s+being)\s+"
        r"(?:mentored|coached|supported)\s+by)\s+{MENTOR}"
    ),
    _mentor_mentee(r"{MENTOR}\s+(?-i:(?:was|has\s+been|is|acted\s+as))\s+{MENTEE}'s\s+mentor"),
    # "I managed Ana Silva, who mentored Tom Reyes from …": the relation in a clause after the mentor's name.
    _mentor_mentee(
        r"{MENTOR}\s*,\s*(?-i:who\s+(?:has\s+|had\s+)?(?:formally\s+|regularly\s+)?(?:mentored|coached))"
        + _GAP
        + r"{MENTEE}"
    ),
    _mentor_mentee(
        r"{MENTOR}\s+(?-i:(?:has\s+been|had\s+been|was|is|became)\s+(?:the|a|their|her|his)\s+mentor\s+(?:of|to|for))"
        + _GAP
        + r"{MENTEE}"
    ),
    # The mentee first: "<mentee> (e-mail …), received mentoring from <mentor>".
    _mentor_mentee(
        r"{MENTEE}(?:\s*\([^)]{0,80}\)|\s*,[^,;]{0,80},)?\s+(?-i:(?:has\s+)?(?:received|had|benefited\s+from|was\s+given|"
        r"was\s+offered)\s+(?:regular\s+|individual\s+|one-to-one\s+)?(?:mentoring|coaching)\s+(?:from|by|with))\s+{MENTOR}"
    ),
    _mentor_mentee(r"(?-i:mentoring|mentorship)\s+of\s+{MENTEE}(?:\s*\([^)]{0,80}\))?\s+(?-i:by)\s+{MENTOR}"),
    _mentor_mentee(r"{MENTEE}'s\s+mentor\s*,?\s+{MENTOR}"),
    _mentor_mentee(
        r"mentoring\s+(?:relationship|engagement|partnership)\s+between\s+{MENTOR}\s*\(?\s*(?:the\s+)?mentor\)?\s+and\s+{MENTEE}"
    ),
]
# The writer is one side of the engagement: "I have mentored <mentee>", "<mentor> has been my mentor".
_WRITER_IS_MENTOR = _mentor_mentee(
    r"\bI\s+(?-i:(?:have\s+)?(?:been\s+)?(?:mentored|mentoring|acted\s+as\s+(?:a\s+|the\s+)?mentor\s+(?:to|for)|"
    r"was\s+(?:the\s+)?mentor\s+(?:to|of|for)|served\s+as\s+(?:a\s+|the\s+)?mentor\s+(?:to|for)))"
    + _GAP
    + r"{MENTEE}"
)
_WRITER_IS_MENTEE = _mentor_mentee(
    r"{MENTOR}\s+(?-i:(?:has\s+been|was|acted\s+as|served\s+as)\s+my\s+mentor|(?:has\s+)?(?:been\s+)?(?:mentored|mentoring)\s+me)\b"
)
# "Mentor: …", or a bulleted list with dashes ("• Mentor – Ana Silva", "Young person mentored: Tom Reyes").
_LABELLED = re.compile(
    r"^\s*(?:[•·▪◦●*]\s*|[-–]\s+)?(?P<label>(?:(?:volunteer|peer|lead|named|assigned)\s+)?mentor(?:'?s?\s+name)?"
    r"|mentee(?:'?s?\s+name)?|mentee'?s?\s+e-?mail(?:\s+address)?"
    r"|(?:young\s+person|person|client|colleague|employee|student|pupil|volunteer)\s+(?:mentored|supported)"
    r"|(?:mentoring\s+|engagement\s+|placement\s+)?(?:period|dates)|dates?\s+of\s+(?:the\s+)?(?:mentoring|engagement))"
    r"(?:\s*[:|]\s*|\s+[–—-]\s+)(?P<value>.+)$",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass
class LetterFacts:
    """What a referee's letter states; ``None`` where it does not say."""

    mentor_name: str | None = None
    mentee_name: str | None = None
    mentee_email: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    signer: str | None = None
    evidence: dict[str, str] = field(default_factory=dict)

    @property
    def is_reference(self) -> bool:
        """Whether the text reads as a letter about mentoring (it names a mentor or a mentee)."""
        return self.mentor_name is not None or self.mentee_name is not None

    def fields(self) -> dict[str, Any]:
        return {
            name: (value.isoformat() if isinstance(value, date) else value)
            for name in LETTER_FIELDS
            for value in [getattr(self, name)]
        }


def _sentence_around(text: str, start: int, end: int) -> str:
    first = max(text.rfind("\n", 0, start), text.rfind(". ", max(0, start - 300), start) + 1)
    last_candidates = [
        position for position in (text.find("\n", end), text.find(". ", end)) if position != -1
    ]
    last = min(last_candidates) + 1 if last_candidates else len(text)
    return text[first + 1 if first >= 0 else 0 : last].strip()[:300]


def find_letter_facts(text: str, blocks: list[Block] | None = None) -> LetterFacts:
    """The mentoring a letter describes: mentor, mentee, the mentee's e-mail, the period and who signed.

    A reply that quotes an earlier message is read on its own first: its writer is the signer. What only the
    quoted message states counts when the reply confirms it ("Yes, that is right"), never when it denies it.
    """
    text = normalise_text(text)
    if blocks is None:
        blocks = [Block(role_of_text(line), [line]) for line in text.split("\n") if line]
    quoted = [block for block in blocks if block.source == QUOTED]
    if not quoted:
        return _read_letter(text, blocks, text)
    own = [block for block in blocks if block.source != QUOTED]
    facts = _read_letter(normalise_text(blocks_text(own)), own, text)
    reply = blocks_text(block for block in own if block.source != HEADER)
    if confirms(reply):
        earlier = _read_letter(normalise_text(blocks_text(quoted)), quoted, text)
        for name in LETTER_FIELDS:
            if name != "signer" and getattr(facts, name) is None and getattr(earlier, name) is not None:
                setattr(facts, name, getattr(earlier, name))
                if name in earlier.evidence:
                    facts.evidence[name] = (
                        f"{earlier.evidence[name]} (quoted; confirmed: {_first_line(reply)})"
                    )
    return facts


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")[:120]


def _read_letter(text: str, blocks: list[Block], names_from: str) -> LetterFacts:
    # A sentence wrapped over lines must read whole for "X mentored\nY" to be seen.
    flat = re.sub(r"(?<![.:;!?])\n(?=[a-zà-ÿ(])", " ", text)
    # "Lefèvre-" at a line's end and "Garnier" on the next: one hyphenated name.
    flat = re.sub(r"(?<=[^\W\d_]{2}-)\n(?=[A-ZÀ-ÞĀ-Ž][a-zà-ÿ])", "", flat)
    facts = LetterFacts()
    for pattern in _RELATIONS:
        match = pattern.search(flat)
        if match:
            mentor, mentee = clean_name(match["mentor"]), clean_name(match["mentee"])
            if mentor and mentee and mentor != mentee:
                evidence = _sentence_around(flat, match.start(), match.end())
                facts.mentor_name, facts.mentee_name = mentor, mentee
                facts.evidence["mentor_name"] = facts.evidence["mentee_name"] = evidence
                break
    facts.signer, signer_evidence = _signer(blocks)
    if facts.mentor_name is None and facts.signer:
        for pattern, writer_is in ((_WRITER_IS_MENTOR, "mentor_name"), (_WRITER_IS_MENTEE, "mentee_name")):
            match = pattern.search(flat)
            other = match and clean_name(match["mentee" if writer_is == "mentor_name" else "mentor"])
            if other and other != facts.signer:
                evidence = _sentence_around(flat, match.start(), match.end())
                setattr(facts, writer_is, facts.signer)
                setattr(facts, "mentee_name" if writer_is == "mentor_name" else "mentor_name", other)
                facts.evidence["mentor_name"] = facts.evidence["mentee_name"] = evidence
                break
    if facts.mentor_name is None:
        # Any other wording, read by the sentence's grammar ("I was mentored by Ana between …").
        relation = mentoring_relation(flat, facts.signer, normalise_text(names_from))
        if relation:
            facts.mentor_name, facts.mentee_name = relation.mentor, relation.mentee
            facts.evidence["mentor_name"] = facts.evidence["mentee_name"] = relation.evidence
    if facts.mentee_name is not None:
        facts.mentee_name = full_name(flat, facts.mentee_name)
    labelled_period = _labelled(text, facts)
    if facts.mentee_email is None:
        facts.mentee_email, evidence = _mentee_email(flat, facts.mentee_name)
        if evidence:
            facts.evidence["mentee_email"] = evidence
    for period in [*labelled_period, *find_ranges(flat, country_order(flat))]:
        if (
            period.end is not None
            and period.start.value
            and period.end.value
            and period.start.precision == "day"
        ):
            facts.start_date, facts.end_date = period.start.value, period.end.value
            facts.evidence["start_date"] = facts.evidence["end_date"] = _sentence_around(
                flat, period.begin, period.finish
            )
            break
    if facts.start_date is None:
        _open_period(flat, facts)
    if facts.start_date is None and (cued := cued_period(flat)):
        facts.start_date, facts.end_date, facts.evidence["start_date"] = cued
        facts.evidence["end_date"] = cued[2]
    if signer_evidence:
        facts.evidence["signer"] = signer_evidence
    return facts


def _labelled(text: str, facts: LetterFacts) -> list:
    """Facts given as labelled lines; returns the period a "Dates" line states (as ranges of that line)."""
    periods = []
    for match in _LABELLED.finditer(text):
        label, value = match["label"].casefold(), match["value"].strip()
        evidence = match.group(0).strip()
        email = _EMAIL.search(value)
        if "mail" in label:
            if email and facts.mentee_email is None:
                facts.mentee_email, facts.evidence["mentee_email"] = email.group(0), evidence
        elif "period" in label or "date" in label:
            periods.extend(period for period in find_ranges(value) if period.end is not None)
        elif "mentor" in label and not label.endswith(("mentored", "supported")):
            if facts.mentor_name is None:
                facts.mentor_name, facts.evidence["mentor_name"] = (
                    clean_name(re.split(r"[(<]", value)[0]),
                    evidence,
                )
        elif facts.mentee_name is None:
            # "Tom Reyes (tom@…)" or "Tom Reyes <tom@…>": the name before the address.
            facts.mentee_name, facts.evidence["mentee_name"] = (
                clean_name(re.split(r"[(<]", value)[0]),
                evidence,
            )
            # "Mentee – Tom Reyes (tom.reyes@example.org)": the address beside the name is the mentee's.
            if email and facts.mentee_email is None and facts.mentee_name:
                facts.mentee_email, facts.evidence["mentee_email"] = email.group(0), evidence
    return periods


_ENDED = re.compile(
    r"\b(?:ended|concluded|finished|closed|came\s+to\s+an\s+end)\s+(?:on\s+)?(?:the\s+)?$", re.IGNORECASE
)


def _open_period(text: str, facts: LetterFacts) -> None:
    """ "mentor … since 3 May 2022; the mentoring ended on 1 March 2023": an open start closed by an end
    stated in the next clause (within the same or the following sentence)."""
    mentions = find_dates(text)
    for period in find_ranges(text):
        if period.end is not None or period.start.precision != "day" or period.start.value is None:
            continue
        for mention in mentions:
            if not (period.finish <= mention.start <= period.finish + 200) or mention.precision != "day":
                continue
            if _ENDED.search(text, max(period.finish, mention.start - 40), mention.start) and mention.value:
                facts.start_date, facts.end_date = period.start.value, mention.value
                facts.evidence["start_date"] = facts.evidence["end_date"] = _sentence_around(
                    text, period.begin, mention.end
                )
                return


def _folded(value: str) -> str:
    value = unicodedata.normalize("NFKD", value.casefold()).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", value)


def _mentee_email(text: str, mentee: str | None) -> tuple[str | None, str | None]:
    emails = list(_EMAIL.finditer(text))
    if not mentee:
        return None, None
    names = mentee.split()
    surname, first = names[-1], names[0]
    for match in emails:
        before = text[max(0, match.start() - 120) : match.start()]
        if surname.casefold() in before.casefold():
            return match.group(0), _sentence_around(text, match.start(), match.end())
    # "write to Sam at soduyalindgren@…": an address whose own name is the mentee's, named just before it.
    surname_key = _folded(surname)
    owned = [
        match
        for match in emails
        if len(surname_key) >= 3
        and surname_key in _folded(match.group(0).split("@")[0])
        and first.casefold() in text[max(0, match.start() - 160) : match.start()].casefold()
    ]
    if len(owned) == 1:
        return owned[0].group(0), _sentence_around(text, owned[0].start(), owned[0].end())
    return None, None


def _signer(blocks: list[Block]) -> tuple[str | None, str | None]:
    lines = [line for block in blocks for line in block.lines]
    # The name under the closing ("Yours faithfully,"), past a line left for the signature.
    if (closed := closing_name(lines)) is not None:
        return closed
    signers = find_signers(blocks)
    if signers:
        return signers[-1].name, signers[-1].evidence
    # A saved e-mail signed with a first name only: the sender in its header is the signer.
    for line in lines:
        # "From: Ana Silva <ana@…>", or a memo's "FROM: | Dr Ana Silva, Line Manager".
        sender = re.match(
            r"^from\s*[:|][\s:|]*(?P<name>[^<@|,]+?)\s*(?:<[^>]*>|\(|,|\||$)", line, re.IGNORECASE
        )
        if sender and (name := clean_name(sender["name"].strip(' "'))):
            return name, line
    return None, None
