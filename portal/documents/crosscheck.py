"""Compare what a document says with what the applicant declared, field by field, for a reviewer."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from decimal import Decimal
from difflib import SequenceMatcher
from typing import Any

from .dates import DateMention, DateRange, describe, find_dates, find_ranges
from .display import format_date, format_hours
from .facts import CertificateFacts, normalise_text
from .letters import LetterFacts, find_letter_facts

CONFIRMED = "confirmed"
CONTRADICTED = "contradicted"
NOT_FOUND = "not_found"

# Certificates often carry the date of the last session or of the assessment, and applicants
# type their dates from memory: a gap of a few days is ordinary, a wrong week or month is not.
DATE_TOLERANCE = timedelta(days=3)

# Token-set agreement needed for a programme or centre to count as the same one. At 0.8 a typo,
# a dropped "Ltd" or a reordering passes, while one different distinctive word in a two-word
# name ("Northfield Academy" / "Southfield Academy") does not.
SIMILARITY_THRESHOLD = 0.8
# Two words are the same word when they differ by a typo or a spelling variant (practice/practise).
_WORD_SIMILARITY = 0.85


@dataclass(frozen=True)
class DeclaredTraining:
    """The training an applicant says the certificate shows."""

    participant_name: str
    programme: str
    training_centre: str
    hours: Decimal | float
    start_date: date
    end_date: date
    instructor: str | None = None


@dataclass(frozen=True)
class DeclaredEngagement:
    """The mentoring an applicant says a referee's letter describes."""

    mentor_name: str
    mentee_name: str
    mentee_email: str
    start_date: date
    end_date: date


@dataclass(frozen=True)
class Check:
    """One field compared: ``outcome`` is confirmed, contradicted or not_found."""

    field: str
    label: str
    outcome: str
    declared: str
    found: str | None = None
    evidence: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# --- comparing words -------------------------------------------------------------------------

_FOLD = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th", "ß": "ss"})
_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame"}
_STOPWORDS = {
    "the",
    "of",
    "in",
    "and",
    "for",
    "a",
    "an",
    "on",
    "to",
    "at",
    "ltd",
    "limited",
    "inc",
    "llc",
    "plc",
}
_VARIANTS = {
    "center": "centre",
    "program": "programme",
    "organization": "organisation",
    "organisation": "organisation",
    "practise": "practice",
    "licence": "license",
}


