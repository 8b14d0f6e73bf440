"""Read numbers written in words ("forty", "thirty-five", "twelve and a half") as a certificate states them."""

from __future__ import annotations

import re
from decimal import Decimal

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
# "a" counts only as "a hundred" or "a thousand", never as the article before a number ("a sixteen-hour course").
_WORD = "|".join(
    sorted([*_UNITS, *_TENS, "hundred", "thousand", r"a\s+hundred", r"a\s+thousand"], key=len, reverse=True)
)
# "one hundred and twenty-five", "twelve and a half", "forty"; "and" only joins inside a number.
NUMBER_WORDS = (
    rf"(?:(?:{_WORD})(?:(?:\s+and\s+|\s*-\s*|\s+)(?:{_WORD}))*(?:\s+and\s+(?:a|one)\s+half|\s+and\s+(?:a|one)\s+quarter|"
    rf"\s+and\s+three\s+quarters)?)"
)
_NUMBER_WORDS = re.compile(rf"^{NUMBER_WORDS}$", re.IGNORECASE)
_FRACTIONS = {"half": Decimal("0.5"), "quarter": Decimal("0.25"), "quarters": Decimal("0.75")}


def words_to_number(text: str) -> Decimal | None:
    """ "forty" -> 40, "thirty-five" -> 35, "one hundred and twenty" -> 120, "twelve and a half" -> 12.5."""
    text = text.strip().casefold()
    if text == "a" or not _NUMBER_WORDS.match(text):
        return None
    fraction = Decimal(0)
    for name, value in _FRACTIONS.items():
        if re.search(rf"\band\s+(?:a|one|three)\s+{name}$", text):
            fraction = value
            text = re.sub(rf"\s+and\s+(?:a|one|three)\s+{name}$", "", text)
    total = current = 0
    seen = False
    for word in re.split(r"[\s\-]+", text):
        if word in ("and", ""):
            continue
        if word == "a":
            current += 1  # "a hundred"
        elif word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total += max(current, 1) * 1000
            current = 0
        else:
            return None
        seen = True
    if not seen:
        return None
    return Decimal(total + current) + fraction
