import json
from datetime import date
from decimal import Decimal

import pytest

from portal.documents.crosscheck import (
    CONFIRMED,
    CONTRADICTED,
    NOT_FOUND,
    SIMILARITY_THRESHOLD,
    DeclaredEngagement,
    DeclaredTraining,
    check_certificate,
    check_reference_letter,
    names_match,
    similarity,
)
from portal.documents.extraction import Extraction
from portal.documents.facts import CertificateFacts, find_facts

CERTIFICATE = """This is to certify that
Zoë O'Brien-Ñúñez
has successfully completed
Advanced Mentoring Practice
delivered by Northfield Mentoring Academy
from 1 March 2024 to 30 April 2024
a total of 35 hrs
Instructor: Dr. Ana Silva
Date of issue: 12 May 2024"""

DECLARED = DeclaredTraining(
    participant_name="Zoe O'Brien-Nunez",
    programme="Advanced Mentoring Practice",
    training_centre="Northfield Mentoring Academy",
    hours=Decimal(35),
    start_date=date(2024, 3, 1),
    end_date=date(2024, 4, 30),
    instructor="Ana Silva",
)


def outcomes(checks):
    return {check.field: check.outcome for check in checks}


def with_changes(**changes):
    return DeclaredTraining(**{**DECLARED.__dict__, **changes})


@pytest.mark.parametrize(
    ("declared", "found"),
    [
        ("Zoë O'Brien-Ñúñez", "ZOE O'BRIEN-NUNEZ"),
        ("Zoë O'Brien-Ñúñez", "Ñúñez Zoë O'Brien"),
        ("Zoë O'Brien-Ñúñez", "zoe obrien nunez"),
        ("Ana Silva", "Dr Ana Maria Silva"),
        ("Søren Kierkegaard", "Soren Kierkegaard"),
        ("Silva, Ana", "Ana Silva"),
    ],
)
def test_the_same_name_written_differently(declared, found):
    assert names_match(declared, found)


@pytest.mark.parametrize(
    ("declared", "found"), [("Ana Silva", "Ana Santos"), ("Ana", "Ana Silva"), ("Ana Silva", "")]
)
def test_different_names(declared, found):
    assert not names_match(declared, found)


@pytest.mark.parametrize(
    ("declared", "found"),
    [
        ("Advanced Mentoring Practice", "Advanced Mentoring Practise"),
        ("Advanced Mentoring Practice", "ADVANCED MENTORING PRACTICE (Level 5)"),
        ("Foundations of Mentoring", "Mentoring Foundations"),
        ("Mentoring Skills", "Coaching and Mentoring Skills"),
        ("Northfield Mentoring Academy", "Northfield Mentoring Academy Ltd"),
        ("Riverside Training Center", "The Riverside Training Centre"),
        ("Programme in Mentoring", "Mentoring Program"),
    ],
)
def test_similar_titles_clear_the_threshold(declared, found):
    assert similarity(declared, found) >= SIMILARITY_THRESHOLD


@pytest.mark.parametrize(
    ("declared", "found"),
    [
        ("Northfield Academy", "Southfield Academy"),
        ("Advanced Mentoring Practice", "Basic Coaching Skills"),
        ("Mentoring", "Mentoring Supervision and Leadership"),
        ("Advanced Mentoring Practice", "Advanced Coaching Practice"),
    ],
)
def test_different_titles_do_not(declared, found):
    assert similarity(declared, found) < SIMILARITY_THRESHOLD


def test_a_certificate_that_matches_the_declaration():
    checks = check_certificate(find_facts(CERTIFICATE), DECLARED)
    assert outcomes(checks) == {
        "participant_name": CONFIRMED,
        "programme": CONFIRMED,
        "training_centre": CONFIRMED,
        "hours": CONFIRMED,
        "start_date": CONFIRMED,
        "end_date": CONFIRMED,
        "issue_date": CONFIRMED,
        "instructor": CONFIRMED,
    }
    hours = next(check for check in checks if check.field == "hours")
    assert (hours.declared, hours.found, hours.evidence) == ("35", "35", "a total of 35 hrs")
    json.dumps([check.to_dict() for check in checks])


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"participant_name": "Zoe Smith"}, "participant_name"),
        ({"programme": "Basic Coaching Skills"}, "programme"),
        ({"training_centre": "Southfield Coaching School"}, "training_centre"),
        ({"hours": 40}, "hours"),
        ({"start_date": date(2024, 2, 1)}, "start_date"),
        ({"end_date": date(2024, 6, 30)}, "end_date"),
        ({"instructor": "Tom Hardy"}, "instructor"),
    ],
)
def test_each_contradiction_is_reported_on_its_field(changes, field):
    checks = outcomes(check_certificate(find_facts(CERTIFICATE), with_changes(**changes)))
    assert checks[field] == CONTRADICTED
    assert [name for name, outcome in checks.items() if outcome == CONTRADICTED] in (
        [field],
        [field, "issue_date"],
    )


