"""Read the facts a training certificate states — who, what, where, how long, when, taught by whom."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from .dates import DateMention, country_order, describe, find_dates, find_ranges, proven_order, resolve
from .layout import (
    FOOTER,
    HEADER,
    HEADING,
    LABEL_VALUE,
    LINE,
    PROSE,
    ROLE_WORDS,
    SIGNATURE,
    Block,
    role_of_text,
)
from .numbers import NUMBER_WORDS, words_to_number

FIELDS = (
    "participant_name",
    "programme",
    "training_centre",
    "hours",
    "start_date",
    "end_date",
    "issue_date",
    "instructor",
)
DATE_FIELDS = ("start_date", "end_date", "issue_date")


@dataclass(frozen=True)
class AmbiguousDate:
    """A date that supports a field but can be read two ways, so the field is left for a person."""

    field: str
    text: str
    readings: tuple[date, ...]
    evidence: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "text": self.text,
            "readings": [reading.isoformat() for reading in self.readings],
            "evidence": self.evidence,
        }

    @property
    def message(self) -> str:
        return f"{self.text} could be {describe(DateMention(self.text, 0, 0, self.readings))}"


@dataclass
class CertificateFacts:
    """What a certificate states; a field is ``None`` when the text does not say it clearly."""

    participant_name: str | None = None
    programme: str | None = None
    training_centre: str | None = None
    hours: Decimal | None = None
    start_date: date | None = None
    end_date: date | None = None
    issue_date: date | None = None
    instructor: str | None = None
    evidence: dict[str, str] = field(default_factory=dict)
    signers: list[str] = field(default_factory=list)
    # For an OCR'd document, per field, the page and box (x0, y0, x1, y1 in the page image's pixels,
    # top-left origin) of the block the evidence came from.
    regions: dict[str, dict[str, Any]] = field(default_factory=dict)
    ambiguous: list[AmbiguousDate] = field(default_factory=list)

    def fields(self) -> dict[str, Any]:
        """Every field as JSON: dates as YYYY-MM-DD, hours as a number, ``None`` when not found."""
        values: dict[str, Any] = {}
        for name in FIELDS:
            value = getattr(self, name)
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, Decimal):
                value = int(value) if value == value.to_integral_value() else float(value)
            values[name] = value
        return values

    @property
    def warnings(self) -> list[str]:
        return [item.message for item in self.ambiguous]

    def to_dict(self) -> dict[str, Any]:
        return {
            "fields": self.fields(),
            "evidence": dict(self.evidence),
            "regions": dict(self.regions),
            "ambiguous": [item.to_dict() for item in self.ambiguous],
        }


# --- normalising ---------------------------------------------------------------------------

_QUOTES = str.maketrans(
    {"’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"', "„": '"', "\u00a0": " ", "\t": " | "}
)
_INLINE_SPACE = re.compile(r"[ \f\v\u2000-\u200b\u202f\u205f\u3000]+")
_CELL_SPLIT = re.compile(r"\s*\|\s*")


def normalise_text(text: str) -> str:
    """NFKC (ligatures, full-width forms), straight quotes, one space between words, no blank lines."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    lines = (_INLINE_SPACE.sub(" ", line).strip(" |") for line in text.splitlines())
    return "\n".join(line for line in lines if line)


# --- what a value may look like --------------------------------------------------------------

_TITLES = re.compile(
    r"^(?:(?:mr|mrs|ms|miss|mx|dr|prof|professor|sir|dame|assoc|associate|asst|assistant\s+(?=prof))\.?\s+)+",
    re.IGNORECASE,
)
_PARTICLES = {
    "ab", "al", "ap", "bin", "binti", "da", "das", "de", "del", "della", "den", "der", "di", "do", "dos", "du", "el", "het",
    "la", "le", "ten", "ter", "van", "von", "y", "zu",
}  # fmt: skip
_NOT_NAME_WORDS = {
    "a", "an", "and", "at", "by", "certificate", "certify", "completed", "course", "date", "for",
    "has", "have", "hours", "in", "is", "of", "on", "programme", "program", "that", "the", "this",
    "to", "training", "with", "successfully", "awarded", "participant", "centre", "center",
}  # fmt: skip
_NAME_TOKEN = re.compile(r"^[^\W\d_][^\W\d_'.\-]*(?:['.\-][^\W\d_]*)*\.?$")
_ORG_WORDS = re.compile(
    r"\b(?:academy|association|centre|center|college|council|foundation|gmbh|group|inc|institute|"
    r"institution|limited|llc|ltd|network|plc|school|services|society|trust|university|training|"
    r"consultancy|consulting|partners|agency|organi[sz]ation|hub)\b",
    re.IGNORECASE,
)


_GLUED = re.compile(r"(?<=[a-zà-ÿ]{2})(?=[A-ZÀ-Þ][a-zà-ÿ]{2})")
_NAME_PREFIXES = ("mc", "mac", "de", "di", "da", "du", "la", "le", "van", "von", "st", "fitz", "o")


def _split_glued(token: str) -> list[str]:
    pieces = _GLUED.split(token)
    if len(pieces) == 2 and pieces[0].casefold() not in _NAME_PREFIXES:
        return pieces
    return [token]


def clean_name(raw: str, *, min_tokens: int = 2) -> str | None:
    """A person's name from a fragment of text, or ``None`` when it does not look like one."""
    value = _TITLES.sub("", raw.strip().strip(" .,;:\"'()")).strip()
    tokens = value.split()
    if len(tokens) < min_tokens:
        # Recognition sometimes drops the space between two names ("AurélienDufresne").
        tokens = [piece for token in tokens for piece in _split_glued(token)]
    if not (min_tokens <= len(tokens) <= 6):
        return None
    for token in tokens:
        if not _NAME_TOKEN.match(token) or token.casefold() in _NOT_NAME_WORDS:
            return None
        if not token[0].isupper() and token.casefold() not in _PARTICLES:
            return None
    return " ".join(tokens)


def clean_title(raw: str) -> str | None:
    """A programme or organisation name: trimmed of quotes and trailing punctuation, or ``None``."""
    value = raw.strip().strip(" .,;:\"'")
    value = (
        re.sub(r"^(?:the|a|an)\s+(?=[A-Z])", "", value)
        if value[:4].lower() in ("the ", "a ", "an ")
        else value
    )
    if not (3 <= len(value) <= 150) or not value[0].isalpha() or not re.search(r"[^\W\d_]{2}", value):
        return None
    if value.casefold() in _NOT_NAME_WORDS:
        return None
    return value


_DETERMINER = re.compile(r"^(?:(?:our|their|his|her|its|this|my|your|the|a|an)\s+)+", re.IGNORECASE)
_LENGTH_WORDS = re.compile(
    r"^(?:(?:\d+|[a-z]+)[-\s](?:week|day|month|hour|session|module|part)s?(?:-long)?\s+)", re.IGNORECASE
)
_GENERIC_TAIL = re.compile(
    r"\s+(?:training\s+)?(?:programme|program|course|training|workshop|module|series)$", re.IGNORECASE
)


_STARTS_WITH_DATE = re.compile(
    r"^(?:\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d)", re.IGNORECASE
)


def clean_programme(raw: str) -> str | None:
    """A programme's title from a sentence: "our twelve-week Reflective Mentoring programme" -> "Reflective Mentoring"."""
    value = _LENGTH_WORDS.sub("", _DETERMINER.sub("", raw.strip()))
    value = _DETERMINER.sub("", value)
    trimmed = _GENERIC_TAIL.sub("", value)
    if len(trimmed.split()) >= 2:
        value = trimmed
    if not any(word[:1].isupper() or word[:1].isdigit() for word in value.split()):
        return None  # "the short course": a description, the title stands elsewhere
    if _STARTS_WITH_DATE.match(value):
        return None  # "Completed Mar 22, 2025": a date, not a title
    return clean_title(value)


_HOURS_UNIT = r"(?:hours?|hrs?\.?|h)(?![\w])"
_HOURS_KINDS = (
    r"(?:(?:contact|cpd|training|learning|guided|teaching|tuition|classroom|study|clock|instructional|credit|course|"
    r"supervised|face-to-face|total|practical|theory|taught|directed|notional|online|in-person|live)\s+){0,3}"
)
_HOURS = re.compile(
    r"(?<![\w.,])\(?(?P<n>\d{1,4}(?:[.,]\d{1,2})?)\)?(?:\s*|-(?=hour))" + _HOURS_KINDS + _HOURS_UNIT,
    re.IGNORECASE,
)
# "forty (40) guided learning hours", "thirty-five hours": the digits, when given, are what counts.
_HOURS_IN_WORDS = re.compile(
    rf"(?<![\w-])(?P<w>{NUMBER_WORDS})(?:\s*|-(?=hour))(?:\(\s*(?P<n>\d{{1,4}}(?:[.,]\d{{1,2}})?)\s*\)\s*)?"
    + _HOURS_KINDS
    + _HOURS_UNIT,
    re.IGNORECASE,
)
_NUMBER = re.compile(r"(?<![\w.,])(?P<n>\d{1,4}(?:[.,]\d{1,2})?)(?![\d])")
# "12h 30m", "16 hrs 45 mins": hours and minutes together.
_HOURS_MINUTES = re.compile(
    r"(?<![\w.,])(?P<h>\d{1,4})\s*(?:h|hrs?|hours?)\.?\s*(?:and\s+)?(?P<m>[0-5]?\d)\s*(?:m|mins?|minutes?)\b",
    re.IGNORECASE,
)
# "15 CPD points (one point for each hour of learning)": points that the text itself says are hours.
_POINTS_AS_HOURS = re.compile(
    r"(?<![\w.,])(?P<n>\d{1,4}(?:[.,]\d{1,2})?)\s+(?:cpd\s+|ceu\s+)?(?:points?|credits?|units?)\s*\(\s*(?:one|1)\s+"
    r"(?:cpd\s+)?(?:point|credit|unit)\s+(?:for|per|=|equals)\s+(?:each\s+|every\s+|one\s+|1\s+|an?\s+)?hour\b",
    re.IGNORECASE,
)


