import json
from datetime import date
from decimal import Decimal

import pytest

from portal.documents.facts import FIELDS, find_facts

NAME = "Zoë O'Brien-Ñúñez"


@pytest.mark.parametrize(
    "text",
    [
        "35 hours of mentoring practice",
        "Duration: 35.0 contact hours",
        "The course comprised a total of 35 hrs.",
        "Awarded 35 CPD hours",
        "Hours: 35",
        "Hours\n35",
        "Total hours | 35",
        "Duration: 5 days (35 hours)",
        "35h of training",
        "Total training time 35 hours, including 10 hours of supervised practice",
        "includes 10 hours of supervised practice within 35 contact hours",
    ],
)
def test_hours_wordings(text):
    facts = find_facts(text)
    assert facts.hours == Decimal(35)
    assert facts.evidence["hours"]


def test_fractional_hours_with_a_decimal_comma():
    assert find_facts("Volume: 35,5 hours").hours == Decimal("35.5")


def test_a_stated_total_wins_over_a_larger_figure():
    facts = find_facts("Total: 30 hours\nincluding 40 hours of optional reading")
    assert facts.hours == Decimal(30)


@pytest.mark.parametrize(
    "text",
    [
        f"This is to certify that {NAME} has successfully completed the course",
        f"This is to certify that\n{NAME}\nhas successfully completed\nAdvanced Mentoring Practice",
        f"Awarded to {NAME} for completing the programme",
        f"Presented to\n{NAME}",
        f"Participant: {NAME}",
        f"Participant:\n{NAME}",
        f"Participant | {NAME}",
        f"Name of participant: Ms {NAME}",
        f"{NAME} has successfully completed Advanced Mentoring Practice",
    ],
)
def test_participant_wordings(text):
    facts = find_facts(text)
    assert facts.participant_name == NAME


def test_names_in_capitals_keep_their_accents():
    assert find_facts("Awarded to ZOË O'BRIEN-ÑÚÑEZ for completing X").participant_name == "ZOË O'BRIEN-ÑÚÑEZ"


def test_typographic_apostrophes_are_straightened():
    assert find_facts("Participant: Zoë O’Brien-Ñúñez").participant_name == NAME


@pytest.mark.parametrize(
    "text",
    [
        "has successfully completed Advanced Mentoring Practice delivered by Northfield",
        'completed the course "Advanced Mentoring Practice" at the Northfield Academy',
        "has completed the programme Advanced Mentoring Practice, 35 hours",
        "for completing Advanced Mentoring Practice on 30 April 2024",
        "Programme: Advanced Mentoring Practice",
        "Course title:\nAdvanced Mentoring Practice",
        "completed 35 hours of training in Advanced Mentoring Practice",
        "has successfully completed\nAdvanced Mentoring Practice\nfrom 1 March 2024 to 30 April 2024",
    ],
)
def test_programme_wordings(text):
    assert find_facts(text).programme == "Advanced Mentoring Practice"


@pytest.mark.parametrize(
    "text",
    [
        "Training centre: Northfield Mentoring Academy",
        "Training center: Northfield Mentoring Academy",
        "Training provider:\nNorthfield Mentoring Academy",
        "The course was delivered by Northfield Mentoring Academy on 1 May 2024",
        "completed Advanced Mentoring Practice at the Northfield Mentoring Academy",
        "Provider | Northfield Mentoring Academy",
    ],
)
def test_training_centre_wordings(text):
    assert find_facts(text).training_centre == "Northfield Mentoring Academy"


@pytest.mark.parametrize(
    "text",
    [
        "Instructor: Ana Silva",
        "Trainer: Dr Ana Silva",
        "Facilitator:\nAna Silva",
        "Lead trainer: Ana Silva",
        "The course was taught by Ana Silva.",
        "Tutor | Prof. Ana Silva",
    ],
)
def test_instructor_wordings(text):
    assert find_facts(text).instructor == "Ana Silva"


@pytest.mark.parametrize(
    "text",
    [
        "Date of issue: 12 May 2024",
        "Issued on 12 May 2024",
        "Issue date: 2024-05-12",
        "Issued on: May 12, 2024",
        "Date of issue:\n12th May 2024",
        "Date: 12/05/2024 (see also 25/04/2024)",
        "Dated 12 May 2024",
    ],
)
def test_issue_date_wordings(text):
    assert find_facts(text).issue_date == date(2024, 5, 12)