def test_more_hours_than_declared_confirm():
    checks = outcomes(check_certificate(find_facts(CERTIFICATE), with_changes(hours=30.5)))
    assert checks["hours"] == CONFIRMED


def test_dates_a_few_days_apart_are_tolerated():
    declared = with_changes(start_date=date(2024, 3, 3), end_date=date(2024, 4, 28))
    checks = outcomes(check_certificate(find_facts(CERTIFICATE), declared))
    assert checks["start_date"] == checks["end_date"] == CONFIRMED


def test_a_certificate_issued_before_the_declared_end_contradicts_it():
    facts = find_facts("Date of issue: 1 March 2024")
    checks = outcomes(check_certificate(facts, DECLARED))
    assert checks["issue_date"] == CONTRADICTED


def test_a_document_stating_nothing_gives_not_found_everywhere():
    checks = check_certificate(CertificateFacts(), DECLARED)
    assert {check.outcome for check in checks} == {NOT_FOUND}
    assert all(check.found is None for check in checks)


def test_no_instructor_check_when_none_was_declared():
    checks = check_certificate(find_facts(CERTIFICATE), with_changes(instructor=None))
    assert "instructor" not in outcomes(checks)


def test_an_ambiguous_date_is_confirmed_when_one_reading_fits_the_declaration():
    facts = find_facts("Start date: 03/01/2024")
    checks = check_certificate(facts, with_changes(start_date=date(2024, 1, 3)))
    start = next(check for check in checks if check.field == "start_date")
    assert start.outcome == CONFIRMED
    assert start.found == "03/01/2024 (3 January 2024 or 1 March 2024)"


def test_an_ambiguous_date_fitting_neither_reading_is_a_contradiction():
    facts = find_facts("Start date: 03/01/2024")
    checks = outcomes(check_certificate(facts, with_changes(start_date=date(2024, 6, 1))))
    assert checks["start_date"] == CONTRADICTED


def test_values_the_facts_missed_are_looked_for_in_the_text():
    text = "Zoë O'Brien-Ñúñez\nAdvanced Mentoring Practice\nNorthfield Mentoring Academy"
    checks = outcomes(check_certificate(CertificateFacts(), DECLARED, text=text))
    assert checks["participant_name"] == checks["programme"] == checks["training_centre"] == CONFIRMED


LETTER = """Dear committee,
I have mentored Zoë O'Brien-Ñúñez (zoe@example.org) from March 2023 to February 2024,
meeting every fortnight.
Yours sincerely,
Dr Ana Silva"""

ENGAGEMENT = DeclaredEngagement(
    mentor_name="Ana Silva",
    mentee_name="Zoe O'Brien-Nunez",
    mentee_email="Zoe@Example.org",
    start_date=date(2023, 3, 6),
    end_date=date(2024, 2, 26),
)


def test_a_letter_that_matches_the_declared_engagement():
    checks = check_reference_letter(LETTER, ENGAGEMENT)
    assert set(outcomes(checks).values()) == {CONFIRMED}
    json.dumps([check.to_dict() for check in checks])


def test_a_letter_is_accepted_as_an_extraction():
    checks = check_reference_letter(Extraction("read", text=LETTER), ENGAGEMENT)
    assert set(outcomes(checks).values()) == {CONFIRMED}


def test_a_letter_stating_another_period_contradicts_the_dates():
    declared = DeclaredEngagement(**{**ENGAGEMENT.__dict__, "start_date": date(2022, 1, 10)})
    checks = outcomes(check_reference_letter(LETTER, declared))
    assert checks["start_date"] == CONTRADICTED and checks["end_date"] == CONFIRMED


def test_a_letter_without_the_declared_facts():
    checks = outcomes(check_reference_letter("To whom it may concern, a fine person.", ENGAGEMENT))
    assert set(checks.values()) == {NOT_FOUND}


def test_a_letter_with_exact_dates_and_an_open_period():
    letter = "Ana Silva has mentored Zoe O'Brien-Nunez since 6 March 2023.\nSigned 26 February 2024."
    checks = outcomes(check_reference_letter(letter, ENGAGEMENT))
    assert checks["start_date"] == CONFIRMED and checks["end_date"] == CONFIRMED


# --- what a reviewer sees, and falsified declarations caught on unseen layouts ---------------------

LETTERHEAD_CERTIFICATE = """HALLORAN INSTITUTE OF
COACHING STUDIES
Registry of Professional Awards
Certificate of Completion
This certifies that Zoë O'Brien-Ñúñez has successfully completed the Advanced Mentoring
Practice for Team Leaders programme between 1st March and 30th April 2024, comprising thirty-five (35)
guided learning hours.
Prof. Ana Silva
Programme Director
Issued 12 May 2024"""

TRUE_DECLARATION = with_changes(
    programme="Advanced Mentoring Practice for Team Leaders",
    training_centre="Halloran Institute of Coaching Studies",
    instructor="Ana Silva",
)


