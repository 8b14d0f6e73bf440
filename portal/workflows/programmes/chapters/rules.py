"""Chapter rules on plain data: quarters, and one pair's health as a chapter coordinator reads it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_bounds(quarter: str) -> tuple[date, date]:
    """The first and last day of a quarter named like "2026-Q4"."""
    year, number = int(quarter[:4]), int(quarter[-1])
    start = date(year, 3 * (number - 1) + 1, 1)
    following = date(year + 1, 1, 1) if number == 4 else date(year, 3 * number + 1, 1)
    return start, following - timedelta(days=1)


def report_quarter(today: date) -> str:
    """The quarter a report sent ``today`` is about: the last one that has ended."""
    start, _ = quarter_bounds(quarter_of(today))
    return quarter_of(start - timedelta(days=1))


@dataclass(frozen=True)
class PairHealth:
    """What a chapter coordinator sees of a pair: progress, never its notes, goals' text or evaluations."""

    pairing_id: int
    mentor: str
    mentee: str
    programme: str
    state_label: str
    term_start: date | None
    term_end: date | None
    meetings: int  # held in the period looked at
    last_meeting_on: date | None
    checkpoints_done: int
    checkpoints: int
    risks: tuple[str, ...]

    @property
    def is_healthy(self) -> bool:
        return not self.risks