@pytest.mark.parametrize(
    "text",
    [
        "from 1 March 2024 to 30 April 2024",
        "held between March 1, 2024 and April 30, 2024",
        "Start date: 2024-03-01\nEnd date: 2024-04-30",
        "Start date:\n1 March 2024\nEnd date:\n30 April 2024",
        "Training dates: 1 March – 30 April 2024",
        "Period: 01/03/2024 - 30/04/2024",
        "Course dates | 1st March 2024 to 30th April 2024",
    ],
)
def test_training_period_wordings(text):
    facts = find_facts(text)
    assert (facts.start_date, facts.end_date) == (date(2024, 3, 1), date(2024, 4, 30))


def test_a_one_day_training():
    facts = find_facts("attended the workshop held on 12 March 2024")
    assert facts.start_date == facts.end_date == date(2024, 3, 12)


def test_a_completion_date_is_the_end():
    facts = find_facts("has completed Advanced Mentoring Practice on 30 April 2024")
    assert facts.end_date == date(2024, 4, 30) and facts.start_date is None


def test_an_ambiguous_date_is_reported_not_guessed():
    facts = find_facts("Date of issue: 03/04/2024")
    assert facts.issue_date is None
    (item,) = facts.ambiguous
    assert item.field == "issue_date" and set(item.readings) == {date(2024, 4, 3), date(2024, 3, 4)}
    assert facts.warnings == ["03/04/2024 could be 3 April 2024 or 4 March 2024"]


def test_a_whole_certificate():
    text = "\n".join(
        [
            "CERTIFICATE OF COMPLETION",
            "This is to certify that",
            NAME,
            "has successfully completed",
            "Advanced Mentoring Practice",
            "delivered by Northfield Mentoring Academy",
            "from 1 March 2024 to 30 April 2024",
            "a total of 35 hrs",
            "Instructor: Dr. Ana Silva",
            "Date of issue: 12 May 2024",
        ]
    )
    facts = find_facts(text)
    assert facts.fields() == {
        "participant_name": NAME,
        "programme": "Advanced Mentoring Practice",
        "training_centre": "Northfield Mentoring Academy",
        "hours": 35,
        "start_date": "2024-03-01",
        "end_date": "2024-04-30",
        "issue_date": "2024-05-12",
        "instructor": "Ana Silva",
    }
    assert facts.evidence["hours"] == "a total of 35 hrs"
    assert facts.evidence["issue_date"] == "Date of issue: 12 May 2024"
    json.dumps(facts.to_dict())


def test_text_without_facts_finds_nothing():
    facts = find_facts("Lorem ipsum dolor sit amet.\nConsectetur adipiscing elit.")
    assert all(value is None for value in facts.fields().values())
    assert list(facts.fields()) == list(FIELDS)


def test_one_line_holding_several_labels():
    facts = find_facts(f"Participant: {NAME} Hours: 35 Date of issue: 12 May 2024")
    assert facts.participant_name == NAME
    assert facts.hours == 35 and facts.issue_date == date(2024, 5, 12)


def test_pathological_text_reads_within_the_sandbox_time_limit(tmp_path):
    # Catastrophic regex backtracking would hit the sandbox's wall clock and end "manual".
    from portal.documents.pipeline import extract
    from tests.factories.documents import make_docx

    text = "completed " * 20_000 + "12/12/2024 " * 10_000 + "This is to certify that " * 5_000
    outcome = extract(make_docx(tmp_path / "long.docx", [text]))
    assert outcome.status == "read", outcome.reason


# --- organisations, people, prose letters and numbers in words ----------------------------------


