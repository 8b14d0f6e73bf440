"""Experience rules: the default categories, what an entry needs, progress against pro-rata targets, and the
coordinator's category lines."""

from datetime import date

from portal.workflows.programmes.experience.rules import (
    CategoryInput,
    EntryFacts,
    category_progress,
    category_text,
    defaults,
    entry_problems,
    parse_category_lines,
)
from portal.workflows.programmes.rules import Progress

TODAY = date(2026, 6, 1)


def test_the_defaults_are_the_cmaa_categories_reviewed_at_months_6_and_9():
    settings = defaults()
    assert settings.review_months == (6, 9)
    assert settings.categories[0].name == "Responsible in Charge (RIC) experience"
    assert all(c.target_hours is None for c in settings.categories)  # the seeds give no hours


def test_an_entry_is_experience_already_gained_in_hours_its_dates_can_hold():
    assert entry_problems(date(2026, 5, 1), date(2026, 5, 2), 48, TODAY) == {}
    assert set(entry_problems(date(2026, 5, 1), date(2026, 5, 2), 49, TODAY)) == {"hours"}
    assert set(entry_problems(date(2026, 5, 3), date(2026, 5, 2), 1, TODAY)) == {"ended_on"}
    assert set(entry_problems(date(2026, 5, 30), date(2026, 6, 2), 1, TODAY)) == {"ended_on"}


def test_only_acknowledged_hours_count_toward_a_pro_rata_target():
    entries = [EntryFacts(1, 30, True), EntryFacts(1, 50, False), EntryFacts(2, 20, True)]
    ric, other, untargeted = category_progress(
        [(1, "RIC", 120), (2, "Estimating", 40), (3, "Safety", None)], entries, 6, 12
    )
    assert (ric.hours, ric.acknowledged_hours, ric.expected_by_now, ric.progress) == (
        80,
        30,
        60,
        Progress.OVERDUE,
    )
    assert ric.percent == 25
    assert (other.expected_by_now, other.progress) == (20, Progress.DUE)
    assert (untargeted.progress, untargeted.percent) == (None, None)
    [done] = category_progress([(1, "RIC", 30)], entries, 12, 12)
    assert done.progress == Progress.DONE


def test_category_lines_round_trip_and_bad_lines_are_named():
    categories = [CategoryInput("RIC", 500, "In charge"), CategoryInput("Other", None, "")]
    parsed, problems = parse_category_lines(category_text(categories))
    assert parsed == categories and problems == {}
    parsed, problems = parse_category_lines("Good | 10 | x\n | 5 | nameless\nZero | 0 | none")
    assert [c.name for c in parsed] == ["Good"] and set(problems) == {2, 3}
