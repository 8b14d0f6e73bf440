"""Find the dates written in a document's text, and say which ones cannot be read without guessing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip

_MONTH = r"(?P<{name}>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<{name}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{name}>(?:19|20)\d\d)"
ROMAN_MONTHS = {
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
    "v": 5,
    "vi": 6,
    "vii": 7,
    "viii": 8,
    "ix": 9,
    "x": 10,
    "xi": 11,
    "xii": 12,
}
_ROMAN = r"(?-i:XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)"

# Order matters: the longer, more specific forms are tried first at each position.
_FORMS = {
    "iso": rf"{_YEAR.format(name='y')}-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)(?!\d)",
    "iso_slash": rf"{_YEAR.format(name='y')}/(?P<m>[01]?\d)/(?P<d>[0-3]?\d)(?!\d)",
    # "2025.02.04": a year written first is followed by month and day wherever dates are written so.
    "iso_dot": rf"{_YEAR.format(name='y')}\.(?P<m>[01]?\d)\.(?P<d>[0-3]?\d)(?![\d.])",
    # "7.VIII.2024": the month in Roman numerals, day first.
    "roman": rf"(?P<d>[0-3]?\d)(?P<sep>[./\-])(?P<m>{_ROMAN})(?P=sep){_YEAR.format(name='y')}",
    "numeric": rf"(?P<a>[0-3]?\d)(?P<sep>[/.\-])(?P<b>[0-3]?\d)(?P=sep){_YEAR.format(name='y')}",
    "day_month": rf"{_DAY.format(name='d')}\s+(?:day\s+of\s+|of\s+)?{_MONTH.format(name='m')},?\s+{_YEAR.format(name='y')}",
    "month_day": rf"{_MONTH.format(name='m')}\s+{_DAY.format(name='d')},?\s+{_YEAR.format(name='y')}",
    # "05-Jan-2025", "5/Jan/2025": a month's name between hyphens or slashes is day-first everywhere.
    "day_mon_dash": rf"(?P<d>[0-3]?\d)(?P<sep>[\-/]){_MONTH.format(name='m')}(?P=sep){_YEAR.format(name='y')}",
    "month_year": rf"{_MONTH.format(name='m')},?\s+{_YEAR.format(name='y')}",
}
_SAME_SEP_FIX = re.compile(r"\(\?P=sep\)")

# "1 – 30 April 2024", "1 March – 30 April 2024": the first end borrows what it left out.
_SHORT_RANGE = re.compile(
    r"(?<![\w/.\-])(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?(?:\s+(?P<m1>"
    + "|".join(sorted(MONTHS, key=len, reverse=True))
    + r")\.?)?\s*(?:-|–|—|to|until|till|through|(?<=\d)\s*and|(?<=[a-z])\s+and)\s*(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\s+(?P<m2>"
    + "|".join(sorted(MONTHS, key=len, reverse=True))
    + r")\.?,?\s+(?P<y>(?:19|20)\d\d)(?!\w)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMention:
    """One date as written: its place in the text and every calendar date it can mean.

    ``readings`` holds one date when the text is clear and two when a numeric date such as
    03/04/2024 could be day-first or month-first. Month-only mentions ("March 2024") read as the
    first of the month with ``precision == "month"``.
    """

    text: str
    start: int
    end: int
    readings: tuple[date, ...]
    precision: str = "day"
    order: str | None = None  # "dmy" or "mdy" when a numeric date proves its own order
    dotted: bool = False  # written with full stops ("05.03.2024"): the day-first convention

    @property
    def ambiguous(self) -> bool:
        return len(self.readings) > 1

    @property
    def value(self) -> date | None:
        return self.readings[0] if len(self.readings) == 1 else None


def _build_pattern() -> re.Pattern[str]:
    alternatives = []
    for kind, form in _FORMS.items():
        form = form.replace("(?P<", f"(?P<{kind}_")
        form = _SAME_SEP_FIX.sub(f"(?P={kind}_sep)", form)
        alternatives.append(f"(?P<{kind}>{form})")
    # A date written with the month's name may follow a hyphen set tight after a year: "June 3, 2022-March 2, 2023".
    start = r"(?:(?<![\w/.\-])|(?<=(?:19|20)\d\d-)(?=[^\W\d_]))"
    return re.compile(start + r"(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


_DATE = _build_pattern()


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _mention_from(match: re.Match[str]) -> DateMention | None:
    kind = match.lastgroup
    group = match.groupdict()

    def part(name: str) -> str:
        return group[f"{kind}_{name}"]

    text, start, end = match.group(0), match.start(), match.end()
    if kind == "roman":
        value = _safe_date(int(part("y")), ROMAN_MONTHS[part("m").lower()], int(part("d")))
        return DateMention(text, start, end, (value,)) if value else None
    if kind in ("iso", "iso_slash", "iso_dot"):
        value = _safe_date(int(part("y")), int(part("m")), int(part("d")))
        return DateMention(text, start, end, (value,)) if value else None
    if kind in ("day_month", "month_day", "day_mon_dash"):
        value = _safe_date(int(part("y")), MONTHS[part("m").lower()], int(part("d")))
        return DateMention(text, start, end, (value,)) if value else None
    if kind == "month_year":
        return DateMention(text, start, end, (date(int(part("y")), MONTHS[part("m").lower()], 1),), "month")
    first, second, year = int(part("a")), int(part("b")), int(part("y"))
    dotted = part("sep") == "."
    day_first = _safe_date(year, second, first)
    month_first = _safe_date(year, first, second)
    if day_first and month_first and day_first != month_first:
        return DateMention(text, start, end, (day_first, month_first), dotted=dotted)
    if day_first:
        # Only the day-first reading is a real date, so it is proof, not a guess.
        return DateMention(text, start, end, (day_first,), order="dmy" if first > 12 else None, dotted=dotted)
    if month_first:
        return DateMention(text, start, end, (month_first,), order="mdy", dotted=dotted)
    return None


# The country an address ends with (its own line, or after a comma or a dot): the USA writes numeric dates
# month-first, the countries below day-first. Anywhere else, or both at once, decides nothing.
_MONTH_FIRST_COUNTRIES = r"USA|U\.S\.A\.?|U\.S\.|United\s+States(?:\s+of\s+America)?"
_DAY_FIRST_COUNTRIES = (
    r"UK|U\.K\.|United\s+Kingdom|England|Scotland|Wales|Northern\s+Ireland|Ireland|Australia|New\s+Zealand|"
    r"South\s+Africa|India|Nigeria|Kenya|Ghana|Germany|Deutschland|France|Spain|Italy|Portugal|Netherlands|Belgium|"
    r"Austria|Switzerland|Poland|Sweden|Norway|Denmark|Finland|Iceland|Estonia|Latvia|Lithuania|Czechia|"
    r"Czech\s+Republic|Greece|Brazil|Argentina|Mexico|Singapore|Malaysia"
)
_COUNTRY_LINE = r"(?:^|[,·•|]\s*|\s[-–]\s+)(?:{})\.?\s*$"
_MONTH_FIRST_ADDRESS = re.compile(
    _COUNTRY_LINE.format(_MONTH_FIRST_COUNTRIES) + r"|\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\s*(?:[,·•|]|$)",
    re.MULTILINE,
)
_DAY_FIRST_ADDRESS = re.compile(_COUNTRY_LINE.format(_DAY_FIRST_COUNTRIES), re.MULTILINE | re.IGNORECASE)


def country_order(text: str) -> str | None:
    """ "mdy" when an address in ``text`` is in the USA, "dmy" when it is in a day-first country, else ``None``."""
    month_first = bool(_MONTH_FIRST_ADDRESS.search(text))
    day_first = bool(_DAY_FIRST_ADDRESS.search(text))
    if month_first == day_first:
        return None
    return "mdy" if month_first else "dmy"


def proven_order(text: str) -> str | None:
    """The order ("dmy" or "mdy") that the numeric dates in ``text`` prove, when they prove exactly one."""
    orders = {m.order for m in (_mention_from(match) for match in _DATE.finditer(text)) if m and m.order}
    return orders.pop() if len(orders) == 1 else None


def find_dates(text: str, hint: str | None = None) -> list[DateMention]:
    """Every date written in ``text``, in order of appearance.

    A numeric date that could be read either way stays ambiguous, unless another numeric date in
    the same text proves the order (25/04/2024 proves day-first) and none proves the opposite. A date
    written with full stops ("05.03.2024") follows the day-first convention of the countries that write
    dates so, unless a dotted date in the same text proves month-first (then every dotted date is
    read month-first) or dotted dates prove both orders (then none is read). A date still ambiguous after
    that follows ``hint`` ("dmy" or "mdy", from :func:`country_order`) when one is given.
    """
    mentions = [m for m in (_mention_from(match) for match in _DATE.finditer(text)) if m is not None]
    orders = {m.order for m in mentions if m.order}
    if len(orders) == 1:
        order = orders.pop()
        mentions = [_resolve(m, order) if m.ambiguous else m for m in mentions]
    dotted_orders = {m.order for m in mentions if m.dotted and m.order}
    if len(dotted_orders) <= 1:
        order = dotted_orders.pop() if dotted_orders else "dmy"
        mentions = [_resolve(m, order) if m.ambiguous and m.dotted else m for m in mentions]
    if hint in ("dmy", "mdy"):
        mentions = [resolve(m, hint) if m.ambiguous else m for m in mentions]
    return mentions


def resolve(mention: DateMention, order: str) -> DateMention:
    """An ambiguous numeric date read in ``order`` ("dmy" or "mdy")."""
    return _resolve(mention, order)


def _resolve(mention: DateMention, order: str) -> DateMention:
    day_first, month_first = mention.readings
    chosen = day_first if order == "dmy" else month_first
    return DateMention(
        mention.text, mention.start, mention.end, (chosen,), order=order, dotted=mention.dotted
    )


_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_SHORT_RANGE_MONTH_FIRST = re.compile(
    rf"(?<![\w/.\-])(?P<m1>{_MONTH_NAMES})\.?\s+(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?\s*(?:-|–|—|to|until|till|through|and)\s*"
    rf"(?:(?P<m2>{_MONTH_NAMES})\.?\s+)?(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)(?!\w)",
    re.IGNORECASE,
)


def find_short_ranges(text: str) -> list[tuple[DateMention, DateMention]]:
    """Ranges whose first end leaves out the month or year: "1–3 March 2024", "1 March – 30 April 2024"."""
    ranges = []
    matches = [*_SHORT_RANGE.finditer(text), *_SHORT_RANGE_MONTH_FIRST.finditer(text)]
    for match in sorted(matches, key=lambda item: item.start()):
        year = int(match["y"])
        if match.re is _SHORT_RANGE_MONTH_FIRST:
            start_month = MONTHS[match["m1"].lower()]
            end_month = MONTHS[match["m2"].lower()] if match["m2"] else start_month
        else:
            end_month = MONTHS[match["m2"].lower()]
            start_month = MONTHS[match["m1"].lower()] if match["m1"] else end_month
        first = _safe_date(year, start_month, int(match["d1"]))
        last = _safe_date(year, end_month, int(match["d2"]))
        if first and last and first <= last:
            ranges.append(
                (
                    DateMention(match.group(0), match.start(), match.end(), (first,)),
                    DateMention(match.group(0), match.start(), match.end(), (last,)),
                )
            )
    return ranges


def describe(mention: DateMention) -> str:
    """How a person would read the mention back: '3 April 2024 or 4 March 2024'."""
    return " or ".join(_spell(reading, mention.precision) for reading in mention.readings)


def _spell(value: date, precision: str) -> str:
    month = value.strftime("%B")
    return f"{month} {value.year}" if precision == "month" else f"{value.day} {month} {value.year}"


@dataclass(frozen=True)
class DateRange:
    """A period written in the text; ``end`` is ``None`` for an open period ("since March 2023")."""

    start: DateMention
    end: DateMention | None
    begin: int
    finish: int


# "from the 5th of March, 2024 to the 20th of June, 2024": an ordinal date may keep its article.
# "from Friday, 8 March 2024 until Thursday, 13 February 2025": the second date may carry its weekday.
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?,?"
_BETWEEN = re.compile(rf"\bbetween\s*(?:the\s+)?(?:{_WEEKDAY}\s+)?$", re.IGNORECASE)
_JOINER = re.compile(
    rf"\s*(?:-|–|—|to|until|till|through|thru|and)(?:\s+the\b)?\s*(?:{_WEEKDAY}\s+)?", re.IGNORECASE
)

_SINCE = re.compile(r"\bsince\s+(?:the\s+)?$", re.IGNORECASE)


def find_ranges(text: str, hint: str | None = None) -> list[DateRange]:
    """Periods in order of appearance: "from X to Y", "X – Y", "between X and Y", "1–3 March 2024", "since X"."""
    mentions = find_dates(text, hint)
    ranges = [DateRange(first, last, first.start, last.end) for first, last in find_short_ranges(text)]
    for first, second in pairwise(mentions):
        joiner = _JOINER.fullmatch(text, first.end, second.start)
        if not joiner:
            continue
        if joiner.group(0).split()[0].lower() == "and" and not _BETWEEN.search(
            text, max(0, first.start - 20), first.start
        ):
            continue
        ranges.append(DateRange(first, second, first.start, second.end))
    for mention in mentions:
        if _SINCE.search(text, max(0, mention.start - 20), mention.start):
            ranges.append(DateRange(mention, None, mention.start, mention.end))
    return sorted(ranges, key=lambda item: item.begin)