@pytest.mark.parametrize(
    ("text", "centre"),
    [
        # A letterhead with the office beside the body's name.
        (
            "Marchbank University — Registry of Awards\nCertificate of Completion\nParticipant: Ana Silva",
            "Marchbank University",
        ),
        # A logo in capitals set over two lines.
        (
            "NORTHGATE INSTITUTE OF\nPROFESSIONAL PRACTICE\nCertificate of Attendance\nParticipant: Ana Silva",
            "NORTHGATE INSTITUTE OF PROFESSIONAL PRACTICE",
        ),
        ("KESTREL BAY\nCOACHING COLLECTIVE\nStatement of Attendance", "KESTREL BAY COACHING COLLECTIVE"),
        # A letter's sender block, above the date and the address.
        (
            "Amberfield Leadership Institute\n14 Quay Street\nBristol BS1 4QA\n12 August 2023\nTo whom it may concern,",
            "Amberfield Leadership Institute",
        ),
        (
            "This certificate is issued on behalf of the Wrenfield School of Mentoring to Ana Silva.",
            "Wrenfield School of Mentoring",
        ),
        (
            "Certificate of Completion\nAna Silva\nSigned on behalf of Corvid Mentoring Ltd",
            "Corvid Mentoring Ltd",
        ),
    ],
)
def test_the_issuing_organisation_without_a_label(text, centre):
    assert find_facts(text).training_centre == centre


def test_a_page_header_letterhead_wins_over_a_body_line():
    from portal.documents.layout import HEADER, LINE, Block

    blocks = [
        Block(LINE, ["Meridian Coaching"], source=HEADER),
        Block(LINE, ["Certificate of Completion"]),
        Block(LINE, ["Participant: Ana Silva"]),
    ]
    text = "\n".join(line for block in blocks for line in block.lines)
    assert find_facts(text, blocks).training_centre == "Meridian Coaching"


def test_a_certificate_title_or_the_participant_is_never_the_organisation():
    facts = find_facts("CERTIFICATE OF ACHIEVEMENT\nZoë O'Brien-Ñúñez\nhas completed Reflective Mentoring")
    assert facts.training_centre is None


@pytest.mark.parametrize(
    ("text", "instructor"),
    [
        ("Signed: Tomasz Wiśniewski, Programme Facilitator", "Tomasz Wiśniewski"),
        ("________________\nProf. Idris Rahmani\nProgramme Director", "Idris Rahmani"),
        ("Ngozi Adeyemi-Clarke\nCourse Tutor", "Ngozi Adeyemi-Clarke"),
        # Two signatures side by side: the one who taught is the instructor, not the registrar.
        ("Maria Costa | Ngozi Adeyemi-Clarke\nRegistrar | Lead Trainer", "Ngozi Adeyemi-Clarke"),
        ("Ana Silva (Senior Lecturer)", "Ana Silva"),
    ],
)
def test_the_instructor_from_a_signature_block(text, instructor):
    facts = find_facts(text)
    assert facts.instructor == instructor
    assert text.splitlines()[-1] in facts.evidence["instructor"]  # what the document says, honorific and all


def test_a_registrar_signing_alone_is_not_the_instructor():
    facts = find_facts("Maria Costa\nRegistrar")
    assert facts.instructor is None and facts.signers == ["Maria Costa"]


def test_a_prose_letter_states_every_fact():
    text = (
        "Amberfield Leadership Institute\n12 August 2023\n"
        "I am writing to confirm that Mr. Oskar Lindqvist-Berg completed our Reflective Supervision and Mentoring "
        "Skills programme between 3 March and 9 June 2023, comprising forty (40) guided learning hours.\n"
        "Yours faithfully,\nHelena Moreau\nLead Trainer, Amberfield Leadership Institute"
    )
    facts = find_facts(text)
    assert facts.fields() == {
        "participant_name": "Oskar Lindqvist-Berg",
        "programme": "Reflective Supervision and Mentoring Skills",
        "training_centre": "Amberfield Leadership Institute",
        "hours": 40,
        "start_date": "2023-03-03",
        "end_date": "2023-06-09",
        "issue_date": "2023-08-12",
        "instructor": "Helena Moreau",
    }
    assert facts.evidence["participant_name"].startswith("I am writing to confirm that Mr. Oskar")


def test_a_possessive_names_the_participant():
    facts = find_facts(
        "We are delighted to confirm Dr Ana Ruiz's successful completion of the Coaching Foundations course."
    )
    assert (facts.participant_name, facts.programme) == ("Ana Ruiz", "Coaching Foundations")


