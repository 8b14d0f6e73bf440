"""How a document's facts read to a person: hours as people write them, one date format."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from portal.dates import day


def format_hours(value: Decimal | float | int | str) -> str:
    """ "50", "12.5", "7.25": no exponent ("5E+1"), no trailing zeros."""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if number == number.to_integral_value():
        return str(int(number))
    return f"{number.normalize():f}"


format_date = day  # the portal's one way a date is shown: "3 March 2024"


def format_fact(name: str, value: Any) -> str:
    """A stored fact (dates as YYYY-MM-DD, hours as a number) as a reviewer should read it."""
    if value is None:
        return "–"
    if name == "hours" or name.endswith("_hours"):
        return format_hours(value)
    if name.endswith("_date") and isinstance(value, str):
        try:
            return format_date(date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, date):
        return format_date(value)
    return str(value)
