"""How a document's facts are written into what the workers store (cross-check notes): hours as people write
them, dates in the house style ("3 March 2024"), whatever the language of whoever reads them later. Pages show
facts through ``portal.fact_display``, in the reader's language."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from babel.dates import format_date as _babel_date


def format_hours(value: Decimal | float | int | str) -> str:
    """ "50", "12.5", "7.25": no exponent ("5E+1"), no trailing zeros."""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if number == number.to_integral_value():
        return str(int(number))
    return f"{number.normalize():f}"


def format_date(value: date | None) -> str:
    """A date in the house style of stored notes: "3 March 2024"."""
    return _babel_date(value, "long", locale="en_GB") if value else ""
