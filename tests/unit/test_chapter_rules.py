"""Chapter rules: quarters, and which quarter a report is about."""

from datetime import date

from portal.workflows.programmes.chapters.rules import quarter_bounds, quarter_of, report_quarter


def test_quarters_and_their_bounds():
    assert quarter_of(date(2026, 3, 31)) == "2026-Q1" and quarter_of(date(2026, 4, 1)) == "2026-Q2"
    assert quarter_bounds("2026-Q4") == (date(2026, 10, 1), date(2026, 12, 31))
    assert quarter_bounds("2026-Q1") == (date(2026, 1, 1), date(2026, 3, 31))


def test_a_report_is_about_the_quarter_that_has_ended():
    assert report_quarter(date(2026, 1, 2)) == "2025-Q4"
    assert report_quarter(date(2026, 12, 6)) == "2026-Q3"
