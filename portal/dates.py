"""How a date reads to a person, everywhere the portal writes one: "2 December 2026" (exports keep ISO)."""

from __future__ import annotations

from datetime import date


def day(value: date | None) -> str:
    """``value`` as people write it: day without a leading zero, month in words, year."""
    return f"{value.day} {value:%B %Y}" if value else ""