def hours_and_minutes(text: str) -> tuple[Decimal, re.Match[str]] | None:
    """The hours "12h 30m" or "6 CPD points (one point for each hour)" state, with the match."""
    for pattern in (_HOURS_MINUTES, _POINTS_AS_HOURS):
        match = pattern.search(text)
        if match is None:
            continue
        if pattern is _HOURS_MINUTES:
            value = Decimal(match["h"]) + Decimal(match["m"]) / 60
            value = value.quantize(Decimal("0.01")).normalize()
        else:
            value = parse_hours(match["n"])
        if value is not None and 0 < value <= 5000:
            return value, match
    return None


_NUMBER_ALONE = re.compile(
    rf"^\s*(?P<w>{NUMBER_WORDS})\s*(?:\(\s*(?P<n>\d{{1,4}}(?:[.,]\d{{1,2}})?)\s*\))?", re.IGNORECASE
)


def hours_in(match: re.Match[str]) -> Decimal | None:
    """The hours a match of :data:`_HOURS` or :data:`_HOURS_IN_WORDS` states (digits win over words).

    A number at the end of one line joins a unit on the next only when that line goes on as a sentence
    does: over a caption standing alone ("… 20 June 2024" above "HOURS") the number is something else.
    """
    broken = match.group(0).rsplit("\n", 1)
    if len(broken) == 2 and is_field_label(broken[1] + match.string[match.end() :].split("\n", 1)[0]):
        return None
    groups = match.groupdict()
    if groups.get("n"):
        return parse_hours(groups["n"])
    value = words_to_number(groups.get("w") or "")
    return value if value is not None and 0 < value <= 5000 else None


def parse_hours(raw: str) -> Decimal | None:
    try:
        value = Decimal(raw.replace(",", "."))
    except InvalidOperation:
        return None
    return value if 0 < value <= 5000 else None


# --- labels ----------------------------------------------------------------------------------

# A "noun" label (Participant, Hours) needs a separator or a line of its own, so prose that merely
# starts with the word is not taken for a value; a "phrase" label (awarded to) reads as prose.
_NOUN, _PHRASE = "noun", "phrase"
# A bare verb is a label only when a date follows it at once ("Enrolled May 2, 2024 | Completed Jul 6, 2024").
_DATE_AHEAD = (
    r"(?=\s+(?:\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d|"
    r"(?:mon|tues?|wed|thu|thur|fri|sat|sun)[a-z]*,?\s+\d))"
)
_LABELS: dict[str, list[tuple[str, str]]] = {
    "participant_name": [
        (
            (
                r"participant'?s?\s+name|name\s+of\s+(?:the\s+)?(?:participant|candidate|learner|trainee|delegate|student)"
                r"|participant|candidate|learner|trainee|delegate|student|certificate\s+holder|full\s+name|name"
                r"|(?:name\s+of\s+(?:the\s+)?)?member(?:'?s?\s+name)?"
                r"|(?:recipient|holder|awardee)(?:'?s?\s+name)?|name\s+of\s+(?:the\s+)?(?:recipient|holder|awardee)"
            ),
            _NOUN,
        ),
        (
            r"awarded\s+to|presented\s+to|issued\s+to|granted\s+to|given\s+to|conferred\s+(?:up)?on|to(?=\s*$)",
            _PHRASE,
        ),
    ],
    "programme": [
        (
            (
                r"(?:in\s+recognition\s+of\s+|for\s+)(?:successfully\s+)?(?:completing|attending|completion\s+of|"
                r"participating\s+in|participation\s+in|attendance\s+at)(?:\s+the)?"
            ),
            _NOUN,
        ),
        (
            (
                r"(?:programme|program|course|training)\s+(?:title|name)|title\s+of\s+(?:the\s+)?(?:course|programme|program|"
                r"training)|name\s+of\s+(?:the\s+)?(?:course|programme|program|training)|training\s+(?:programme|program|"
                r"course)|programme|program|course|training|qualification|module"
                r"|(?:course|programme|program|training|module)\s+(?:undertaken|followed|attended|completed|studied|taken)"
                r"|(?:course|programme|program)\s+of\s+study"
                r"|(?:short|non-credit|accredited|online|cpd|professional|continuing\s+education)\s+(?:course|programme|program)"
            ),
            _NOUN,
        ),
    ],
    "training_centre": [
        (
            (
                r"(?:accredited\s+)?training\s+(?:centre|center|provider|organi[sz]ation|institution|body)|name\s+of\s+(?:the\s+)?"
                r"(?:training\s+)?(?:centre|center|provider|organi[sz]ation)|(?:course\s+)?provider|centre|center|institution|"
                r"organi[sz]ation|organi[sz]er|venue"
            ),
            _NOUN,
        ),
        (
            (
                r"delivered\s+by|provided\s+by|organi[sz]ed\s+by|offered\s+by|run\s+by|awarded\s+by|issued\s+by|"
                r"accredited\s+by|hosted\s+by|on\s+behalf\s+of"
            ),
            _PHRASE,
        ),
    ],
    "instructor": [
        (
            (
                r"(?:lead\s+|course\s+|name\s+of\s+(?:the\s+)?)?(?:instructor|trainer|facilitator|tutor|lecturer|presenter|"
                r"teacher|educator)s?|course\s+(?:leader|director|convenor|convener)"
                r"|signature\s+of\s+(?:the\s+)?(?:instructor|trainer|facilitator|tutor|lecturer|presenter)"
            ),
            _NOUN,
        ),
        (r"taught\s+by|facilitated\s+by|led\s+by|instructed\s+by|trained\s+by", _PHRASE),
    ],
    "hours": [
        (
            (
                r"(?:total\s+)?(?:number\s+of\s+)?(?:(?:contact|cpd|training|learning|guided|teaching|tuition|classroom|study|"
                r"clock|instructional|credit|course|supervised|taught|directed|notional|programme|program|practice|"
                r"mentoring|total)\s+){0,3}(?:hours|hrs)(?:\s+(?:completed|awarded|attended|achieved|undertaken|logged))?"
                r"|(?:total\s+|course\s+|training\s+|programme\s+)?duration|length|volume"
                r"|(?:total\s+)?(?:study|contact|learning|training|course|tuition)\s+time|time\s+(?:committed|spent|studied)"
                r"|hours\s+of\s+(?:study|training|learning|instruction|tuition|attendance)"
            ),
            _NOUN,
        ),
    ],
    "issue_date": [
        (
            (
                r"date\s+of\s+(?:issue|award|certification)|issue\s+date|date\s+(?:issued|awarded|certified)|certificate\s+date|"
                r"date|issued(?:\s+on)?|"
                r"awarded(?:\s+on)?|dated"
            ),
            _NOUN,
        ),
        (r"issued\s+on|awarded\s+on|dated|issued|signed\s+on", _PHRASE),
    ],
    "start_date": [
        (
            (
                r"start(?:ing)?\s+date|date\s+started|commencement\s+date|course\s+start|from|commenced(?:\s+on)?|"
                r"started(?:\s+on)?|began|begun|start|first\s+session"
                r"|(?:course|programme|program|training)\s+(?:began|begun|started|commenced)|first\s+(?:day|class|module)"
            ),
            _NOUN,
        ),
        (
            r"commenced\s+on|started\s+on|commenced|started|(?:enrolled|registered)(?:\s+on)?" + _DATE_AHEAD,
            _PHRASE,
        ),
    ],
    "end_date": [
        (
            (
                r"end\s+date|completion\s+date|date\s+of\s+completion|date\s+completed|finish\s+date|course\s+end|to|until|"
                r"completed(?:\s+on)?|finished(?:\s+on)?|ended(?:\s+on)?|concluded(?:\s+on)?|end(?:ed)?|last\s+session"
                r"|(?:course|programme|program|training)\s+(?:ended|finished|closed)|(?:final|last)\s+(?:session|day|class)"
                r"|finish"
            ),
            _NOUN,
        ),
        (r"completed\s+on|finished\s+on|ended\s+on|(?:completed|concluded|finished)" + _DATE_AHEAD, _PHRASE),
    ],
    "period": [
        (
            (
                r"(?:training|course|programme|program)\s+(?:dates?|period)|dates?\s+of\s+(?:the\s+)?(?:training|course|"
                r"programme|program|attendance)|dates?\s+attended|dates|period|held|attended|attendance|when"
                r"|(?:dates?|period)\s+of\s+study|study\s+period"
            ),
            _NOUN,
        ),
        (r"held\s+on|held\s+from|held\s+between|attended\s+on", _PHRASE),
    ],
}
_SEPARATOR = r"\s*[:\-–—|]+\s*"


def _compile_label(pattern: str, kind: str) -> re.Pattern[str]:
    if kind == _NOUN:
        tail = rf"(?:{_SEPARATOR}(?P<value>.*)|\s*(?P<value_alone>)$)"
    else:
        tail = r"(?:\s*:?\s*(?P<value>.+)|\s*:?\s*(?P<value_alone>)$)"
    return re.compile(rf"^(?:{pattern}){tail}", re.IGNORECASE)


_LABEL_RULES = [
    (name, _compile_label(pattern, kind)) for name, rules in _LABELS.items() for pattern, kind in rules
]
# One pass decides whether a cell opens with any label at all; most lines of a certificate do not.
_ANY_LABEL = re.compile(
    "|".join(f"(?:{pattern})" for rules in _LABELS.values() for pattern, kind in rules), re.IGNORECASE
)
_ANY_LABEL_START = re.compile(
    r"(?:"
    + "|".join(pattern for rules in _LABELS.values() for pattern, kind in rules if kind == _NOUN)
    + rf")(?:{_SEPARATOR}|\s*$)",
    re.IGNORECASE,
)
# A cell that is a label and nothing else: a noun ("Participant") or a phrase standing alone ("Awarded to").
_WHOLE_LABEL = re.compile(
    r"^\s*(?:"
    + "|".join(pattern for rules in _LABELS.values() for pattern, kind in rules)
    + r")\s*[:\-–—]?\s*$",
    re.IGNORECASE,
)