def test_a_true_declaration_on_a_letterhead_certificate_is_confirmed_throughout():
    checks = check_certificate(
        find_facts(LETTERHEAD_CERTIFICATE), TRUE_DECLARATION, text=LETTERHEAD_CERTIFICATE
    )
    assert set(outcomes(checks).values()) == {CONFIRMED}


@pytest.mark.parametrize(
    ("changes", "field", "found"),
    [
        (
            {"training_centre": "Brightwater Mentoring Collective"},
            "training_centre",
            "HALLORAN INSTITUTE OF COACHING STUDIES",
        ),
        ({"hours": Decimal(50)}, "hours", "35"),
        ({"start_date": date(2024, 1, 26)}, "start_date", "1 March 2024"),
    ],
)
def test_a_falsified_fact_is_contradicted_with_the_documents_own_value(changes, field, found):
    declared = with_changes(**{**TRUE_DECLARATION.__dict__, **changes})
    check = next(
        c
        for c in check_certificate(find_facts(LETTERHEAD_CERTIFICATE), declared, text=LETTERHEAD_CERTIFICATE)
        if c.field == field
    )
    assert (check.outcome, check.found) == (CONTRADICTED, found)
    assert check.evidence


def test_a_title_cut_at_a_line_break_is_never_contradicted():
    text = "Programme: Advanced Mentoring\nPractice for Team Leaders\nParticipant: Zoë O'Brien-Ñúñez"
    check = next(
        c for c in check_certificate(find_facts(text), TRUE_DECLARATION, text=text) if c.field == "programme"
    )
    assert check.outcome == CONFIRMED


def test_hours_and_dates_read_as_people_write_them():
    checks = check_certificate(
        find_facts("Hours: 50\nStart date: 1 March 2024"),
        with_changes(hours=Decimal("12.50"), start_date=date(2024, 3, 3)),
    )
    by_field = {check.field: check for check in checks}
    assert (by_field["hours"].declared, by_field["hours"].found) == ("12.5", "50")
    assert (by_field["start_date"].declared, by_field["start_date"].found) == ("3 March 2024", "1 March 2024")
    assert by_field["end_date"].declared == "30 April 2024"


def test_a_misread_letter_in_a_long_name_is_the_same_person_but_another_name_is_not():
    assert names_match("Rafael Nuñez Castillo", "Rafael Nufez Castillo")
    assert not names_match("Jon Smith", "Jan Smith")
    assert not names_match("Rafael Nuñez Castillo", "Rafael Ortega Castillo")


LINDEN_LETTER = """Linden Health Partnership
2 January 2024
I am pleased to confirm that Maëlle Kerhervé mentored our colleague Connor McAllister
(email: connor.mcallister@linden.example) between 1 August 2023 and 4 December 2023.
Kind regards,
Aurélien Dufresne
Line Manager, Linden Health Partnership"""
LETTER_ENGAGEMENT = DeclaredEngagement(
    "Maëlle Kerhervé",
    "Connor McAllister",
    "connor.mcallister@linden.example",
    date(2023, 8, 1),
    date(2023, 12, 4),
)


def test_a_letter_with_another_mentee_and_address_is_contradicted():
    declared = DeclaredEngagement(
        "Maëlle Kerhervé",
        "Astrid Halvorsen",
        "astrid.halvorsen@linden.example",
        date(2023, 8, 1),
        date(2023, 12, 4),
    )
    checks = {check.field: check for check in check_reference_letter(LINDEN_LETTER, declared)}
    assert (checks["mentee_name"].outcome, checks["mentee_name"].found) == (CONTRADICTED, "Connor McAllister")
    assert (checks["mentee_email"].outcome, checks["mentee_email"].found) == (
        CONTRADICTED,
        "connor.mcallister@linden.example",
    )
    assert checks["mentor_name"].outcome == CONFIRMED


def test_a_letter_stating_the_declared_engagement_confirms_it_all():
    assert set(outcomes(check_reference_letter(LINDEN_LETTER, LETTER_ENGAGEMENT)).values()) == {CONFIRMED}


def test_a_letter_weeks_off_the_declared_end_is_contradicted():
    declared = DeclaredEngagement(*[*LETTER_ENGAGEMENT.__dict__.values()][:4], date(2024, 2, 5))
    check = next(c for c in check_reference_letter(LINDEN_LETTER, declared) if c.field == "end_date")
    assert (check.outcome, check.found) == (CONTRADICTED, "4 December 2023")


def test_a_letter_end_stated_in_a_second_clause_is_checked():
    letter = (
        "Ana Silva has been the mentor of Zoe O'Brien-Nunez since 6 March 2023; "
        "the mentoring ended on 26 February 2024."
    )
    assert outcomes(check_reference_letter(letter, ENGAGEMENT))["end_date"] == CONFIRMED
    later = DeclaredEngagement(**{**ENGAGEMENT.__dict__, "end_date": date(2024, 4, 29)})
    assert outcomes(check_reference_letter(letter, later))["end_date"] == CONTRADICTED
