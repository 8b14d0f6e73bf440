"""Close-out rules on plain data: when it opens, and what it needs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from portal.enums import CertificationReadiness, GoalProgress
from portal.workflows.programmes.rules import add_months


@dataclass(frozen=True)
class GoalOutcome:
    position: int
    progress: GoalProgress | None
    comment: str


def opens_on(term_start: date, final_month: int) -> date:
    """The close-out belongs to the final checkpoint: it opens as that checkpoint's month begins."""
    return add_months(term_start, max(final_month - 1, 0))


def closeout_problems(
    positions: Sequence[int], outcomes: Sequence[GoalOutcome], next_steps: str, readiness: str | None
) -> dict[str, str]:
    """What stops the close-out being recorded, keyed by field."""
    problems = {}
    given = {o.position: o for o in outcomes}
    for position in positions:
        outcome = given.get(position)
        if outcome is None or outcome.progress is None:
            problems[f"goal_{position}_progress"] = _("Say where goal %(number)s ended up.", number=position)
    if not next_steps.strip():
        problems["next_steps"] = _("Set the protégé’s next steps, including preparing for the certification.")
    if readiness not in {r.value for r in CertificationReadiness}:
        problems["readiness"] = _("Say how ready the protégé is to apply for certification.")
    return problems
