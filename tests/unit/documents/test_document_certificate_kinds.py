"""Certificates read by what their layout gives prominence to, whatever their labels say."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from portal.documents.dates import find_dates
from portal.documents.facts import find_facts, find_signers, name_then_role
from portal.documents.layout import HEADING, LINE, Block, Line, Word, blocks_from_lines


def _line(y: float, *cells: list[tuple[str, float]], size: float = 10) -> Line:
    return Line([[Word(text, x, y, x + 6 * len(text), y + size) for text, x in cell] for cell in cells], 0)


def _facts_of(blocks: list[Block]):
    return find_facts("\n".join(line for block in blocks for line in block.lines), blocks)


def test_a_letter_spaced_logo_reads_as_its_words():
    logo = _line(
        10,
        [("Q", 0), ("U", 14), ("I", 28), ("L", 42), ("L", 56)],
        [("&", 120)],
        [("T", 180), ("H", 194), ("O", 208), ("R", 222), ("N", 236)],
    )
    assert logo.cell_texts == ["QUILL & THORN"]
    assert _line(10, [("A", 0), ("B", 14)]).cell_texts == ["A B"]  # two letters are not a spaced word


def test_a_lead_in_under_a_name_is_not_the_name_s_caption():
    lines = [
        _line(10, [("Ottilie", 0), ("Brandvold", 70)], size=24),
        _line(40, [("for", 0), ("completing", 30)], size=10),
        _line(60, [("Peer", 0), ("Supervision", 40), ("Basics", 130)], size=18),
    ]
    blocks = blocks_from_lines(lines, is_label=lambda text: text in ("for completing",))
    assert not any(block.value == "Ottilie Brandvold" for block in blocks)


def test_the_name_set_largest_is_the_participant_whatever_leads_into_it():
    blocks = [
        Block(HEADING, ["QUILL & THORN ACADEMY"], size=20),
        Block(LINE, ["Herewith we honour"], size=10),
        Block(HEADING, ["Ottilie Brandvold-Nakamura"], size=30),
        Block(LINE, ["for completing"], size=10),
        Block(HEADING, ["Peer Supervision Basics"], size=18),
    ]
    facts = _facts_of(blocks)
    assert facts.participant_name == "Ottilie Brandvold-Nakamura"
    assert facts.training_centre == "QUILL & THORN ACADEMY"


def test_a_name_broken_over_two_large_lines_is_read_whole():
    blocks = [Block(LINE, ["Herewith we honour"], size=10)]
    blocks += [Block(HEADING, [text], size=30) for text in ("Maximiliano Esteban Urrutia", "Garmendia")]
    assert _facts_of(blocks).participant_name == "Maximiliano Esteban Urrutia Garmendia"


def test_a_name_run_straight_into_its_role():
    assert name_then_role("Priya Raman-Holt Senior Programme Tutor") == (
        "Priya Raman-Holt",
        "Senior Programme Tutor",
    )
    assert name_then_role("Peer Supervision Basics") is None
    # A job title in capitals is not a name before a role.
    assert name_then_role("HR Business Partner") is None
    assert name_then_role("Mentoring Scheme Coordinator, Quayside Ltd") is None
    signers = find_signers([Block(LINE, ["12 May 2024 | QT-2024-0031 | Priya Raman-Holt Course Lead"])])
    assert [(s.name, s.role) for s in signers] == [("Priya Raman-Holt", "Course Lead")]


def test_a_programme_named_like_a_role_and_a_name_is_no_signer():
    text = "Ottilie Brandvold\nfor completing | Coach Clinic: Holding Space\non 3 March 2024"
    facts = find_facts(text)
    assert facts.programme == "Coach Clinic: Holding Space"
    assert facts.instructor is None


def test_the_body_behind_a_certificate_named_in_its_sentences():
    facts = find_facts("Ottilie Brandvold\nan initiative of the Quill and Thorn Guild\non 3 March 2024")
    assert facts.training_centre == "Quill and Thorn Guild"
    facts = find_facts("Ottilie Brandvold\na course of Thirty-two (32) hours")
    assert facts.training_centre is None


def test_year_first_dotted_and_roman_month_dates():
    assert [m.value for m in find_dates("issued 2023.11.04")] == [date(2023, 11, 4)]
    assert [m.value for m in find_dates("from 9.XI.2023 to 2.II.2024")] == [
        date(2023, 11, 9),
        date(2024, 2, 2),
    ]
    assert find_dates("release 2023.11.04.2") == []


def test_a_one_day_programme_starts_the_day_it_ends_and_a_bare_cpd_figure_is_hours():
    facts = find_facts(
        "for completing | Peer Supervision Basics\non 3 March 2024\nA one-day workshop\nCPD: 5.5"
    )
    assert (facts.start_date, facts.end_date) == (date(2024, 3, 3), date(2024, 3, 3))
    assert facts.hours == Decimal("5.5")
    facts = find_facts("for completing | Peer Supervision Basics\non 3 March 2024\nCPD: 5.5 points")
    assert facts.start_date is None and facts.end_date == date(2024, 3, 3) and facts.hours is None


TRANSCRIPT = """Harrowgate Institute
Lifelong Learning Unit
Record of Learning
Learner | Teodor Wiśniewski-Hale
Ref | Unit | From | To | Hrs
A1 | Contracting | 2.IX.2023 | 9.IX.2023 | 4
A2 | Listening Well | 2023.10.01 | 2023.10.20 | 6.5
A3 | Endings | 2023.11.02 | 2023.11.30 | 5
Totals | 15.5
At least 12 hours are required for the award."""


def test_a_table_of_parts_gives_its_total_and_its_first_and_last_dates():
    facts = find_facts(TRANSCRIPT)
    assert facts.hours == Decimal("15.5")
    assert (facts.start_date, facts.end_date) == (date(2023, 9, 2), date(2023, 11, 30))
    assert "Totals | 15.5" in facts.evidence["hours"]
    assert facts.training_centre == "Harrowgate Institute"  # the unit within it is not the issuer


def test_hours_a_rule_requires_are_not_the_hours_done():
    assert find_facts("Minimum required for the award: 30 hours").hours is None


BILINGUAL = """CASA ROVIRA
Certificate / Certificado
This is to certify that
Se certifica que
Itziar Goikoetxea Larrañaga
took part in the workshop
participó en el taller
Coaching Across Cultures
Issued in San Sebastián on 4 May 2024 / Expedido en San Sebastián, el 4 de mayo de 2024"""


def test_a_bilingual_certificate_reads_past_the_translation_of_its_lead_in():
    facts = find_facts(BILINGUAL)
    assert facts.participant_name == "Itziar Goikoetxea Larrañaga"
    assert facts.programme == "Coaching Across Cultures"
    assert facts.issue_date == date(2024, 5, 4)
    side_by_side = find_facts("This is to certify that | Certifions que\nNoor El-Amrani | \nwas here")
    assert side_by_side.participant_name == "Noor El-Amrani"


def test_a_person_doing_something_is_never_the_issuer_but_a_body_with_lowercase_words_is():
    facts = find_facts("Sociedad española de mentoría\nIrati Zubiri attended the training programme")
    assert facts.training_centre == "Sociedad española de mentoría"


def test_an_organisation_read_without_its_accents_is_still_an_organisation():
    facts = find_facts(
        "FUNDACION RIBERA NORTE\nCertificado de participación\nSe certifica que\nIrati Zubiri Olano"
    )
    assert facts.training_centre == "FUNDACION RIBERA NORTE"
    assert facts.participant_name == "Irati Zubiri Olano"


def test_a_caption_recognition_ran_into_the_signer_s_name_is_dropped():
    assert name_then_role("DIRECTOR Priya Raman-Holt Academy Director") == (
        "Priya Raman-Holt",
        "Academy Director",
    )


def test_a_total_row_read_with_specks_still_gives_the_hours_but_a_messy_table_gives_no_period():
    text = (
        "[Ref | Unit | From | To | Hrs!\n"
        "A1 | Contracting | 2023.09.02 | 2023.09.09 | 4\n"
        "A2 | Listening | 2023.10.01 2023.1020 | 6\n"  # a row whose dates recognition ran together
        "A3 | Endings | 2023.11.02 | 2023.11.30 | 5\n"
        "Total | | | 15 ]"
    )
    facts = find_facts(text)
    assert facts.hours == Decimal("15")
    assert facts.start_date is None and facts.end_date is None