def is_field_label(cell: str) -> bool:
    """Whether a cell is nothing but a field label ("Participant", "LEARNER", "Date of issue:")."""
    return bool(_WHOLE_LABEL.match(unicodedata.normalize("NFKC", cell)))


# A value ends where the next "Label:" on the same line begins ("Participant: Zoë Hours: 35").
_NEXT_LABEL = re.compile(
    r"\s+(?P<label>"
    + "|".join(pattern for rules in _LABELS.values() for pattern, kind in rules if kind == _NOUN)
    + r")\s*:",
    re.IGNORECASE,
)


# --- prose -----------------------------------------------------------------------------------

_NAME_CHARS = r"[^\W\d_][^\n,;:()|]{1,80}?"
_HONORIFIC = r"(?-i:(?:Mr|Mrs|Ms|Mx|Dr|Prof|Assoc|Asst)\.)"
# An organisation's name in running text: capitalised words, joined by "of", "and", "&", "for", "the".
_ORG_RUN = r"(?-i:[A-Z][\w'’&.\-]*(?:[ \t]+(?:(?:of|and|&|for|the|de|du|la|in)[ \t]+)*[A-Z][\w'’&.\-]*)*)"
# A name as capitalised words, with an optional honorific and lower-case particles ("Ms Ana de la Cruz").
_CAPITALISED_NAME = (
    r"(?-i:(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor)\.?\s+)?[A-ZÀ-ÞĀ-Ž][\w'\-]+"
    r"(?:\s+(?:[A-ZÀ-ÞĀ-Ž][\w'\-]*|van|von|de|da|del|der|di|du|la|le|bin|al|dos|das)){1,4})"
)
_TITLE_END = (
    r"(?=\s*(?:$|[,;(|\n]|\.(?:\s|$)|\s+(?:delivered|provided|organi[sz]ed|run|offered|conducted|facilitated|taught|led|"
    r"hosted|accredited|held|from|on(?!\s+(?-i:[A-Z])(?!(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)"
    r"[a-z]*\b))|between|during|comprising|consisting|totall?ing|with\s+a\s+total|"
    r"for\s+a\s+total|in\s+(?:a\s+)?total|over|at\s+(?=(?-i:[A-ZÀ-Þ]))|\d+(?:[.,]\d+)?\s*(?:hours|hrs|h\b)|"
    r"(?:to\s+)?(?:a|an|the|each|every)\s+(?:learner|participant|student|candidate|trainee|delegate)s?)\b))"
)
_COMPLETION = (
    r"(?:(?:attended|participated\s+in)\s+and\s+(?:successfully\s+)?completed|"
    r"(?:was|were|has\s+been|had\s+been)\s+(?:enrolled|registered)\s+(?:on|in|for|onto)|"
    r"completed|completing|attended|attending|participated\s+in|participating\s+in|took\s+part\s+in|"
    r"taking\s+part\s+in|finished|passed|undertaken|"
    r"undertook|completion\s+of|participation\s+in|(?:fulfilled|satisfied|met|completed)\s+(?:all\s+)?(?:of\s+)?the\s+"
    r"requirements\s+(?:of|for))"
)
_PROSE: dict[str, list[re.Pattern[str]]] = {
    "participant_name": [
        re.compile(
            rf"(?:certif(?:y|ies)|confirm(?:s|ed|ing)?|verif(?:y|ies|ied)|attest(?:s|ing)?|acknowledge[sd]?|record(?:s|ing)?|"
            rf"note[sd]?|state[sd]?)\s+that\s*:?\s+(?P<value>{_NAME_CHARS})(?:\s*\([^()\n]{{0,60}}\))?\s*,?\s+(?:has|have|had|did|successfully|attended|"
            rf"completed|participated|took\s+part|finished|undertook|was|were)\b",
            re.IGNORECASE,
        ),
        re.compile(
            rf"(?<![\w'])(?P<value>{_CAPITALISED_NAME})'s?\s+(?:successful\s+|full\s+)?(?:completion|participation|attendance)\s+(?:of|in|at)\b",
            re.IGNORECASE | re.MULTILINE,
        ),
        re.compile(
            rf"(?:awarded|presented|granted|issued)\s+to\s*:?\s+(?P<value>{_NAME_CHARS})(?=\s*(?:$|[,.;]|\s+(?:for|in|on|who|upon|having)\b))",
            re.IGNORECASE | re.MULTILINE,
        ),
        re.compile(
            rf"^(?P<value>{_NAME_CHARS})\s+(?:(?:has|have)\s+(?:successfully\s+)?|successfully\s+)"
            rf"(?:completed|attended|participated|fulfilled)\b",
            re.IGNORECASE | re.MULTILINE,
        ),
        # Third-person records: "Ms Greta Lind (student number 2169889) was enrolled on our course …".
        re.compile(
            rf"(?:^|[.!?]\s+)(?P<value>{_CAPITALISED_NAME})(?:\s*\([^()\n]{{0,60}}\))?\s*,?\s+(?-i:(?:was|were|has\s+been|"
            rf"had\s+been)\s+(?:enrolled|registered)\s+(?:on|in|for|onto))\b",
            re.IGNORECASE | re.MULTILINE,
        ),
    ],
    "programme": [
        re.compile(
            r"\d+(?:[.,]\d+)?\s*(?:contact\s+|cpd\s+|training\s+)?(?:hours|hrs)\s+of\s+(?:training\s+)?(?:in|on)\s+"
            r"(?:the\s+)?(?P<value>[^\n]{1,150}?)" + _TITLE_END,
            re.IGNORECASE,
        ),
        re.compile(_COMPLETION + r"[^\n\"]{0,60}?\"(?P<value>[^\"\n]{3,150})\"", re.IGNORECASE),
        re.compile(
            _COMPLETION + r"\s*:?\s+(?:all\s+(?:the\s+)?requirements\s+(?:of|for)\s+)?(?:the\s+|a\s+|an\s+)?"
            r"(?:(?:our[^\S\n]+)?(?:(?:training|short|online|non-award|award-bearing|accredited|cpd|professional|"
            r"e-learning)[^\S\n]+){0,2}(?:course|programme|program|module)[^\S\n]*(?:(?:entitled|titled|called|in|on|of)"
            r"[^\S\n]*)?:?[^\S\n]+(?=(?-i:[A-ZÀ-Þ])))?"
            r"(?P<value>[^\n\"]{1,150}?)" + _TITLE_END,
            re.IGNORECASE,
        ),
    ],
    "training_centre": [
        re.compile(
            rf"(?:^|\.\s+)(?:the\s+)?(?:(?:board|council|trustees|directors|governors|senate|faculty)\s+of\s+(?:the\s+)?)?"
            rf"(?P<value>{_ORG_RUN})[ \t]+(?-i:(?:hereby[ \t]+)?(?:certifies|certify|confirms|awards|is[ \t]+pleased[ \t]+to))\b",
            re.IGNORECASE | re.MULTILINE,
        ),
        re.compile(
            r"(?:delivered|provided|organi[sz]ed|offered|run|conducted|hosted|accredited|awarded|issued|presented|"
            r"certified|granted|endorsed|validated)\s+by\s*:?\s+"
            r"(?:the\s+)?(?P<value>[^\n]{1,150}?)" + _TITLE_END,
            re.IGNORECASE,
        ),
        re.compile(
            r"\bat\s+(?:the\s+)?(?P<value>[A-Z][^\n,;(]{0,120}?\b(?:Academy|Centre|Center|College|Institute|School|University|"
            r"Ltd|Limited|Trust|Foundation|Association|Society)\b\.?)"
        ),
    ],
    "instructor": [
        re.compile(
            rf"(?:taught|facilitated|led|instructed|trained|supervised)\s+by\s*:?\s+(?P<value>(?:{_HONORIFIC}\s+)*{_NAME_CHARS})"
            rf"(?=\s*(?:$|[,.;(]|\s+(?:on|at|from|of|in)\b))",
            re.IGNORECASE | re.MULTILINE,
        ),
    ],
}