def fold(text: str) -> str:
    """Lower case without accents: "Zoë O'Brien-Ñúñez" -> "zoe o'brien-nunez"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).translate(_FOLD)


def name_tokens(name: str) -> list[str]:
    # Apostrophes and dots join ("O'Brien" -> "obrien"), hyphens separate ("Brien-Nunez").
    folded = re.sub(r"['’.]", "", fold(name))
    return [token for token in re.split(r"[^\w]+|_", folded) if token and token not in _TITLES]


def names_match(declared: str, found: str) -> bool:
    """Same person whatever the accents, case or order; a middle name present on one side only is allowed."""
    left, right = name_tokens(declared), name_tokens(found)
    if not left or not right:
        return False
    if sorted(left) == sorted(right):
        return True
    smaller, larger = sorted((set(left), set(right)), key=len)
    if len(smaller) >= 2 and smaller <= larger:
        return True
    # One letter misread in a long name (a scan's "Nufez" for "Nuñez") is the same person; a different
    # short name ("Jon" / "Jan") or a second differing word is not.
    return (
        len(left) == len(right) >= 2
        and all(_same_word(a, b) for a, b in zip(sorted(left), sorted(right), strict=True))
        and sum(a != b for a, b in zip(sorted(left), sorted(right), strict=True)) <= 1
    )


def _same_word(left: str, right: str) -> bool:
    return left == right or (
        min(len(left), len(right)) >= 5 and SequenceMatcher(None, left, right).ratio() >= 0.8
    )


def title_tokens(text: str) -> list[str]:
    tokens = re.split(r"[^\w]+|_", fold(text).replace("'", ""))
    return [_VARIANTS.get(token, token) for token in tokens if token and token not in _STOPWORDS]


def similarity(declared: str, found: str) -> float:
    """How far two programme or organisation names agree, from 0 to 1, word by word in any order."""
    left, right = title_tokens(declared), title_tokens(found)
    if not left or not right:
        return 0.0
    unmatched = list(right)
    matched = 0
    for word in left:
        for index, candidate in enumerate(unmatched):
            if word == candidate or SequenceMatcher(None, word, candidate).ratio() >= _WORD_SIMILARITY:
                matched += 1
                del unmatched[index]
                break
    dice = 2 * matched / (len(left) + len(right))
    smaller = min(len(left), len(right))
    # A name given in full on one side and shortened on the other ("Mentoring Skills" within
    # "Coaching and Mentoring Skills") agrees, provided the short form is not a single word.
    contained = 1.0 if smaller >= 2 and matched == smaller else 0.0
    return max(dice, contained)


# --- searching the text itself ---------------------------------------------------------------


def _lines(text: str | None) -> list[str]:
    return normalise_text(text).split("\n") if text else []


def _find_name_line(lines: list[str], name: str) -> str | None:
    wanted = set(name_tokens(name))
    if not wanted:
        return None
    for line in lines:
        if wanted <= set(name_tokens(line)):
            return line
    return None


def _find_title_line(lines: list[str], title: str) -> str | None:
    wanted = set(title_tokens(title))
    if not wanted:
        return None
    for line in lines:
        if wanted <= set(title_tokens(line)):
            return line
    # A title wrapped over two lines ("Advanced Mentoring" / "Practice for Leaders") is still stated.
    for first, second in zip(lines, lines[1:], strict=False):
        joined = f"{first} {second}"
        if wanted <= set(title_tokens(joined)) and _in_order(title_tokens(title), title_tokens(joined)):
            return joined
    return None


def _in_order(wanted: list[str], tokens: list[str]) -> bool:
    """Whether ``wanted`` stands in ``tokens`` as one run, word after word."""
    size = len(wanted)
    return any(tokens[start : start + size] == wanted for start in range(len(tokens) - size + 1))


# --- checks ----------------------------------------------------------------------------------


def _name_check(
    field: str, label: str, declared: str, found: str | None, evidence: str | None, lines: list[str]
) -> Check:
    if found is None or not names_match(declared, found):
        line = _find_name_line(lines, declared)
        if line is not None:
            # The declared person is named in the document, whoever else the reader took for the field.
            return Check(field, label, CONFIRMED, declared, declared, line)
        if found is None:
            return Check(field, label, NOT_FOUND, declared)
        return Check(field, label, CONTRADICTED, declared, found, evidence)
    return Check(field, label, CONFIRMED, declared, found, evidence)


def _title_check(
    field: str, label: str, declared: str, found: str | None, evidence: str | None, lines: list[str]
) -> Check:
    if found is None:
        line = _find_title_line(lines, declared)
        if line is None:
            return Check(field, label, NOT_FOUND, declared)
        return Check(field, label, CONFIRMED, declared, declared, line)
    if similarity(declared, found) >= SIMILARITY_THRESHOLD:
        return Check(field, label, CONFIRMED, declared, found, evidence)
    line = _find_title_line(lines, declared)
    if line is not None and (field == "programme" or _in_order(title_tokens(declared), title_tokens(line))):
        # The value read was cut short (a title wrapped at a line break), or the issuer is named in full
        # elsewhere: the declared name stands in the document word for word.
        return Check(field, label, CONFIRMED, declared, declared, line)
    return Check(field, label, CONTRADICTED, declared, found, evidence)


def _hours_check(declared: Decimal | float, found: Decimal | None, evidence: str | None) -> Check:
    wanted = Decimal(str(declared))
    label = "Training hours"
    if found is None:
        return Check("hours", label, NOT_FOUND, format_hours(wanted))
    outcome = CONFIRMED if found >= wanted else CONTRADICTED
    return Check("hours", label, outcome, format_hours(wanted), format_hours(found), evidence)


def _close(found: date, wanted: date) -> bool:
    return abs(found - wanted) <= DATE_TOLERANCE


def _date_check(field: str, label: str, wanted: date, facts: CertificateFacts) -> Check:
    found: date | None = getattr(facts, field)
    if found is not None:
        outcome = CONFIRMED if _close(found, wanted) else CONTRADICTED
        return Check(
            field, label, outcome, format_date(wanted), format_date(found), facts.evidence.get(field)
        )
    for item in facts.ambiguous:
        if item.field == field:
            # The declaration may settle which reading was meant; if none fits, both disagree.
            outcome = CONFIRMED if any(_close(reading, wanted) for reading in item.readings) else CONTRADICTED
            shown = f"{item.text} ({describe(DateMention(item.text, 0, 0, item.readings))})"
            return Check(field, label, outcome, format_date(wanted), shown, item.evidence)
    return Check(field, label, NOT_FOUND, format_date(wanted))


def _issue_check(declared_end: date, facts: CertificateFacts) -> Check:
    field, label = "issue_date", "Issued after the training ended"
    readings: tuple[date, ...] = ()
    if facts.issue_date is not None:
        readings, shown, evidence = (
            (facts.issue_date,),
            format_date(facts.issue_date),
            facts.evidence.get(field),
        )
    else:
        for item in facts.ambiguous:
            if item.field == field:
                readings = item.readings
                shown = f"{item.text} ({describe(DateMention(item.text, 0, 0, item.readings))})"
                evidence = item.evidence
    if not readings:
        return Check(field, label, NOT_FOUND, f"after {format_date(declared_end)}")
    # A certificate cannot be issued for training that had not ended yet.
    outcome = (
        CONFIRMED if any(reading >= declared_end - DATE_TOLERANCE for reading in readings) else CONTRADICTED
    )
    return Check(field, label, outcome, f"after {format_date(declared_end)}", shown, evidence)


def check_certificate(
    facts: CertificateFacts, declared: DeclaredTraining, *, text: str | None = None
) -> list[Check]:
    """One :class:`Check` per declared field. With ``text``, a value the facts missed is looked for in it."""
    lines = _lines(text)
    evidence = facts.evidence
    checks = [
        _name_check(
            "participant_name",
            "Participant",
            declared.participant_name,
            facts.participant_name,
            evidence.get("participant_name"),
            lines,
        ),
        _title_check(
            "programme", "Programme", declared.programme, facts.programme, evidence.get("programme"), lines
        ),
        _title_check(
            "training_centre",
            "Training centre",
            declared.training_centre,
            facts.training_centre,
            evidence.get("training_centre"),
            lines,
        ),
        _hours_check(declared.hours, facts.hours, evidence.get("hours")),
        _date_check("start_date", "Start date", declared.start_date, facts),
        _date_check("end_date", "End date", declared.end_date, facts),
        _issue_check(declared.end_date, facts),
    ]
    if declared.instructor:
        checks.append(
            _name_check(
                "instructor",
                "Instructor",
                declared.instructor,
                facts.instructor,
                evidence.get("instructor"),
                lines,
            )
        )
    return checks


# --- reference letters -----------------------------------------------------------------------


def _mention_fits(mention: DateMention, wanted: date) -> bool:
    if mention.precision == "month":
        # "since March 2023" agrees with any day of that month, give or take the tolerance.
        first = mention.readings[0]
        last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        return first - DATE_TOLERANCE <= wanted <= last + DATE_TOLERANCE
    return any(_close(reading, wanted) for reading in mention.readings)


def _letter_date_check(
    field: str, label: str, wanted: date, text: str, periods: list[DateRange], letter: LetterFacts
) -> Check:
    for period in periods:
        mention = period.start if field == "start_date" else period.end
        if mention is None:
            continue
        outcome = CONFIRMED if _mention_fits(mention, wanted) else CONTRADICTED
        evidence = _evidence_line(text, period.begin, period.finish)
        return Check(field, label, outcome, format_date(wanted), describe(mention), evidence)
    read = getattr(letter, field)
    if read is not None:
        # A period the letter states in two clauses ("since 3 May 2022; … ended on 1 March 2023").
        outcome = CONFIRMED if _close(read, wanted) else CONTRADICTED
        return Check(
            field, label, outcome, format_date(wanted), format_date(read), letter.evidence.get(field)
        )
    for mention in find_dates(text):
        if _mention_fits(mention, wanted):
            return Check(
                field,
                label,
                CONFIRMED,
                format_date(wanted),
                describe(mention),
                _evidence_line(text, mention.start, mention.end),
            )
    return Check(field, label, NOT_FOUND, format_date(wanted))


def _evidence_line(text: str, start: int, end: int) -> str:
    first = text.rfind("\n", 0, start) + 1
    last = text.find("\n", end)
    return text[first : last if last != -1 else len(text)].replace("\n", " ")[:300]


def check_reference_letter(text_or_facts: Any, declared: DeclaredEngagement) -> list[Check]:
    """Look for the declared mentoring in a referee's letter (its text, or anything with a ``.text``).

    A name or e-mail address the letter states for the mentor or mentee, other than the declared one
    that appears nowhere in the letter, contradicts; so does a period the letter states explicitly.
    """
    text = normalise_text(
        text_or_facts if isinstance(text_or_facts, str) else getattr(text_or_facts, "text", "") or ""
    )
    lines = text.split("\n") if text else []
    letter = find_letter_facts(text)
    checks = [
        _name_check(
            "mentor_name",
            "Mentor",
            declared.mentor_name,
            letter.mentor_name,
            letter.evidence.get("mentor_name"),
            lines,
        ),
        _name_check(
            "mentee_name",
            "Mentee",
            declared.mentee_name,
            letter.mentee_name,
            letter.evidence.get("mentee_name"),
            lines,
        ),
    ]
    email = declared.mentee_email.strip()
    email_line = next((line for line in lines if email and email.casefold() in line.casefold()), None)
    if email_line:
        checks.append(Check("mentee_email", "Mentee e-mail", CONFIRMED, email, email, email_line))
    elif letter.mentee_email:
        checks.append(
            Check(
                "mentee_email",
                "Mentee e-mail",
                CONTRADICTED,
                email,
                letter.mentee_email,
                letter.evidence.get("mentee_email"),
            )
        )
    else:
        checks.append(Check("mentee_email", "Mentee e-mail", NOT_FOUND, email))
    periods = find_ranges(text)
    checks.append(
        _letter_date_check("start_date", "Mentoring started", declared.start_date, text, periods, letter)
    )
    checks.append(_letter_date_check("end_date", "Mentoring ended", declared.end_date, text, periods, letter))
    return checks
