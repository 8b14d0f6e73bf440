"""The career plan's milestones: every horizon (1, 2, 4 years) filled, each after today, within its horizon,
and in order."""

from datetime import date

from portal.workflows.programmes.career.rules import HORIZONS, MilestoneInput, milestone_problems

TODAY = date(2026, 3, 15)


def plan(**dates: date) -> list[MilestoneInput]:
    defaults = {1: date(2027, 1, 1), 2: date(2028, 1, 1), 4: date(2030, 1, 1)}
    return [MilestoneInput(y, f"Milestone {y}", dates.get(f"y{y}", defaults[y])) for y in HORIZONS]


def test_milestones_at_one_two_and_four_years_are_accepted():
    assert HORIZONS == (1, 2, 4)
    assert milestone_problems(plan(), TODAY) == {}


def test_the_four_year_milestone_may_fall_on_its_last_day_not_after():
    assert milestone_problems(plan(y4=date(2030, 3, 15)), TODAY) == {}
    assert set(milestone_problems(plan(y4=date(2030, 3, 16)), TODAY)) == {"milestone_4_target_on"}


def test_a_milestone_today_or_before_is_refused():
    assert set(milestone_problems(plan(y1=TODAY), TODAY)) == {"milestone_1_target_on"}


def test_milestones_come_in_order():
    problems = milestone_problems(plan(y2=date(2026, 12, 1)), TODAY)
    assert set(problems) == {"milestone_2_target_on"}
    assert "comes after the one before it" in problems["milestone_2_target_on"]


def test_every_horizon_needs_a_description_and_a_date():
    problems = milestone_problems([MilestoneInput(1, "", None)], TODAY)
    assert set(problems) == {
        "milestone_1_description",
        "milestone_1_target_on",
        "milestone_2_description",
        "milestone_2_target_on",
        "milestone_4_description",
        "milestone_4_target_on",
    }