_COMPLETION_LINE_END = re.compile(
    _COMPLETION
    + r"(?:\s+(?:all\s+(?:the\s+)?requirements\s+(?:of|for)|the\s+requirements\s+(?:of|for)))?(?:\s+(?:the|a|an|our))?"
    r"(?:\s+(?:[\w-]+\s+)?(?:training\s+)?(?:programme|program|course|training|workshop|module|qualification|award))?"
    r"(?:\s+(?:entitled|titled|called|in|on|of))?\s*:?$",
    re.IGNORECASE,
)
# "having attended 24 contact hours of instruction in" over the title: a subject introduced at a line's end.
_SUBJECT_LINE_END = re.compile(
    r"\b(?:(?:hours?|days?|weeks?|sessions?)\s+of\s+)?(?:instruction|training|tuition|teaching|study|coursework)"
    r"\s+(?:in|on)\s*:?$",
    re.IGNORECASE,
)
# "Be it known that" or "This is to certify that" over the participant's name on a line of its own.
_NAME_LINE_END = re.compile(
    r"\b(?:known|certif(?:y|ies)|confirm(?:s|ed)?|attest(?:s|ed)?|record(?:s|ed)?|verif(?:y|ies|ied)|"
    r"acknowledge[sd]?|state[sd]?|declare[sd]?|witness(?:es|ed)?)\s+that\s*:?$"
    # The same in the languages bilingual certificates pair with English: "Se certifica que", "Nous attestons
    # que", "Hiermit wird bestätigt, dass".
    r"|\b(?:certifica|certificamos|constar|hace\s+constar|attestons|certifions|certifie|atteste|confirmons|"
    r"bestätigt|bescheinigt|bescheinigen|bestätigen)\s*,?\s+(?:que|dass|daß)\s*:?$",
    re.IGNORECASE,
)
# A lead-in in any language ends in its word for "that" ("que", "dass", "che").
_THAT_END = re.compile(r"\b(?:that|que|dass|daß|che|dat|att)\s*:?$", re.IGNORECASE)
_NOT_TRAINING_PERIOD = re.compile(
    r"\b(?:valid(?:ity)?|expir\w*|renew\w*|membership|registration\s+period)\b[^\n.]*$", re.IGNORECASE
)
_ISSUE_PROSE = re.compile(
    r"\b(?:issued|awarded|dated|signed|given|certified|done|made)\s+(?:under\s+(?:our|my|the|its)\s+(?:hand\s+and\s+)?"
    r"(?:common\s+)?seal\s+)?"
    # "Issued in Montreal on …", "Signed at Porto, …": the place where it was issued before the date.
    r"(?:(?:in|at)\s+[A-ZÀ-Þ][\w'’\-]*(?:\s+[A-ZÀ-Þ][\w'’\-]*){0,3}\s*,?\s+)?(?:on\s+|this\s+)?(?:the\s+)?$",
    re.IGNORECASE,
)
# A sentence may run over lines ("has completed … / provided by … / on 12 May 2023"), never past its full stop.
_END_PROSE = re.compile(
    r"\b(?:completed|completing|finished|ended|completion)\b(?:\s*\|)?[^.!?|]{0,140}?\bon\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# "Minimum for the award: 20 hours", "at least 30 hours": what is required, not what was done.
_REQUIRED_HOURS = re.compile(
    r"\b(?:minimum|min\.|at\s+least|required|requirement|requires|maximum|up\s+to|no\s+fewer\s+than)\b[^.\n|]*$",
    re.IGNORECASE,
)
_HOURS_COLUMN = re.compile(
    r"^(?:hours?|hrs\.?|duration|contact\s+hours|learning\s+hours|study\s+hours|time)$", re.I
)
_TOTAL_ROW = re.compile(r"^(?:total|totals|total\s+hours|sum|overall)\b", re.IGNORECASE)
_ONE_DAY = re.compile(
    r"\b(?:1|one|a|single)[\s-]+day\b(?!\s*(?:a|per|each)\b)|\bfull[\s-]day\b", re.IGNORECASE
)
_SINGLE_DAY_PROSE = re.compile(
    r"\b(?:attended|held|took\s+place|participated)\b[^.!?|]{0,140}?\bon\s+(?:the\s+)?$", re.IGNORECASE
)


def _table_cells(line: str) -> list[str]:
    """A table row's cells, without the rules and specks recognition reads at their edges ("Hours!", "[Module")."""
    return [cell for part in line.split("|") if (cell := part.strip(" []!()'\"~|"))]


def _any_cell(pattern: re.Pattern[str], line: str) -> re.Match[str] | None:
    """The first cell of ``line`` that ``pattern`` finds something in: a line may say it in two languages."""
    return next((found for cell in line.split(" | ") if (found := pattern.search(cell.strip()))), None)


def _split_at_labels(cell: str) -> list[str]:
    """ "Participant: Zoë Hours: 35" -> ["Participant: Zoë", "Hours: 35"]; "Start date: ..." stays whole."""
    pieces = []
    position = 0
    while True:
        # The label a piece opens with is never split ("Start date:" holds the label "date:").
        head = _ANY_LABEL_START.match(cell, position)
        following = _NEXT_LABEL.search(cell, head.end() if head else position)
        if following is None:
            pieces.append(cell[position:].strip())
            return [piece for piece in pieces if piece]
        pieces.append(cell[position : following.start()].strip())
        position = following.start("label")


_SENTENCE_END = re.compile(
    r"(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bMrs)(?<!\bMx)(?<!\bProf)(?<!\b[A-Z])[.!?](?=\s+[A-Z])"
)
_DATE_LINE = re.compile(
    r"^(?:(?:date|dated)\s*[:\-]?\s*|[A-Z][a-z]+,\s+)?(?P<date>.{6,30}?)\.?$", re.IGNORECASE
)


_COURSE_LINE_END = re.compile(r"\b(?:course|programme|program|module|workshop)\s*:?$", re.IGNORECASE)
_TITLE_BREAK = re.compile(r"(?:\b(?:and|of|for|in|on|the|to|with|&)|[:,–\-])$", re.IGNORECASE)
_PROSE_START = re.compile(
    r"^(?:issued|awarded|delivered|provided|presented|signed|dated|has|have|was|is|on|from|by)\b",
    re.IGNORECASE,
)


class _Finder:
    def __init__(self, text: str, blocks: list[Block] | None = None) -> None:
        if blocks is None:
            blocks = [Block(role_of_text(line), [line]) for line in normalise_text(text).split("\n") if line]
        self.blocks = [_normalised_block(block) for block in blocks]
        self.blocks = [block for block in self.blocks if block.lines]
        # A paragraph wrapped over several lines reads as one line, so a title cut at a line break stays whole.
        self.text = "\n".join(
            " ".join(block.lines) if block.role == PROSE else "\n".join(block.lines) for block in self.blocks
        )
        self.lines = self.text.split("\n")
        self.facts = CertificateFacts()
        self._dates_claimed: set[str] = set()
        # "03/11/2024" under an address in the USA is 11 March; in Australia, 3 November; elsewhere unread.
        # A numeric date that proves its order ("14/10/2024") decides the others, as in find_dates.
        self.order_hint = proven_order(self.text) or country_order(self.text)

    # -- recording --

    def evidence(self, start: int, end: int | None = None) -> str:
        end = end if end is not None else start
        # Only the neighbourhood is searched: a pathological single-line text must not cost a scan per fact.
        first = self.text.rfind("\n", max(0, start - 400), start) + 1 or max(0, start - 400)
        first = max(first, start - 400)
        last = self.text.find("\n", end, end + 400)
        last = last if last != -1 else min(len(self.text), end + 400)
        if last - first > 200:
            # In a long paragraph the sentence that says it is the evidence, not the whole paragraph.
            boundaries = [m.end() for m in _SENTENCE_END.finditer(self.text, first, start)]
            first = boundaries[-1] if boundaries else first
            following = _SENTENCE_END.search(self.text, end, last)
            last = following.start() + 1 if following else last
        snippet = self.text[first : last if last != -1 else len(self.text)].replace("\n", " ")
        return snippet.strip()[:300]

    def offer(self, name: str, value: Any, evidence: str) -> bool:
        if value is None or getattr(self.facts, name) is not None:
            return False
        if any(item.field == name for item in self.facts.ambiguous):
            return False
        setattr(self.facts, name, value)
        self.facts.evidence[name] = evidence
        region = self._region_of(evidence)
        if region is not None:
            self.facts.regions[name] = region
        return True

    def _region_of(self, evidence: str) -> dict[str, Any] | None:
        """Where on the page image an OCR'd fact's evidence stands, in the image's pixels, for a reviewer to see."""
        if not evidence:
            return None
        for block in self.blocks:
            if block.bbox is None or block.conf is None:
                continue  # only recognised words carry positions in the image a reviewer can be shown
            text = " ".join(block.lines)
            if any(line and line in evidence for line in block.lines) or evidence[:60] in text:
                return {"page": block.page, "box": [round(value, 1) for value in block.bbox]}
        return None

    def offer_date(self, name: str, mention: DateMention, evidence: str) -> None:
        if name in self._dates_claimed:
            return
        self._dates_claimed.add(name)
        if mention.ambiguous and self.order_hint:
            mention = resolve(mention, self.order_hint)
        if mention.ambiguous:
            self.facts.ambiguous.append(AmbiguousDate(name, mention.text, mention.readings, evidence))
        elif mention.precision == "day":
            self.offer(name, mention.value, evidence)
        else:
            self._dates_claimed.discard(name)

    # -- passes --

    def run(self) -> CertificateFacts:
        self.labelled_values()
        self.prose()
        self.title_on_its_own_line()
        self.prominent_name()
        self.name_continued()
        self.self_taught()
        self.signatures()
        self.organisation()
        self.parent_body()
        self.table_of_parts()
        self.hours_anywhere()
        self.date_prose()
        self.table_period()
        self.dated_line()
        return self.facts

    # -- a table of modules or sessions --

    def _parts_table(self) -> tuple[str, list[list[str]], list[str] | None] | None:
        """A table whose header row names an hours column ("Code | Module | Began | Completed | Hours"): the
        header, its rows, and its "Total" row when it has one."""
        for index, line in enumerate(self.lines):
            header = _table_cells(line)
            if len(header) < 3 or not any(_HOURS_COLUMN.match(cell) for cell in header):
                continue
            rows: list[list[str]] = []
            for following in self.lines[index + 1 :]:
                cells = _table_cells(following)
                if cells and _TOTAL_ROW.match(cells[0]):
                    return line, rows, cells
                if len(cells) < 2:
                    break
                rows.append(cells)
            return (line, rows, None) if rows else None
        return None

    def table_of_parts(self) -> None:
        """A transcript's hours are its "Total" row: the hours column's figure, or the row's last number."""
        table = self._parts_table()
        if self.facts.hours is not None or table is None or table[2] is None:
            return
        header, _, total = table
        numbers = [cell for cell in total[1:] if re.fullmatch(r"\d{1,4}(?:[.,]\d{1,2})?", cell)]
        if numbers:
            self.offer("hours", parse_hours(numbers[-1]), f"{header} … {' | '.join(total)}")

    def table_period(self) -> None:
        """With no period stated, a table of dated parts runs from its earliest date to its latest."""
        table = self._parts_table()
        if table is None or {"start_date", "end_date"} & self._dates_claimed:
            return
        header, rows, _ = table
        per_row = [[mention for cell in row for mention in find_dates(cell)] for row in rows]
        # Only a table read cleanly: a date in the header, or a row whose dates recognition lost or ran
        # together, could hide the first or the last date, and a wrong period is worse than none.
        if (
            find_dates(header)
            or len(rows) < 2
            or len({len(dates) for dates in per_row}) != 1
            or not per_row[0]
        ):
            return
        mentions = [
            resolve(mention, self.order_hint) if mention.ambiguous and self.order_hint else mention
            for dates in per_row
            for mention in dates
        ]
        if any(m.ambiguous or m.precision != "day" for m in mentions):
            return
        first = min(mentions, key=lambda m: m.value)
        last = max(mentions, key=lambda m: m.value)
        evidence = f"{header}: {first.text} … {last.text}"
        self.offer_date("start_date", first, evidence)
        self.offer_date("end_date", last, evidence)

    def prominent_name(self) -> None:
        """The participant is the name a certificate sets largest, on a line of its own, whatever words lead
        into it ("Recognising", "Se otorga a", "is hereby presented to"): a heading that is a person's name,
        with no role or organisation beside it; the tallest such line when several are."""
        if self.facts.participant_name is not None:
            return
        found = [
            (block.size or 0.0, -order, name, line)
            for order, block in enumerate(self.blocks)
            # Never the page's first line (a title or a letterhead comes first), nor half of a logo set over
            # two lines ("KESTREL BAY" over "COACHING COLLECTIVE").
            if order > 0
            and block.role == HEADING
            and block.source not in (HEADER, FOOTER)
            and not (
                order + 1 < len(self.blocks)
                and _org_words(self.blocks[order + 1].text.split("\n")[0])
                and _title_like(self.blocks[order + 1].text.split("\n")[0])
                and _is_caps(block.text) == _is_caps(self.blocks[order + 1].text)
            )
            for line in block.lines
            if " | " not in line
            and not ROLE_WORDS.search(line)
            and not _org_words(line)
            and (name := clean_name(line))
        ]
        if found:
            _, _, name, line = max(found)
            self.offer("participant_name", name, line)

    def name_continued(self) -> None:
        """A name set large and broken over two lines ("Joaquín Andrés Irigoyen" over "Salaberry"): the
        second line, in the same size and no more than two words of a name, completes it."""
        name = self.facts.participant_name
        if name is None:
            return
        for block, following in zip(self.blocks, self.blocks[1:], strict=False):
            if block.role != HEADING or following.role != HEADING or not block.lines or not following.lines:
                continue
            if clean_name(block.lines[-1]) != name or len(following.lines[0].split()) > 2:
                continue
            if block.size and following.size and abs(block.size - following.size) > 0.1 * block.size:
                continue
            whole = clean_name(f"{name} {following.lines[0]}")
            if whole and not _org_words(following.lines[0]) and not ROLE_WORDS.search(following.lines[0]):
                self.facts.participant_name = whole
                self.facts.evidence["participant_name"] = f"{block.lines[-1]} {following.lines[0]}"
            return

    # -- the people who sign --

    def self_taught(self) -> None:
        """ "I taught the course myself" over "Yours sincerely, / Ana Silva": the writer is the instructor."""
        said = _WRITER_TAUGHT.search(self.text)
        if said is None or self.facts.instructor is not None:
            return
        found = closing_name(self.lines)
        if found is not None:
            self.offer("instructor", found[0], f"{self.evidence(said.start(), said.end())} {found[1]}")

    def signatures(self) -> None:
        """Names beside or above a role ("Signed: Ana Silva, Course Tutor"; "Prof. Ana Silva" over "Programme Director")."""
        found = find_signers(self.blocks)
        if self.facts.programme:
            # "Mentor Bootcamp: Sponsoring Talent" is the programme's title, not a mentor and a name.
            found = [signer for signer in found if self.facts.programme not in signer.evidence]
        self.facts.signers = [signer.name for signer in found]
        teaching = [signer for signer in found if signer.rank > 0]
        if teaching:
            best = max(teaching, key=lambda signer: signer.rank)
            self.offer("instructor", best.name, best.evidence)

    # -- the organisation that issued it --

    def organisation(self) -> None:
        if self.facts.training_centre is not None:
            return
        best = find_organisation(
            self.blocks, exclude=[self.facts.participant_name, self.facts.instructor, self.facts.programme]
        )
        if best is not None:
            self.offer("training_centre", best[0], best[1])

    def parent_body(self) -> None:
        """ "Aldermoor University | Centre for Lifelong Learning": an office or centre named beside its university
        in the letterhead issues on the university's behalf; the university is the training centre."""
        found = self.facts.training_centre
        if found is None:
            return
        if _UNIT.match(found) and not _PARENT_BODY.search(found):
            # The letterhead's first lines name the university, the next its office: "Aoraki Polytechnic" over
            # "Centre for Continuing Education".
            head = self.lines[:6]
            if any(line.strip(" .").casefold() == found.casefold() for line in head):
                for line in head[:3]:
                    if _PARENT_BODY.search(line) and (parent := _org_candidate(line, [])):
                        self._replace_centre(parent, line)
                        return
        for block in self.blocks[:6]:
            for line in block.lines:
                cells = [cell.strip() for cell in _CELL_SPLIT.split(line) if cell.strip()]
                parents = [cell for cell in cells if _PARENT_BODY.search(cell)]
                if len(cells) < 2 or len(parents) != 1 or _PARENT_BODY.search(found):
                    continue
                units = [cell for cell in cells if cell is not parents[0]]
                if any(found.casefold().startswith(unit.casefold()) for unit in units):
                    parent = _org_candidate(parents[0], [])
                    if parent:
                        self._replace_centre(parent, line)
                        return

    def _replace_centre(self, parent: str, line: str) -> None:
        self.facts.training_centre = parent
        self.facts.evidence["training_centre"] = line
        self.facts.regions.pop("training_centre", None)
        if (region := self._region_of(line)) is not None:
            self.facts.regions["training_centre"] = region

    def _cells(self) -> list[tuple[str, int]]:
        """Table cells and "Label: value" stretches, each with the line it came from."""
        cells = []
        for index, line in enumerate(self.lines):
            for cell in _CELL_SPLIT.split(line):
                cells.extend((piece, index) for piece in _split_at_labels(cell))
        return cells

    def labelled_values(self) -> None:
        cells = self._cells()
        for position, (cell, line_index) in enumerate(cells):
            if not _ANY_LABEL.match(cell):
                continue
            for name, rule in _LABEL_RULES:
                match = rule.match(cell)
                if not match:
                    continue
                evidence = self.lines[line_index]
                value = match.group("value")
                if value is None or not value.strip():
                    if position + 1 >= len(cells):
                        continue
                    value, next_line = cells[position + 1]
                    if _ANY_LABEL_START.match(value):
                        continue
                    if next_line != line_index:
                        evidence = f"{evidence} {self.lines[next_line]}"
                if self._take_labelled(name, value, evidence):
                    break

    def _take_labelled(self, name: str, value: str, evidence: str) -> bool:
        value = _NEXT_LABEL.split(value, maxsplit=1)[0].strip()
        if not value:
            return False
        if name in ("participant_name", "instructor"):
            return self.offer(name, clean_name(value), evidence)
        if name in ("programme", "training_centre"):
            return self.offer(name, clean_title(value), evidence)
        if name == "hours":
            if (stated := hours_and_minutes(value)) is not None:
                return self.offer(name, stated[0], evidence)
            match = (
                _HOURS.search(value)
                or _HOURS_IN_WORDS.search(value)
                or _NUMBER.match(value)
                or _NUMBER_ALONE.match(value)
            )
            return self.offer(name, hours_in(match) if match else None, evidence)
        mentions = find_dates(value)
        periods = [period for period in find_ranges(value) if period.end is not None]
        if name == "period" or (name == "start_date" and periods):
            if periods:
                first, last = periods[0].start, periods[0].end
            elif len(mentions) >= 2:
                first, last = mentions[0], mentions[1]
            elif mentions and not re.search(
                r"\d|[-–—]|\b(?:to|until|till)\b", value.replace(mentions[0].text, "")
            ):
                # A period given as one day: the training started and ended on it (and nothing else stands
                # beside it: a second date that could not be read leaves the period unread).
                first = last = mentions[0]
            else:
                return False
            self.offer_date("start_date", first, evidence)
            self.offer_date("end_date", last, evidence)
            return True
        if not mentions:
            return False
        self.offer_date(name, mentions[0], evidence)
        return True

    def prose(self) -> None:
        for name, patterns in _PROSE.items():
            for pattern in patterns:
                for match in pattern.finditer(self.text):
                    raw = match.group("value")
                    if _ANY_LABEL_START.match(raw):
                        continue
                    if name == "programme":
                        raw = self._broken_title(match) or raw
                    if name in ("participant_name", "instructor"):
                        value = clean_name(raw)
                    else:
                        value = clean_programme(raw) if name == "programme" else clean_title(raw)
                    if name == "training_centre" and value and clean_name(value) and not _org_words(value):
                        continue  # a person is never the issuing organisation
                    if value and self.offer(
                        name, value, self.evidence(match.start("value"), match.end("value"))
                    ):
                        break
                if getattr(self.facts, name) is not None:
                    break

    def title_on_its_own_line(self) -> None:
        """ "has successfully completed the programme" with the title on the line below it; "This is to certify
        that" with the participant's name on the line below it."""
        if self.facts.participant_name is None:
            for index, line in enumerate(self.lines[:-1]):
                # In a bilingual line ("This is to certify that | Nous attestons que") any language leads in;
                # set one under the other, the lead-in's translation stands between it and the name.
                if not _any_cell(_NAME_LINE_END, line):
                    continue
                after = [self.lines[index + 1], *self.lines[index + 2 : index + 3]]
                if len(after) == 2 and (
                    clean_name(after[0].split(" | ")[0]) or not _any_cell(_THAT_END, after[0])
                ):
                    after = after[:1]
                following = after[-1]
                if name := clean_name(following.split(" | ")[0]):
                    self.offer("participant_name", name, f"{line} {following}")
                    break
        if self.facts.programme is not None:
            return
        for index, line in enumerate(self.lines[:-1]):
            if not (_any_cell(_COMPLETION_LINE_END, line) or _any_cell(_SUBJECT_LINE_END, line)):
                continue
            following = self.lines[index + 1]
            if following[:1].islower() and not _title_like(following) and index + 2 < len(self.lines):
                # "attended the training programme" over "a suivi la formation": the same words in the
                # document's other language stand between the lead-in and the title.
                following = self.lines[index + 2]
            if _ANY_LABEL_START.match(following):
                continue
            if find_dates(following) or _HOURS.search(following) or _HOURS_IN_WORDS.search(following):
                continue
            following = self._title_continued(following)
            value = clean_programme(following.split(" | ")[0])
            # After "instruction in" comes a subject, never a person, however much it looks like a name.
            subject = bool(_any_cell(_SUBJECT_LINE_END, line))
            if subject and value and [word for word in _org_words(value) if word not in _WEAK_ORG]:
                continue  # "training in" over "Leeds City Council": a place or a body, not a subject
            # "has completed the online course" names what follows as a course, even one that reads like a name,
            # when a subject's word stands in it ("Mentoring Neurodivergent Colleagues", never "Ana Silva").
            named_course = bool(_any_cell(_COURSE_LINE_END, line)) and bool(value and _org_words(value))
            if value and (subject or named_course or clean_name(value) is None):
                if self.offer("programme", value, f"{line} {following}"):
                    return

    def _broken_title(self, match: re.Match[str]) -> str | None:
        """A title on a line of its own that breaks after a joining word ("Listening, Noticing and" over
        "Responding"): the whole of it, not the part before its first comma."""
        start = match.start("value")
        if self.text.rfind("\n", match.start(), start) == -1:
            return None
        end = self.text.find("\n", start)
        line = self.text[start : end if end != -1 else len(self.text)]
        if line not in self.lines or not _TITLE_BREAK.search(line):
            return None
        joined = self._title_continued(line)
        return joined if joined != line else None

    def _title_continued(self, first: str) -> str:
        """ "Mentoring Essentials: Listening, Questioning and" over "Feedback": a title broken after a joining word."""
        index = self.lines.index(first)
        if index + 1 >= len(self.lines) or " | " in first or not _TITLE_BREAK.search(first):
            return first
        rest = self.lines[index + 1]
        if (
            len(rest.split()) > 6
            or " | " in rest
            or not rest[:1].isupper()
            or _ANY_LABEL_START.match(rest)
            or find_dates(rest)
            or _PROSE_START.match(rest)
        ):
            return first
        return f"{first} {rest}"

    def hours_anywhere(self) -> None:
        if self.facts.hours is not None:
            return
        if (stated := hours_and_minutes(self.text)) is not None:
            self.offer("hours", stated[0], self.evidence(stated[1].start(), stated[1].end()))
            return
        best: tuple[int, Decimal, int, int] | None = None
        matches = [*_HOURS.finditer(self.text), *_HOURS_IN_WORDS.finditer(self.text)]
        for match in sorted(matches, key=lambda item: item.start()):
            value = hours_in(match)
            if value is None or _REQUIRED_HOURS.search(self.text, max(0, match.start() - 50), match.start()):
                continue
            line = self.evidence(match.start())
            # A stated total wins; otherwise the largest figure, since parts ("10 hours of
            # supervised practice") are smaller than the whole they belong to.
            rank = 1 if re.search(r"\btotal\b", line, re.IGNORECASE) else 0
            candidate = (rank, value, match.start(), match.end())
            if best is None or candidate[:2] > best[:2]:
                best = candidate
        if best is not None:
            self.offer("hours", best[1], self.evidence(best[2], best[3]))
            return
        # "CPD: 6.5" on a line of its own: continuing professional development is counted in hours unless the
        # text says points or credits (which ``_POINTS_AS_HOURS`` reads only with their rate).
        bare = re.search(
            r"^\s*(?:total\s+)?cpd\s*[:|]\s*(?P<n>\d{1,3}(?:[.,]\d{1,2})?)\s*$", self.text, re.I | re.M
        )
        if bare is not None:
            self.offer("hours", parse_hours(bare["n"]), bare.group(0).strip())

    def dated_line(self) -> None:
        """A line that is nothing but a date, as a letter is dated under its letterhead: the date of issue."""
        # A cell of its own counts too: the date often stands beside the recipient's address.
        alone = [self._date_alone(line.replace(" | ", " ")) is not None for line in self.lines]
        for index, whole in enumerate(self.lines):
            if alone[index] and any(alone[max(0, index - 1) : index] + alone[index + 1 : index + 2]):
                continue  # dates in a column whose labels were lost: which one is the issue date is unknown
            for line in _CELL_SPLIT.split(whole):
                mention = self._date_alone(line)
                if mention is not None:
                    self.offer_date("issue_date", mention, line)
                    return

    @staticmethod
    def _date_alone(line: str) -> DateMention | None:
        match = _DATE_LINE.match(line)
        if not match:
            return None
        mentions = find_dates(match["date"])
        if len(mentions) == 1 and mentions[0].text.strip() == match["date"].strip(" ,."):
            return mentions[0]
        return None

    def date_prose(self) -> None:
        for period in find_ranges(self.text):
            if _NOT_TRAINING_PERIOD.search(self.text, max(0, period.begin - 60), period.begin):
                continue  # how long the certificate is valid, not when the training ran
            if period.end is not None and period.start.precision == period.end.precision == "day":
                evidence = self.evidence(period.begin, period.finish)
                self.offer_date("start_date", period.start, evidence)
                self.offer_date("end_date", period.end, evidence)
                break
        for mention in find_dates(self.text):
            if {"issue_date", "start_date", "end_date"} <= self._dates_claimed:
                return
            before = self.text[max(0, mention.start - 160) : mention.start]
            if _ISSUE_PROSE.search(before):
                self.offer_date("issue_date", mention, self.evidence(mention.start, mention.end))
            elif _END_PROSE.search(before):
                evidence = self.evidence(mention.start, mention.end)
                self.offer_date("end_date", mention, evidence)
                if _ONE_DAY.search(self.text):
                    # A programme the certificate says lasted one day began the day it was completed.
                    self.offer_date("start_date", mention, evidence)
            elif _SINGLE_DAY_PROSE.search(before):
                evidence = self.evidence(mention.start, mention.end)
                self.offer_date("start_date", mention, evidence)
                self.offer_date("end_date", mention, evidence)


def find_facts(text: str, blocks: list[Block] | None = None) -> CertificateFacts:
    """The certificate facts stated in ``text``, each with the line that supports it.

    With ``blocks`` (what a reader that knows the layout returns), headings, page headers and
    signature blocks are told apart from the body; with text alone, each line is judged by its wording.
    """
    return _Finder(text, blocks).run()


def _normalised_block(block: Block) -> Block:
    lines = [line for line in normalise_text("\n".join(block.lines)).split("\n") if line]
    return Block(
        block.role,
        lines,
        block.page,
        block.bbox,
        block.source,
        block.label,
        block.value,
        block.size,
        block.conf,
    )


# --- organisations -----------------------------------------------------------------------------

ORG_SHAPE = re.compile(
    r"\b(?:academy|academie|akademie|association|centre|center|college|council|foundation|gmbh|group|inc|institute|"
    r"institut|institution|limited|llc|llp|ltd|network|plc|school|society|trust|university|universit[yéà]|"
    r"collective|consultancy|consulting|consultants|partnership|partners|agency|hub|guild|alliance|federation|"
    r"studio|studios|lab|labs|company|cic|polytechnic|faculty|conservatoire|cooperative|co-operative|"
    r"fellowship|forum|board|ministry|department|bureau|practice|associates|training|seminars|workshop|coaching|"
    r"mentoring|leadership|learning|development|education|solutions|services|consultants|health|care|housing|"
    r"borough|press|media|systems|works|"
    # The same shapes in the languages certificates often come in.
    r"instituto|istituto|institut|universidad|universidade|università|universität|hochschule|akademie|academia|"
    r"école|ecole|escuela|escola|scuola|schule|fundación|fundação|fondazione|stiftung|centro|centrum|zentrum|"
    r"colegio|collège|société|sociedad|verein|gesellschaft|groupe|gruppe|grupo|asociación|associação|fédération|"
    r"federación|verband|stichting|organisation|organización)\b\.?",
    re.IGNORECASE,
)
# Words that make a line a document title or a sentence, never the issuer's name.
_NOT_ORG = re.compile(
    r"^(?:certificate|certification|certifies|certify|diploma|award|letter|statement|record|confirmation|"
    r"transcript|to\s+whom|reference|dear|re:|subject|this\s+is|presented|awarded|in\s+recognition|"
    r"congratulations|signed|signature|date|page)\b|\bcertificate\s+of\b|^of\s+(?:completion|attendance|achievement)"
    # A document's own title ("Academy Certificate", "Attestation de participation") names no issuer.
    r"|\b(?:certificate|attestation|diploma|transcript|constancia|certificat|zertifikat|teilnahmebescheinigung)\b",
    re.IGNORECASE,
)
# Words that suggest a business rather than a person, but also stand in programme titles.
_WEAK_ORG = {
    "training", "workshop", "practice", "board", "department", "faculty", "forum", "coaching", "mentoring",
    "leadership", "learning", "development", "education", "solutions", "services", "health", "care", "housing",
    "borough", "press", "media", "systems", "works", "seminars",
}  # fmt: skip
_CONNECTOR_END = re.compile(r"\b(?:of|for|and|&|the|in|on)$", re.IGNORECASE)
_CONNECTOR_START = re.compile(r"^(?:of|for|and|&|in|on)\b", re.IGNORECASE)
_DEPARTMENT = re.compile(
    r"^(?:[—–\-|·•]\s*)?(?:registry|office|department|dept\.?|faculty|division|unit|registrar|"
    r"examinations|admissions|continuing|professional\s+development\s+unit)\b",
    re.IGNORECASE,
)
# The bodies that hold offices, centres and schools of their own.
_PARENT_BODY = re.compile(
    r"\b(?:university|universit[éàä]|universidad|universidade|università|universität|college|polytechnic)\b",
    re.IGNORECASE,
)
# A logo's mark set before the name ("◆ Guild of …"), a bullet or a dash.
_ORNAMENT = re.compile(r"^[^\w\s(\"'][\s\W]*(?=\w)")
# A line that is nothing but a role: "Head of Education", "Learning Designer", "Course Author".
ROLE_LINE = re.compile(
    r"^(?:(?:senior|junior|deputy|assistant|associate|acting|interim|lead|principal|chief)\s+)?"
    r"(?:head\s+of\s+[\w ]{3,40}|(?:learning|instructional)\s+designer|course\s+author|accredited\s+trainer|"
    r"(?:[\w-]+\s+)?(?:director|manager|coordinator|co-ordinator|officer|tutor|trainer|lecturer|facilitator)"
    r"(?:\s+(?:of|for)\s+[\w ]{3,40})?)$",
    re.IGNORECASE,
)
# An office, school or centre within a larger body.
_UNIT = re.compile(
    r"^(?:the\s+)?(?:office|school|centre|center|unit|department|faculty|division)\s+(?:of|for)\b",
    re.IGNORECASE,
)
# "Extramural Studies Unit", "Continuing Education Office": a unit named by its last word, within a body.
_UNIT_END = re.compile(r"\b(?:unit|office|department|dept\.?|division|registry|section)$", re.IGNORECASE)
_PART_SPLIT = re.compile(r"\s+[—–|·•]\s+|\s+-\s+")
# Words that name the body behind a certificate in its sentences: "on behalf of", "issued by", "a programme of".
_SENDER_HINT = re.compile(
    r"\b(?:on\s+behalf\s+of|issued\s+by|awarded\s+by|delivered\s+by|run\s+by|offered\s+by|provided\s+by|"
    r"organi[sz]ed\s+by|accredited\s+by|(?:a|an)\s+(?:programme|program|course|initiative|activity|event)\s+"
    rf"(?:of|by|from|run\s+by))\s+(?:the\s+)?(?P<org>{_ORG_RUN})",
    re.IGNORECASE,
)


_CONNECTORS = {
    "of", "for", "and", "&", "the", "in", "on", "at", "de", "du", "des", "la", "le", "el", "del", "y", "et",
    "für", "und", "der", "di", "da", "do", "dos",
}  # fmt: skip


def _title_like(line: str) -> bool:
    """Every word capitalised but the joining ones: how a name of a body is set, never a sentence."""
    words = [word for word in re.split(r"[\s|·•,]+", line) if word and word[0].isalpha()]
    return bool(words) and all(word[0].isupper() or word.casefold() in _CONNECTORS for word in words)


def _bare(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


# The same shapes with their accents taken off, for text read without them.
_ORG_SHAPE_BARE = re.compile(_bare(ORG_SHAPE.pattern), re.IGNORECASE)


def _is_caps(line: str) -> bool:
    letters = [char for char in line if char.isalpha()]
    return len(letters) >= 3 and sum(char.isupper() for char in letters) / len(letters) > 0.85


def _org_words(line: str) -> list[str]:
    """The words of ``line`` that name kinds of bodies; "FUNDACION" as recognition reads it is "Fundación"."""
    found = ORG_SHAPE.findall(line)
    bare = _bare(line)
    seen = {_bare(word).casefold() for word in found}
    found += [word for word in _ORG_SHAPE_BARE.findall(bare) if word.casefold() not in seen]
    return [word.casefold().rstrip(".") for word in found]


def _org_candidate(line: str, excluded: list[str]) -> str | None:
    """The organisation named on a line, or ``None``: not a title, a sentence, a date or a person."""
    line = _ORNAMENT.sub("", line.strip(" |"))
    if ROLE_LINE.match(line):
        return None  # "Head of Education" under a signature is the signer's role, not the issuer
    if _ANY_LABEL_START.match(line) and ":" in line:
        return None  # "Programme title: Foundations of …" states another field
    if not line or _NOT_ORG.search(line) or re.search(r"\d|@|https?:|www\.", line) and not _org_words(line):
        return None
    # "Harbour University — Registry of Awards": the part that names the body, not the office within it.
    parts = [part for part in _PART_SPLIT.split(line) if part.strip()]
    if len(parts) > 1:
        named = [part for part in parts if _org_words(part) and not _DEPARTMENT.match(part)]
        line = named[0] if named else parts[0]
    line = line.strip(" ,.;:|")
    if re.search(r"\d", line) or "@" in line or _DEPARTMENT.match(line):
        return None
    words = line.split()
    if not (1 <= len(words) <= 10) or words[0][:1].islower():
        return None
    if re.search(r"[.!?]$", line) or re.search(
        r"\b(?:has|have|is|was|were|will|this|that|we|our|you|your)\b", line, re.IGNORECASE
    ):
        return None
    first_lower = next(
        (
            i
            for i, w in enumerate(words)
            if w[0].isalpha() and w[0].islower() and w.casefold() not in _CONNECTORS
        ),
        None,
    )
    if (
        first_lower is not None
        and (person := clean_name(" ".join(words[:first_lower])))
        and not _org_words(person)
    ):
        return (
            None  # "Ana Silva attended the training programme": a person doing something, not a body's name
        )
    if clean_name(line) is not None and not _org_words(line):
        return None  # a person's name in a heading ("Zoë O'Brien") is the participant, not the issuer
    folded = line.casefold()
    for other in excluded:
        # A person already read (participant, instructor) never names the issuer; the programme's title
        # only when it is the whole line, since an institute may carry its subject in its name.
        if other.casefold() == folded or (clean_name(other) and other.casefold() in folded):
            return None
    return clean_title(line)


def find_organisation(blocks: list[Block], exclude: list[str | None] = ()) -> tuple[str, str] | None:
    """The issuing organisation from the letterhead, page header, headings, a sender or signature block.

    Returns ``(name, evidence)``. A line shaped like an organisation's name (Ltd, University, School
    of …, Collective) wins; failing that, the first heading at the top that is neither a title nor a person.
    """
    excluded = [item for item in exclude if item]
    candidates: list[tuple[float, int, str, str]] = []
    lines: list[tuple[Block, str]] = [(block, line) for block in blocks for line in block.lines]
    for index, (block, line) in enumerate(lines):
        sender = _SENDER_HINT.search(line)
        if sender and (value := _org_candidate(sender["org"], excluded)):
            # "on behalf of" names a body whatever its name; the other phrases ("a course of Forty-five
            # hours") only when what follows is shaped like an organisation's name.
            if sender.group(0).casefold().startswith("on") or _org_words(value):
                candidates.append((9, index, value, line))
                continue
        if block.role in (PROSE, LABEL_VALUE) and block.source not in (HEADER, FOOTER):
            continue
        text = line
        joined, evidence = _join_logo(lines, index)
        if joined is None and _CONNECTOR_START.match(text.strip()):
            continue  # "FOR MENTORING": the second half of a name whose first half could not be joined
        value = _org_candidate(joined or text, excluded)
        if value is None:
            # "Director, Meridian Coaching": the organisation after a signer's role.
            role_org = re.match(r"^[^,]{2,60}?\b(?:,|\bat|\bof)\s+(?:the\s+)?(?P<org>[A-Z].{2,80})$", line)
            if block.role == SIGNATURE and role_org and ROLE_WORDS.search(line.split(",")[0]):
                value = _org_candidate(role_org["org"], excluded)
            if value is None:
                continue
        shape = [word for word in _org_words(value) if word not in _WEAK_ORG]
        score = 0.0
        score += 4 if shape else (1 if _org_words(value) else 0)
        score += 2 if block.source == HEADER else (-1 if block.source == FOOTER else 0)
        score += 1.5 if block.role == HEADING else 0
        score += 2 if joined and value == clean_title(joined) else 0  # the whole logo beats either half
        score += 1 if index < 4 else 0
        score += 0.5 if _is_caps(line) or (block.size and block.role == HEADING) else 0
        if not shape and block.role not in (HEADING,) and block.source != HEADER:
            if not _org_words(value):
                continue  # a plain short line in the body is not a letterhead
        if not shape and not _org_words(value) and index >= 6:
            continue
        candidates.append((score, index, value, evidence or line))
    if not candidates:
        return None
    _, _, value, evidence = max(candidates, key=lambda item: (item[0], -item[1]))
    return value, evidence


def _join_logo(lines: list[tuple[Block, str]], index: int) -> tuple[str | None, str | None]:
    """A name set over two heading lines ("NORTHGATE INSTITUTE OF" / "PROFESSIONAL PRACTICE") read as one."""
    block, line = lines[index]
    if index + 1 >= len(lines):
        return None, None
    after_block, after = lines[index + 1]
    if not {block.role, after_block.role} <= {HEADING, LINE} or (
        HEADING not in (block.role, after_block.role) and index >= 3
    ):
        return None, None  # a logo is set large, or at the very top of the page
    # In a letterhead laid out in columns, the logo is the first cell of each line.
    line, after = line.split(" | ")[0], after.split(" | ")[0]
    if min(len(re.sub(r"\W", "", line)), len(re.sub(r"\W", "", after))) < 3:
        return None, None  # "Pk" over the name: a speck that recognition read, not half of a logo
    if (
        _NOT_ORG.search(after)
        or _DEPARTMENT.match(after)
        or _UNIT_END.search(after)
        or re.search(r"\d", after)
        or re.search(r"\d", line)
    ):
        return None, None
    same_look = _is_caps(line) == _is_caps(after)
    joins = _CONNECTOR_END.search(line) or _CONNECTOR_START.match(after)
    short_halves = (
        len(line.split()) <= 3
        and len(after.split()) <= 4
        and bool(_org_words(line)) != bool(_org_words(after))
    )
    if same_look and (joins or short_halves):
        return f"{line} {after}", f"{line} {after}"
    return None, None


# --- signers -----------------------------------------------------------------------------------

_TEACHING = re.compile(
    r"\b(?:tutor|facilitator|trainer|instructor|lecturer|teacher|educator|presenter|course\s+(?:leader|director|lead)|"
    r"programme\s+(?:leader|lead)|program\s+(?:leader|lead))s?\b",
    re.IGNORECASE,
)
_LEADING = re.compile(
    r"\b(?:director|lead|leader|coordinator|co-ordinator|head|convenor|convener|supervisor|mentor|coach|"
    r"course\s+author|(?:learning|instructional)\s+designer)s?\b",
    re.IGNORECASE,
)
_SIGNED = re.compile(r"^(?:signed|signature|sign)\b\s*(?:by)?\s*[:\-–]?\s*", re.IGNORECASE)
_ROLE_NAME = re.compile(
    r"^(?P<role>[^:|]{3,60}?)\s*:\s*(?P<name>[^:|]{3,80})$"
)  # "Director of Studies: Dr Ruth Kamau"
_NAME_ROLE = re.compile(r"^(?P<name>[^,|–—]{3,80}?)\s*(?:,|\||–|—|\s-\s|\()\s*(?P<role>[^|]{3,80}?)\)?$")


CLOSING = re.compile(
    r"^(?:yours\s+(?:faithfully|sincerely|truly|ever)|(?:with\s+)?(?:kind|kindest|best|warm|warmest|many)\s+"
    r"(?:regards|wishes|thanks)|regards|sincerely|(?:with\s+)?(?:many\s+)?thanks|respectfully|all\s+the\s+best|"
    r"cheers|best)\b[,.!]?\s*$",
    re.IGNORECASE,
)
_WRITER_TAUGHT = re.compile(
    r"\bI\s+(?:myself\s+|personally\s+)?(?-i:taught|led|facilitated|delivered|tutored|ran|was\s+the\s+"
    r"(?:course\s+)?(?:tutor|instructor|facilitator|trainer|lecturer))\s+(?:the|this|that|each|every|all)\b"
    r"[^.\n]{0,60}?(?:course|programme|program|module|workshop|training|sessions?)\b",
    re.IGNORECASE,
)


# Any short sign-off ending in a comma ("Warmly,", "Take care,", "Un saludo,"), a greeting excepted: known by
# its shape where no closing word above matches, and only with a name on the line below.
_CLOSING_SHAPE = re.compile(
    r"^(?!(?:dear|hello|hi|hey|to|greetings|good\s+(?:morning|afternoon|evening)|attn|re|subject|dates?)\b)"
    r"[^\W\d_][^\W\d_'’]*(?:\s+[^\W\d_][^\W\d_'’]*){0,3},\s*$",
    re.IGNORECASE,
)


def closing_name(lines: list[str]) -> tuple[str, str] | None:
    """The name under a letter's closing ("Yours faithfully,"), past a line left for the signature; failing a
    known closing word, the last short sign-off line that has a name under it."""
    found = _name_under(lines, [i for i, line in enumerate(lines) if CLOSING.match(line)])
    if found is None:
        found = _name_under(lines, [i for i, line in enumerate(lines) if _CLOSING_SHAPE.match(line)][::-1])
    return found


def _name_under(lines: list[str], closings: list[int]) -> tuple[str, str] | None:
    for index in closings:
        for following in lines[index + 1 : index + 4]:
            if re.fullmatch(r"[_.\-\s]*", following):
                continue
            name = clean_name(re.sub(r"^(?:signed|signature)\s*:?\s*", "", following, flags=re.IGNORECASE))
            if name:
                return name, following
            break
    return None


# "Verify this certificate at | https://…" beside a signature: a link, never a name or a role.
_LINK_CELLS = re.compile(
    r"\s*\|\s*(?:verif[yi]\b[^|]*|https?:[^|]*|www\.[^|]*|[^|\s]+\.[a-z]{2,}/[^|]*)(?=\s*(?:\||$))",
    re.IGNORECASE,
)


# What recognition leaves of a link or a smudge beside a role: "wry", "~", "a."
_NOISE_CELL = re.compile(r"\s*\|\s*[a-z\W]{1,4}(?=\s*(?:\||$))")


@dataclass(frozen=True)
class Signer:
    """A person named in a signature block, the role written beside them, and how much it says they taught."""

    name: str
    role: str
    evidence: str

    @property
    def rank(self) -> int:
        return 2 if _TEACHING.search(self.role) else (1 if _LEADING.search(self.role) else 0)


def _block_lines(blocks: list[Block]) -> list[tuple[Block, str]]:
    return [(block, line) for block in blocks for line in block.lines]


# Words that may stand before a role word inside a role's title ("Senior Academy Director", "Head of …").
_ROLE_QUALIFIER = re.compile(
    r"^(?:senior|chief|managing|executive|deputy|assistant|associate|general|principal|lead|programme|program|"
    r"course|training|learning|academy|academic|education|educational|clinical|technical|regional|national|"
    r"faculty|studies|interim|acting|joint|co-?)$",
    re.IGNORECASE,
)


# Words of a job title or a team that look like a name's when capitalised ("HR Business Partner").
_JOB_TITLE_WORDS = {
    "business", "scheme", "people", "human", "resources", "team", "staff", "talent", "operations", "services",
    "support", "quality", "project", "product", "programme", "program", "office", "general", "apprenticeship",
}  # fmt: skip


def _title_words(name: str) -> bool:
    """Whether a would-be name is part of a job title: an acronym ("HR"), a body's or a title's word."""
    words = name.split()
    acronym = any(2 <= len(word) <= 4 and word.isupper() for word in words) and not name.isupper()
    return (
        acronym
        or bool(_org_words(name))
        or any(word.casefold() in _JOB_TITLE_WORDS or _ROLE_QUALIFIER.match(word) for word in words)
    )


def name_then_role(cell: str) -> tuple[str, str] | None:
    """ "Hamish Strachan-Goudie Academy Director", "Ana Silva Director, Castellan Bank": a name run straight
    into its role, with no comma or bar between; the role starts at its first role word or the qualifiers
    before it."""
    words = cell.split()
    # "DIRECTOR Ana Silva Academy Director": a caption in capitals that recognition set before the name.
    while (
        len(words) > 3 and words[0].isupper() and (ROLE_WORDS.fullmatch(words[0]) or is_field_label(words[0]))
    ):
        words = words[1:]
    for index, word in enumerate(words[2:], start=2):
        if not ROLE_WORDS.fullmatch(word.strip(",;:")):
            continue
        start = index
        while start > 2 and _ROLE_QUALIFIER.match(words[start - 1]):
            start -= 1
        name = clean_name(" ".join(words[:start]))
        if name and len(name.split()) <= 5 and not _title_words(name):
            return name, " ".join(words[start:])
        return None
    return None


def find_signers(blocks: list[Block]) -> list[Signer]:
    """People beside their roles: "Signed: <name>, <role>", "<name> | <role>", or a name line over a role line."""
    lines = [_NOISE_CELL.sub("", _LINK_CELLS.sub("", line)) for block in blocks for line in block.lines]
    paired = {index for index, (block, _) in enumerate(_block_lines(blocks)) if block.role == LABEL_VALUE}
    signers: list[Signer] = []
    for index, line in enumerate(lines):
        if not ROLE_WORDS.search(line) or len(line.split()) > 14:
            continue
        named = False
        for cell in line.split(" | "):
            match = _NAME_ROLE.match(_SIGNED.sub("", cell).strip()) or _ROLE_NAME.match(cell.strip())
            if match and ROLE_WORDS.search(match["role"]) and (name := clean_name(match["name"])):
                signers.append(Signer(name, match["role"].strip(), line))
                named = True
            elif (joined := name_then_role(_SIGNED.sub("", cell).strip())) is not None:
                signers.append(Signer(*joined, line))
                named = True
        if named:
            continue
        bare = _SIGNED.sub("", line).strip()
        # The role on a line of its own, the name on the line above (past a line for the signature).
        cells = [cell.strip() for cell in line.split("|")]
        # A row of captions may hold a role beside a field's caption ("PROGRAMME DIRECTOR | DATE").
        roles = [bool(ROLE_WORDS.search(cell)) for cell in cells]
        if all(role or not cell for role, cell in zip(roles, cells, strict=True)):
            if len(bare.split()) > 8:
                continue
        elif index in paired or not all(
            (role and len(cell.split()) <= 5) or not cell or is_field_label(cell)
            for role, cell in zip(roles, cells, strict=True)
        ):
            continue
        if not any(roles):
            continue
        above = index - 1
        while above >= 0 and (
            re.fullmatch(r"[_.\-–—\s|]*|(?i:signed|signature)\s*:?", lines[above]) or lines[above] == ""
        ):
            above -= 1
        if above < 0:
            continue
        names = [cell.strip() for cell in lines[above].split("|")]
        if len(names) == len(cells) and not all(roles):
            names = [raw for raw, role in zip(names, roles, strict=True) if role]
            cells = [cell for cell, role in zip(cells, roles, strict=True) if role]
        elif len(names) != len(cells):
            # "Dr. Felix Obi | Date: 30 September 2024" over "Lead Facilitator": the one cell that is a name.
            people = [raw for raw in names if clean_name(_SIGNED.sub("", raw))]
            names, cells = (
                (people, [" ".join(cells)]) if len(people) == 1 else ([lines[above]], [" ".join(cells)])
            )
        for raw, role in zip(names, cells, strict=True):
            name = clean_name(_SIGNED.sub("", raw))
            if name:
                signers.append(Signer(name, role, f"{lines[above]} {line}"))
    return signers
