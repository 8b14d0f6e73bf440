from datetime import date

import pytest

from portal.documents.dates import describe, find_dates, find_ranges


@pytest.mark.parametrize(
    "text",
    [
        "2024-03-01",
        "1 March 2024",
        "March 1, 2024",
        "1st March 2024",
        "01 Mar 2024",
        "1st of March, 2024",
        "Mar. 1 2024",
        "2024/03/01",
        "on 1 March 2024.",
    ],
)
def test_each_written_form_reads_as_the_same_day(text):
    (mention,) = find_dates(text)
    assert mention.value == date(2024, 3, 1)
    assert not mention.ambiguous


def test_a_numeric_date_that_could_be_either_order_is_ambiguous():
    (mention,) = find_dates("03/04/2024")
    assert mention.ambiguous and mention.value is None
    assert set(mention.readings) == {date(2024, 4, 3), date(2024, 3, 4)}
    assert describe(mention) == "3 April 2024 or 4 March 2024"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25/04/2024", date(2024, 4, 25)),
        ("04/25/2024", date(2024, 4, 25)),
        ("03/03/2024", date(2024, 3, 3)),
        ("25.04.2024", date(2024, 4, 25)),
    ],
)
def test_a_numeric_date_with_only_one_possible_reading_is_clear(text, expected):
    (mention,) = find_dates(text)
    assert mention.value == expected


def test_a_clear_numeric_date_settles_the_order_of_the_others_in_the_same_text():
    first, second = find_dates("From 03/04/2024 to 25/04/2024")
    assert first.value == date(2024, 4, 3)
    assert second.value == date(2024, 4, 25)


def test_contradicting_orders_leave_the_ambiguous_date_alone():
    mentions = find_dates("03/04/2024, 25/04/2024 and 04/25/2024")
    assert mentions[0].ambiguous


def test_impossible_dates_are_not_dates():
    assert find_dates("31/02/2024 and 2024-13-01") == []


def test_month_only_dates_carry_their_precision():
    (mention,) = find_dates("since March 2023")
    assert mention.precision == "month" and mention.readings == (date(2023, 3, 1),)


@pytest.mark.parametrize(
    "text",
    [
        "from 1 March 2024 to 30 April 2024",
        "1 March 2024 – 30 April 2024",
        "between March 1, 2024 and April 30, 2024",
        "1 March – 30 April 2024",
        "2024-03-01 until 2024-04-30",
    ],
)
def test_ranges(text):
    (period,) = find_ranges(text)
    assert (period.start.value, period.end.value) == (date(2024, 3, 1), date(2024, 4, 30))


def test_a_range_within_one_month():
    (period,) = find_ranges("held 1–3 March 2024")
    assert (period.start.value, period.end.value) == (date(2024, 3, 1), date(2024, 3, 3))


def test_an_open_period():
    (period,) = find_ranges("I have mentored her since March 2023.")
    assert period.end is None and period.start.precision == "month"


def test_two_dates_joined_by_and_without_between_are_not_a_range():
    assert find_ranges("issued 1 March 2024 and signed 30 April 2024") == []


# --- dotted day-first dates, ordinal dates with their article, month-name ranges ---------------


def test_a_dotted_date_reads_day_first():
    (mention,) = find_dates("Unterschrieben am 07.11.2023 in Graz")
    assert mention.value == date(2023, 11, 7)


def test_a_dotted_date_proving_month_first_turns_the_others_round():
    mentions = find_dates("Dated 02.09.2024, received 02.19.2024")
    assert [m.value for m in mentions] == [date(2024, 2, 9), date(2024, 2, 19)]


def test_dotted_dates_that_prove_both_orders_leave_the_ambiguous_one_unread():
    mentions = find_dates("Signed 02.09.2024; course 25.03.2024; posted 03.26.2024")
    assert mentions[0].ambiguous and mentions[0].value is None


def test_a_slashed_date_stays_ambiguous_even_beside_a_dotted_one():
    mentions = find_dates("Sent 08/10/2024, filed 08.10.2024")
    assert mentions[0].ambiguous and mentions[1].value == date(2024, 10, 8)


@pytest.mark.parametrize(
    "text",
    [
        "from the 2nd of October, 2023 to the 14th of December, 2023",
        "between the 2nd of October, 2023 and the 14th of December, 2023",
        "October 2–December 14, 2023",
        "02.10.2023 – 14.12.2023",
        "October 2, 2023-December 14, 2023",
    ],
)
def test_fresh_range_styles(text):
    (period,) = [p for p in find_ranges(text) if p.end is not None]
    assert (period.start.value, period.end.value) == (date(2023, 10, 2), date(2023, 12, 14))


def test_words_run_together_are_no_joiner():
    # "tothe": two cells of a table read as one, not "to the".
    assert not [p for p in find_ranges("the 1st of May, 2024 tothe 9th of June, 2024") if p.end is not None]
