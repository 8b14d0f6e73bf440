"""How a document's facts read to a person: hours as people write them, dates in the reader's language."""

from __future__ import annotations

from datetime import date
from typing import Any

from portal.dates import day
from portal.documents.display import format_hours

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
