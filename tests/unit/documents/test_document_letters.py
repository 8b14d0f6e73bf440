"""A referee's letter read for the engagement it describes: mentor, mentee, the mentee's address, period, signer."""

from __future__ import annotations

from datetime import date

import pytest

from portal.documents.letters import find_letter_facts
from portal.documents.numbers import words_to_number

PERIOD = "from 3rd March 2023 to 9th February 2024"


@pytest.mark.parametrize(
    "sentence",
    [
        f"I am writing to confirm that Beatriz Gonçalves acted as mentor to Mateusz Zieliński (mateusz.z@corvid.example), a member of our staff, {PERIOD}.",
        f"I am pleased to confirm that Beatriz Gonçalves mentored our colleague Mateusz Zieliński (email: mateusz.z@corvid.example) {PERIOD}.",
        f"This letter confirms that Mateusz Zieliński (mateusz.z@corvid.example) was mentored by Dr. Beatriz Gonçalves {PERIOD}.",
        f"Beatriz Gonçalves has been Mateusz Zieliński's mentor {PERIOD}; you can reach him at mateusz.z@corvid.example.",
    ],
)
def test_who_mentored_whom_in_the_ways_letters_say_it(sentence):
    text = f"Corvid Logistics Group\n14 May 2024\nDear Credentialing Team,\n{sentence}\nKind regards,\nRuth Byrne\nHR Business Partner"
    facts = find_letter_facts(text)
    assert facts.fields() == {
        "mentor_name": "Beatriz Gonçalves",
        "mentee_name": "Mateusz Zieliński",
        "mentee_email": "mateusz.z@corvid.example",
        "start_date": "2023-03-03",
        "end_date": "2024-02-09",
        "signer": "Ruth Byrne",
    }
    assert facts.is_reference


def test_a_role_under_the_signature_is_not_a_mentoring_sentence():
    facts = find_letter_facts("Yours faithfully,\nMrs Parveen Chaudhry\nMentoring Scheme Coordinator")
    assert (facts.mentor_name, facts.mentee_name, facts.signer) == (None, None, "Parveen Chaudhry")
    assert not facts.is_reference


def test_names_with_a_one_letter_word_and_a_wrapped_line():
    text = (
        "This letter confirms that Tomás Ó Briain (tomas.briain@harrowgate.example) was\n"
        "mentored by Amara Okonjo-Hale between 24 September 2022 and 8 February 2023.\nBest wishes,\nProf. Ottoline Ferrars"
    )
    facts = find_letter_facts(text)
    assert (facts.mentee_name, facts.mentor_name, facts.signer) == (
        "Tomás Ó Briain",
        "Amara Okonjo-Hale",
        "Ottoline Ferrars",
    )
    assert (facts.start_date, facts.end_date) == (date(2022, 9, 24), date(2023, 2, 8))


def test_labelled_fields_in_an_email():
    facts = find_letter_facts("Mentor: Ana Silva\nMentee: Ben Okoro\nMentee email: ben.okoro@example.org")
    assert (facts.mentor_name, facts.mentee_name, facts.mentee_email) == (
        "Ana Silva",
        "Ben Okoro",
        "ben.okoro@example.org",
    )


@pytest.mark.parametrize(
    ("words", "number"),
    [
        ("forty", 40),
        ("Thirty-Five", 35),
        ("one hundred and twenty", 120),
        ("twelve and a half", 12.5),
        ("seventy two", 72),
        ("a", None),
        ("and", None),
        ("forty-ish", None),
    ],
)
def test_numbers_in_words(words, number):
    assert words_to_number(words) == number


def test_the_writer_as_mentor_or_mentee():
    as_mentor = find_letter_facts(
        "I have been mentoring Ana Silva (ana.silva@example.org) from 1 March 2023 to "
        "30 November 2023.\nBest regards,\nDr. Hugo Lindqvist"
    )
    assert (as_mentor.mentor_name, as_mentor.mentee_name, as_mentor.mentee_email) == (
        "Hugo Lindqvist",
        "Ana Silva",
        "ana.silva@example.org",
    )
    as_mentee = find_letter_facts(
        "João Pereira has been my mentor from 4 January 2022 until 20 June 2022.\nSincerely,\nMia Chen"
    )
    assert (as_mentee.mentor_name, as_mentee.mentee_name) == ("João Pereira", "Mia Chen")


