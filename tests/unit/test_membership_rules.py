"""The membership rules on plain data: matching a claim to the register, and checking a register row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from portal.spreadsheets import SpreadsheetError, read_csv
from portal.workflows.membership.queries import COLUMNS
from portal.workflows.membership.rules import check_row, match_claim, normalise_name, normalise_number

SUBMITTED = date(2026, 6, 1)


@dataclass
class Entry:
    number: str = "IMC4471"
    name: str = "José Núñez"
    email: str = "jose@example.com"
    valid_until: date = date(2027, 6, 30)


def test_a_number_valid_that_day_with_the_persons_email_is_verified_and_says_what_matched():
    verdict = match_claim("imc 4471", ["Someone Else"], ["JOSE@example.com "], Entry(), SUBMITTED)
    assert verdict.verified
    assert verdict.detail == "Number IMC4471, valid until 30 June 2027; the email matches the register."


def test_the_name_matches_whatever_its_case_accents_and_spacing():
    verdict = match_claim("IMC4471", ["  jose   NUNEZ "], ["other@example.com"], Entry(), SUBMITTED)
    assert verdict.verified and "the name matches" in verdict.detail
    both = match_claim("IMC4471", ["José Núñez"], ["jose@example.com"], Entry(), SUBMITTED)
    assert "the email and name match" in both.detail


def test_a_number_not_in_the_register_is_not_verified():
    verdict = match_claim("imc 9999", ["José Núñez"], ["jose@example.com"], None, SUBMITTED)
    assert not verdict.verified and verdict.detail == "No member with number IMC9999."


def test_a_membership_expired_before_the_submission_day_is_not_verified():
    entry = Entry(valid_until=date(2026, 5, 31))
    verdict = match_claim("IMC4471", ["José Núñez"], ["jose@example.com"], entry, SUBMITTED)
    assert not verdict.verified and verdict.detail == "Membership IMC4471 expired on 31 May 2026."
    assert match_claim("IMC4471", [], ["jose@example.com"], Entry(valid_until=SUBMITTED), SUBMITTED).verified


def test_another_persons_number_is_not_verified():
    verdict = match_claim("IMC4471", ["Ada Lovelace"], ["ada@example.com", None], Entry(), SUBMITTED)
    assert not verdict.verified and verdict.detail == "Number IMC4471 belongs to another person."


def test_normalising_numbers_and_names():
    assert normalise_number(" imc 44 71\t") == "IMC4471"
    assert normalise_name("  Zoë  O'Brien-Smith ") == "zoe obriensmith"


def test_a_register_row_is_checked_field_by_field():
    good = check_row(" imc 1 ", " Ada  Lovelace ", "ada@example.com", "30/06/2027")
    assert (good.number, good.name, good.valid_until, good.problems) == (
        "IMC1",
        "Ada Lovelace",
        date(2027, 6, 30),
        {},
    )
    bad = check_row("", "", "not-an-email", "2027-13-01")
    assert bad.problems == {
        "number": "Enter the member number.",
        "name": "Enter the member's name.",
        "email": "“not-an-email” is not an email address.",
        "valid_until": "“2027-13-01” is not a date like 2027-06-30.",
    }


def test_csv_headers_are_matched_whatever_their_case_and_spacing():
    rows = read_csv(
        b"\xef\xbb\xbf Member Number ,NAME,e-mail,Valid_Until,notes\nIMC1,Ada,ada@example.com,2027-01-01,x\n\n"
        b"IMC2,Bo,bo@example.com,2027-01-01\n",
        COLUMNS,
    )
    assert rows == [
        (2, {"number": "IMC1", "name": "Ada", "email": "ada@example.com", "valid_until": "2027-01-01"}),
        (4, {"number": "IMC2", "name": "Bo", "email": "bo@example.com", "valid_until": "2027-01-01"}),
    ]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "The file is empty"),
        (b"number,name,email\nIMC1,Ada,ada@example.com\n", "The first line has no “valid until” column"),
        (b"number,name,email,valid until\n\xff\xfe", "The file is not UTF-8 text"),
        (b'number,name,email,valid until\n"IMC1,Ada', "The file is not well-formed CSV at line 2"),
        (b"%PDF-1.7\x00\x01", "The file is not a CSV file"),
    ],
)
def test_a_malformed_file_is_refused_with_the_reason(data, reason):
    with pytest.raises(SpreadsheetError) as refused:
        read_csv(data, COLUMNS)
    assert str(refused.value).startswith(reason)
