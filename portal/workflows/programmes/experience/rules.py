"""Experience rules on plain data: the default categories, what a log entry needs, progress against targets."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from flask_babel import gettext as _

from portal.workflows.programmes.rules import Progress

DEFAULTS_PATH = Path(__file__).with_name("categories.toml")


@dataclass(frozen=True)
class CategoryInput:
    name: str
    target_hours: int | None
    description: str = ""


@dataclass(frozen=True)
class ExperienceDefaults:
    review_months: tuple[int, ...]
    categories: tuple[CategoryInput, ...]


@cache
def defaults() -> ExperienceDefaults:
    raw = tomllib.loads(DEFAULTS_PATH.read_text(encoding="utf-8"))
    return ExperienceDefaults(
        review_months=tuple(int(month) for month in raw["review_months"]),
        categories=tuple(
            CategoryInput(
                str(c["name"]),
                int(c["target_hours"]) if "target_hours" in c else None,
                c.get("description", ""),
            )
            for c in raw["categories"]
        ),
    )


def entry_problems(started_on: date, ended_on: date, hours: int, today: date) -> dict[str, str]:
    """What stops an entry being logged, by field: experience already gained, in order, hours it could hold."""
    problems = {}
    if ended_on > today:
        problems["ended_on"] = _("Log experience once you have gained it: the end date is today or earlier.")
    if ended_on < started_on:
        problems["ended_on"] = _("The end date comes on or after the start date.")
    elif hours > 24 * ((ended_on - started_on).days + 1):
        problems["hours"] = _("That is more hours than the dates hold.")
    return problems


@dataclass(frozen=True)
class EntryFacts:
    category_id: int
    hours: int
    acknowledged: bool


@dataclass(frozen=True)
class CategoryProgress:
    category_id: int
    name: str
    target_hours: int | None
    hours: int  # everything logged
    acknowledged_hours: int  # what the mentor has acknowledged
    expected_by_now: int | None  # the target pro rata for the months gone by
    progress: Progress | None  # none without a target

    @property
    def percent(self) -> int | None:
        if not self.target_hours:
            return None
        return min(100, round(100 * self.acknowledged_hours / self.target_hours))


def category_progress(
    categories: Sequence[tuple[int, str, int | None]],
    entries: Iterable[EntryFacts],
    months_elapsed: int,
    term_months: int,
) -> list[CategoryProgress]:
    """Each category's hours against its target: only acknowledged hours count toward it; the target is
    expected pro rata (half the term, half the hours)."""
    entries = list(entries)
    result = []
    for category_id, name, target in categories:
        mine = [e for e in entries if e.category_id == category_id]
        hours = sum(e.hours for e in mine)
        acknowledged = sum(e.hours for e in mine if e.acknowledged)
        expected = None if target is None else target * min(months_elapsed, term_months) // term_months
        if target is None:
            progress = None
        elif acknowledged >= target:
            progress = Progress.DONE
        elif acknowledged < expected:
            progress = Progress.OVERDUE
        else:
            progress = Progress.DUE
        result.append(CategoryProgress(category_id, name, target, hours, acknowledged, expected, progress))
    return result


def parse_category_lines(text: str) -> tuple[list[CategoryInput], dict[int, str]]:
    """A coordinator's categories, one a line: "name | target hours (or nothing) | description". Returns the
    categories and the problems by line number."""
    categories, problems = [], {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, _sep, rest = line.partition("|")
        target, _sep, description = rest.partition("|")
        target = target.strip()
        if not name.strip() or (target and (not target.isdigit() or int(target) == 0)):
            problems[number] = _(
                "Line %(number)s: write the name, a bar, the target in whole hours (or nothing), a bar and what "
                "counts, like “Responsible in Charge | 500 | …”.",
                number=number,
            )
            continue
        categories.append(
            CategoryInput(name.strip()[:200], int(target) if target else None, description.strip())
        )
    return categories, problems


def category_text(categories: Iterable[CategoryInput]) -> str:
    return "\n".join(
        f"{c.name} | {'' if c.target_hours is None else c.target_hours} | {c.description}" for c in categories
    )
