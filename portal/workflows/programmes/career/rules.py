"""The career plan's rules on plain data: its horizons and what makes its milestones acceptable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import ngettext

from portal.dates import day
from portal.workflows.programmes.rules import add_months

# The CMAA's month-3 checkpoint: "Establish career goals (1, 2, & 4 year milestones)". Unlike the agreement's
# SMART goals, these reach past the term.
HORIZONS = (1, 2, 4)


@dataclass(frozen=True)
class MilestoneInput:
    horizon_years: int
    description: str
    target_on: date | None


def milestone_problems(milestones: list[MilestoneInput], today: date) -> dict[str, str]:
    """What stops the plan being saved, keyed by field (``milestone_4_target_on``, ...): every horizon has a
    milestone, each due after today and within its horizon, in order."""
    problems: dict[str, str] = {}
    given = {m.horizon_years: m for m in milestones}
    previous: date | None = None
    for years in HORIZONS:
        milestone = given.get(years) or MilestoneInput(years, "", None)
        prefix = f"milestone_{years}"
        if not milestone.description:
            problems[f"{prefix}_description"] = ngettext(
                "Describe where you want to be in %(num)d year.",
                "Describe where you want to be in %(num)d years.",
                years,
            )
        latest = add_months(today, 12 * years)
        if milestone.target_on is None:
            problems[f"{prefix}_target_on"] = _(
                "Enter a target date for the %(years)s-year milestone.", years=years
            )
        elif not today < milestone.target_on <= latest:
            problems[f"{prefix}_target_on"] = _(
                "The %(years)s-year milestone falls after today and by %(latest)s.",
                years=years,
                latest=day(latest),
            )
        elif previous is not None and milestone.target_on <= previous:
            problems[f"{prefix}_target_on"] = _(
                "The %(years)s-year milestone comes after the one before it.", years=years
            )
        if milestone.target_on is not None:
            previous = milestone.target_on
    return problems
