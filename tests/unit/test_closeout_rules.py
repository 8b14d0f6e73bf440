"""Close-out rules: it opens as the final checkpoint's month begins, and needs every goal's outcome, next steps
and a readiness."""

from datetime import date

from portal.enums import GoalProgress
from portal.workflows.programmes.closeout.rules import GoalOutcome, closeout_problems, opens_on


def test_the_close_out_opens_as_the_final_checkpoints_month_begins():
    assert opens_on(date(2026, 1, 31), 12) == date(2026, 12, 31)
    assert opens_on(date(2026, 3, 1), 1) == date(2026, 3, 1)


def test_every_goal_needs_an_outcome_and_the_next_steps_a_readiness():
    done = [GoalOutcome(1, GoalProgress.ACHIEVED, ""), GoalOutcome(2, GoalProgress.AT_RISK, "Moved")]
    assert closeout_problems([1, 2], done, "Sit the exam.", "ready") == {}
    problems = closeout_problems([1, 2, 3], done[:1], " ", "certain")
    assert set(problems) == {"goal_2_progress", "goal_3_progress", "next_steps", "readiness"}