def test_a_title_on_the_line_below_the_completion():
    facts = find_facts(
        "This certifies that\nOluwaseun Adebayo\nhas successfully completed the programme\n"
        "Level 5 Award in Workplace Mentoring\na course of 42 hours"
    )
    assert facts.programme == "Level 5 Award in Workplace Mentoring"


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("comprising forty (40) guided learning hours", Decimal(40)),
        ("a total of thirty-five hours", Decimal(35)),
        ("Duration: twelve and a half hours", Decimal("12.5")),
        ("Guided hours | Twenty-eight (28)", Decimal(28)),
        ("Hours | Forty", Decimal(40)),
        ("one hundred and twenty contact hours", Decimal(120)),
        ("a sixteen-hour course", Decimal(16)),
        ("our Team Mentoring Masterclass, a 16-hour programme", Decimal(16)),
    ],
)
def test_hours_in_words(text, hours):
    assert find_facts(text).hours == hours


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Attended | 14th February – 2nd May 2024", date(2024, 2, 14), date(2024, 5, 2)),
        ("held between 3 March and 9 June 2023", date(2023, 3, 3), date(2023, 6, 9)),
        ("Dates: March 3 – June 9, 2023", date(2023, 3, 3), date(2023, 6, 9)),
        ("Commenced | 6th April 2021\nCompleted | 16th April 2021", date(2021, 4, 6), date(2021, 4, 16)),
    ],
)
def test_ordinal_dates_and_ranges(text, start, end):
    facts = find_facts(text)
    assert (facts.start_date, facts.end_date) == (start, end)


def test_an_ordinal_issue_date():
    assert find_facts("Issued | 23rd July 2023").issue_date == date(2023, 7, 23)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "INSTITUTO DE LIDERAZGO\nWe hereby certify that Kwame Mensah has satisfied the requirements of the Advanced "
            "Coaching Skills course held from 5th January 2024 to 28th March 2024 totalling 30.5 hours.\n"
            "Dated this 4th day of April 2024",
            {
                "participant_name": "Kwame Mensah",
                "programme": "Advanced Coaching Skills",
                "training_centre": "INSTITUTO DE LIDERAZGO",
                "hours": 30.5,
                "issue_date": "2024-04-04",
            },
        ),
        (
            "Certificate of Participation\nPresented by the Northern Society for Professional Mentors\nto\nLi Wei\n"
            "for participating in Mentoring Skills Level 2\nJuly 3rd – July 21st, 2023 · 24 CPD hours",
            {
                "participant_name": "Li Wei",
                "training_centre": "Northern Society for Professional Mentors",
                "start_date": "2023-07-03",
                "end_date": "2023-07-21",
                "hours": 24,
            },
        ),
    ],
)
def test_wordings_of_other_issuers(text, expected):
    fields = find_facts(text).fields()
    assert {name: fields[name] for name in expected} == expected


def test_a_logo_in_the_first_column_of_a_letterhead_set_out_in_columns():
    text = (
        "Orchard Lane | Registry of Professional Awards\nLearning Centre | orchardlane.example\nCertificate\n"
        "Participant name | Siobhán Ní Bhriain"
    )
    assert find_facts(text).training_centre == "Orchard Lane Learning Centre"


def test_a_signature_beside_the_date_and_a_signature_beside_another_cell():
    facts = find_facts("Dr. Felix Obi | Date: 30 September 2024\nLead Facilitator")
    assert (facts.instructor, facts.issue_date) == ("Felix Obi", date(2024, 9, 30))
    facts = find_facts("Signed: Prof. Idris Rahmani, Course Tutor | Issued: 2 April 2024")
    assert (facts.instructor, facts.issue_date) == ("Idris Rahmani", date(2024, 4, 2))


def test_for_completing_labels_the_programme():
    assert (
        find_facts("For completing | Supervision Skills for Mentors").programme
        == "Supervision Skills for Mentors"
    )


def test_a_validity_period_is_not_the_training_period():
    facts = find_facts(
        "This certificate is valid from 1 May 2024 to 30 April 2026.\n"
        "The course ran from 4 March 2024 to 26 April 2024."
    )
    assert (facts.start_date, facts.end_date) == (date(2024, 3, 4), date(2024, 4, 26))