def test_a_saved_email_signed_with_a_first_name_is_signed_by_its_sender():
    facts = find_letter_facts(
        "From: Clara Nwosu <clara@acme.example>\nTo: credentials@imc.example\n"
        "I can confirm that Clara Nwosu mentored Dev Patel (dev.patel@acme.example) between "
        "March 3, 2023 and September 29, 2023.\nThanks,\nClara"
    )
    assert facts.fields() == {
        "mentor_name": "Clara Nwosu",
        "mentee_name": "Dev Patel",
        "mentee_email": "dev.patel@acme.example",
        "start_date": "2023-03-03",
        "end_date": "2023-09-29",
        "signer": "Clara Nwosu",
    }


@pytest.mark.parametrize(
    "sentence",
    [
        "I can confirm that Søren Kjærgaard-Lund has been the mentor of Rhys ap Gwilym (rhys.gwilym@vale.example) from 3 March 2023 to 9 February 2024.",
        "Please note that Rhys ap Gwilym, reachable at rhys.gwilym@vale.example, received mentoring from Søren Kjærgaard-Lund during the period 3 March 2023 to 9 February 2024.",
        "This memo records the mentoring of Rhys ap Gwilym (rhys.gwilym@vale.example) by Søren Kjærgaard-Lund from 3 March 2023 to 9 February 2024.",
    ],
)
def test_more_ways_a_memo_says_who_mentored_whom(sentence):
    facts = find_letter_facts(f"MEMORANDUM\nTO: Credentialing Panel\n{sentence}\nGPJ")
    assert (facts.mentor_name, facts.mentee_name) == ("Søren Kjærgaard-Lund", "Rhys ap Gwilym")
    assert facts.mentee_email == "rhys.gwilym@vale.example"
    assert (facts.start_date, facts.end_date) == (date(2023, 3, 3), date(2024, 2, 9))


def test_a_period_opened_with_since_and_closed_in_the_next_clause():
    text = (
        "Søren Kjærgaard-Lund has been the mentor of Rhys ap Gwilym since 3 March 2023; "
        "the mentoring ended on 9 February 2024."
    )
    facts = find_letter_facts(text)
    assert (facts.start_date, facts.end_date) == (date(2023, 3, 3), date(2024, 2, 9))


def test_a_memo_from_line_names_the_signer():
    text = "MEMORANDUM\nFROM: | Dr Gwenllian Pryce-Jones, Line Manager\nRE: | Mentoring\nA short note.\nGPJ"
    assert find_letter_facts(text).signer == "Gwenllian Pryce-Jones"


@pytest.mark.parametrize(
    "lines",
    [
        [
            "• Peer mentor – Rosa Kwan",
            "• Mentee – Ben Adeyemi (ben.adeyemi@example.net)",
            "• Dates – 04.04.2023 – 01.12.2023",
        ],
        [
            "Mentor: Rosa Kwan",
            "Person mentored: Ben Adeyemi",
            "Mentee's email address: ben.adeyemi@example.net",
            "Mentoring period: April 4–December 1, 2023",
        ],
    ],
)
def test_facts_in_a_bulleted_or_labelled_list(lines):
    text = "\n".join(
        ["Harbourside Food Bank", "Re: reference for Rosa Kwan", *lines, "Yours sincerely,", "Marta Lind"]
    )
    assert find_letter_facts(text).fields() == {
        "mentor_name": "Rosa Kwan",
        "mentee_name": "Ben Adeyemi",
        "mentee_email": "ben.adeyemi@example.net",
        "start_date": "2023-04-04",
        "end_date": "2023-12-01",
        "signer": "Marta Lind",
    }


@pytest.mark.parametrize(
    "sentence",
    [
        "I managed Rosa Kwan, who mentored Joost van den Broek from 4 April 2023 to 1 December 2023.",
        "Rosa Kwan, who leads our design team, was the mentor of Joost van den Broek "
        "between the 4th of April, 2023 and the 1st of December, 2023.",
    ],
)
def test_who_mentored_whom_in_a_managers_prose(sentence):
    facts = find_letter_facts(f"Hi,\n{sentence}\nBest wishes,\nOmar Haddad")
    assert (facts.mentor_name, facts.mentee_name) == ("Rosa Kwan", "Joost van den Broek")
    assert (facts.start_date, facts.end_date) == (date(2023, 4, 4), date(2023, 12, 1))


def test_a_mentoring_sentence_with_an_aside_but_no_relation_names_nobody():
    facts = find_letter_facts("Rosa Kwan, who leads our design team, was the manager of Ben Adeyemi.")
    assert (facts.mentor_name, facts.mentee_name) == (None, None)


def test_ambiguous_slashed_dates_in_a_list_are_not_guessed():
    facts = find_letter_facts("Mentor – Rosa Kwan\nMentee – Ben Adeyemi\nDates – 04/05/2023 – 06/07/2023")
    assert (facts.start_date, facts.end_date) == (None, None)