def test_an_organisation_that_certifies_in_a_sentence_and_a_role_before_the_name():
    text = (
        "Certificate no. 2024/118\nThe Board of the Pinewood Coaching Network certifies that Ms. Erin O'Connell "
        "successfully completed Mentoring Practice II on 14/06/2024. Duration: 2 days (14 hours).\n"
        "Director of Studies: Dr Ruth Kamau"
    )
    facts = find_facts(text)
    assert (facts.training_centre, facts.participant_name, facts.programme, facts.instructor) == (
        "Pinewood Coaching Network",
        "Erin O'Connell",
        "Mentoring Practice II",
        "Ruth Kamau",
    )
    assert (
        find_facts("Ana Silva certifies that Ben Okoro completed Reflective Mentoring.").training_centre
        is None
    )


def test_a_description_of_the_course_is_not_its_title():
    facts = find_facts(
        "This is to certify that\nPEDRO ALVES\nhas attended the short course\nMENTORING FOR ACADEMIC LEADERS"
    )
    assert facts.programme == "MENTORING FOR ACADEMIC LEADERS"


def test_a_completion_sentence_set_over_several_lines_dates_the_end():
    facts = find_facts(
        "Ana Silva\nhas completed 20 hours of training in Mentoring Fundamentals\n"
        "provided by Beacon Learning Trust\non 12 May 2023"
    )
    assert (facts.programme, facts.training_centre, facts.hours, facts.end_date) == (
        "Mentoring Fundamentals",
        "Beacon Learning Trust",
        Decimal(20),
        date(2023, 5, 12),
    )


@pytest.mark.parametrize(
    "label",
    [
        "Recipient",
        "Holder",
        "Course undertaken",
        "COURSE FOLLOWED",
        "Programme of study",
        "Total study time",
        "Hours of study",
        "Contact time",
        "Dates of study",
        "First session",
        "Final session",
        "Signature of trainer",
        "Course convenor",
    ],
)
def test_more_caption_and_label_wordings_are_labels(label):
    from portal.documents.facts import is_field_label

    assert is_field_label(label) and is_field_label(label.upper())


def test_labels_set_apart_by_tabs_and_hours_given_as_a_number_then_words():
    text = (
        "Course Certificate\nRecipient\tInès Villalobos-Prieto\nCourse studied\tPeer Mentoring: Theory and Practice\n"
        "Study hours\t42 (forty-two)\nFirst session\t7 Apr 2022\nFinal session\t15 Jul 2022\n"
        "Signature of trainer\tMs Anneliese Brückner"
    ).replace("\t", " | ")
    facts = find_facts(text)
    assert facts.participant_name == "Inès Villalobos-Prieto"
    assert facts.programme == "Peer Mentoring: Theory and Practice"
    assert facts.hours == Decimal(42)
    assert (facts.start_date, facts.end_date) == (date(2022, 4, 7), date(2022, 7, 15))
    assert facts.instructor == "Anneliese Brückner"


def test_the_second_half_of_a_logo_alone_is_not_taken_for_the_organisation():
    from portal.documents.facts import find_organisation
    from portal.documents.layout import HEADING, Block

    blocks = [Block(HEADING, ["LINDQVIST-H9EG INSTITUTE"]), Block(HEADING, ["FOR MENTORING"])]
    assert find_organisation(blocks) is None


def test_an_organisation_in_a_footer_line_of_dotted_parts_is_found():
    from portal.documents.facts import find_organisation
    from portal.documents.layout import Block, role_of_text

    line = "Ravensworth College of Coaching · registered training provider"
    found = find_organisation([Block(role_of_text(line), [line])])
    assert found is not None and found[0] == "Ravensworth College of Coaching"


def test_a_labelled_line_of_another_field_is_never_the_organisation():
    from portal.documents.facts import find_organisation
    from portal.documents.layout import LINE, Block

    blocks = [Block(LINE, ["Programme title: Foundations of Developmental Mentoring"])]
    assert find_organisation(blocks) is None


@pytest.mark.parametrize("caption", ["PROGRAMME DIRECTOR", "Principal Trainer", "TRAINER'S SIGNATURE"])
def test_a_role_caption_beside_a_date_caption_names_the_signer_above_it(caption):
    from portal.documents.facts import find_signers
    from portal.documents.layout import LINE, SIGNATURE, Block

    blocks = [
        Block(LINE, ["Dr Gwenllian Pryce-Jones | 3 March 2024"]),
        Block(SIGNATURE, [f"{caption} | DATE"]),
    ]
    signers = find_signers(blocks)
    assert [(signer.name, signer.role) for signer in signers] == [("Gwenllian Pryce-Jones", caption)]


def test_a_bare_signature_caption_names_no_instructor():
    from portal.documents.layout import LINE, SIGNATURE, Block

    blocks = [
        Block(LINE, ["Dr Gwenllian Pryce-Jones | 3 March 2024"]),
        Block(SIGNATURE, ["SIGNATURE | DATE"]),
    ]
    assert find_facts("\n".join(line for b in blocks for line in b.lines), blocks).instructor is None


def test_a_labelled_value_that_ends_in_a_role_word_names_no_signer():
    from portal.documents.facts import find_signers
    from portal.documents.layout import LABEL_VALUE, Block

    blocks = [
        Block(LABEL_VALUE, ["LEARNER | Søren Kjærgaard-Lund"], label="LEARNER", value="Søren Kjærgaard-Lund"),
        Block(
            LABEL_VALUE,
            ["COURSE FOLLOWED | Mentoring for Early-Career Teachers"],
            label="COURSE FOLLOWED",
            value="Mentoring for Early-Career Teachers",
        ),
    ]
    assert find_signers(blocks) == []


# --- kinds of certificate wording: sentences over lines, seals, hours with their kind, parent bodies ---------


@pytest.mark.parametrize(
    "text", ["a total of 18 contact hours", "eighteen (18) hours of study", "Learning time | 18 guided hours"]
)
def test_hours_written_with_their_kind_or_in_words_with_digits(text):
    assert find_facts(text).hours == Decimal(18)


def test_a_year_at_a_line_end_is_never_the_hours_of_a_caption_below_it():
    facts = find_facts("Course dates\n2 October 2023 - 14 December 2023\nHOURS\nsee the attached transcript")
    assert facts.hours is None


def test_a_name_and_a_title_each_on_the_line_below_the_sentence_that_introduces_them():
    text = "\n".join(
        [
            "Certificate of Participation",
            "We hereby attest that",
            "Joost van den Broek",
            "completed twelve hours of training in",
            "Listening Skills for New Supervisors",
            "between the 2nd of October, 2023 and the 14th of December, 2023.",
            "Given under my hand and seal this 20th of December, 2023.",
        ]
    )
    facts = find_facts(text)
    assert facts.participant_name == "Joost van den Broek"
    assert facts.programme == "Listening Skills for New Supervisors"
    assert (facts.start_date, facts.end_date) == (date(2023, 10, 2), date(2023, 12, 14))
    assert facts.issue_date == date(2023, 12, 20)


def test_a_sentence_ending_in_that_over_a_line_that_is_no_name_gives_no_participant():
    facts = find_facts("The board notes that\nthe course was cancelled twice\nHours: 6")
    assert facts.participant_name is None


def test_the_centre_in_a_seal_block_in_capitals():
    facts = find_facts(
        "Certificate of Attendance\nThis is to certify that\nPriya Raman\n"
        "attended Coaching in Schools on 04.05.2024.\n✦ SEAL OF THE ✦\nGLENCOE COLLEGE OF\nPASTORAL CARE\nEST. 1972"
    )
    assert facts.training_centre == "GLENCOE COLLEGE OF PASTORAL CARE"
    assert (facts.start_date, facts.end_date) == (date(2024, 5, 4), date(2024, 5, 4))


def test_an_office_beside_its_college_in_the_letterhead_issues_for_the_college():
    text = "\n".join(
        [
            "Brackenfield College | Office of Short Courses",
            "This record is issued by the Office of Short Courses to a participant who finished the course below.",
            "Participant: Elif Demir",
        ]
    )
    assert find_facts(text).training_centre == "Brackenfield College"


def test_an_office_on_its_own_stays_the_issuer():
    text = "Office of Short Courses\nThis record is issued by the Office of Short Courses to a participant."
    assert find_facts(text).training_centre == "Office of Short Courses"


def test_a_period_label_with_a_second_date_unread_is_not_one_day():
    facts = find_facts("Course dates: 2 October 2023 - 1?.12.2O23")
    assert (facts.start_date, facts.end_date) == (None, None)


def test_a_body_on_the_line_below_training_in_is_not_the_programme():
    assert find_facts("She completed her training in\nLeeds City Council").programme is None
