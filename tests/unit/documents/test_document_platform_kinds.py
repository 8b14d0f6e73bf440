"""Kinds of certificate and reference met on platforms, associations' certificates, university statements,
line managers' letters and forwarded emails: borderless two-column tables, bare verb labels before a date,
hours in hours and minutes or as points per hour, third-person statements, a unit under its university, a
mentee named in full elsewhere in the letter, an address in a sentence, a forwarded quoted message."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from email.parser import BytesParser
from email.policy import default as default_policy
from pathlib import Path

import pytest

from portal.documents.dates import find_dates, find_ranges
from portal.documents.emails import read_email_blocks
from portal.documents.facts import find_facts
from portal.documents.layout import QUOTED, blocks_text
from portal.documents.letters import find_letter_facts
from portal.documents.limits import Limits

# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Started 07-Feb-2026", date(2026, 2, 7)),
        ("started 7/Sept/2026", date(2026, 9, 7)),
        ("Tuesday, 14 April 2026", date(2026, 4, 14)),
        ("4 Aug. 2026", date(2026, 8, 4)),
        ("the 21st August 2026", date(2026, 8, 21)),
        ("August 21st, 2026", date(2026, 8, 21)),
    ],
)
def test_dates_with_a_month_between_hyphens_or_a_weekday_read_one_way(text, expected):
    (mention,) = find_dates(text)
    assert mention.value == expected


def test_a_month_between_hyphens_must_be_a_month():
    assert find_dates("ref 07-Fox-2026") == []


def test_a_range_reads_when_its_second_date_carries_a_weekday():
    (period,) = find_ranges("from Wednesday, 1 April 2026 until Friday, 19 June 2026")
    assert (period.start.value, period.end.value) == (date(2026, 4, 1), date(2026, 6, 19))
    (period,) = find_ranges("for the period 11-Jan-2026 to 02-Jul-2026")
    assert (period.start.value, period.end.value) == (date(2026, 1, 11), date(2026, 7, 2))


# --- a borderless two-column table, bare verb labels, a platform's card -------------------------

ASSOCIATION = """\
✦ GUILD OF HARBOUR PILOTS
Steady hands since 1921
Certificate of Completion
Name of member | Tomasz Wierzbicki
Course | Night Navigation for Mentors
CPD hours | 14 h
Commenced | 12-Oct-2026
Concluded | 30-Nov-2026
Date of certification | 04-Dec-2026
Led by | Ingrid Solberg
_______________________________
Ingrid Solberg
Head of Education
"""


def test_a_signer_s_role_is_never_the_issuing_organisation():
    facts = find_facts(
        "Certificate of Completion\nParticipant: Tomasz Wierzbicki\nIngrid Solberg\nHead of Education\n"
    )
    assert facts.training_centre is None


PLATFORM = """\
Q Quaylearn | 7KQ2-PP3M | Certificate ID
C E R T I F I C A T E | O F | C O M P L E T I O N
Oisín Mac Giolla Phádraig
successfully completed
Peer Supervision: Listening, Noticing and
Responding
Issued by Kestrel Bay College
Duration: 9h 15m | Enrolled Feb 2, 2026 | Completed Mar 1, 2026 | Issued Mar 3, 2026
Lindiwe Khumalo
Dr. Lindiwe Khumalo | Verify this certificate at
Course Author | https://quaylearn.example/verify/7KQ2-PP3M
"""


def test_a_completed_date_is_never_read_as_the_programme():
    facts = find_facts(
        "Zeynep Arslan\nhas completed the online course\nCompleted Mar 1, 2026 | Issued Mar 3, 2026\n"
    )
    assert facts.programme is None
    assert facts.end_date == date(2026, 3, 1)


def test_a_bare_verb_is_a_label_only_before_a_date():
    facts = find_facts("Completed Rope Work Basics\nEnrolled students: 40\n")
    assert facts.end_date is None and facts.start_date is None


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("Duration: 9h 15m", Decimal("9.25")),
        ("Time on course: 20 hrs 30 mins", Decimal("20.5")),
        ("The module carries 8 CPD points (one point per hour of study).", Decimal(8)),
        ("She earned 11 credits (1 credit for each hour of attendance).", Decimal(11)),
    ],
)
def test_hours_in_hours_and_minutes_or_as_points_the_text_says_are_hours(text, hours):
    assert find_facts(text).hours == hours


def test_points_without_a_rate_are_not_hours():
    assert find_facts("The module carries 8 CPD points.").hours is None


# --- a third-person statement from a university office ---------------------------------------------

STATEMENT = """\
Kestrel Bay College
Centre for Professional Learning
41 Harbour Road · Kestrel Bay 7020 · New Zealand
9th February 2026
Record of Professional Development
Mr Tavita Leaupepe (ID 7734120) was enrolled on our short course Coaching Apprentices on Site from 5th January 2026 until 30th January 2026, and completed all of its requirements. The course carries 18 CPD points (one point for each hour of learning).
I taught the course myself and assessed the final portfolio.
Yours sincerely,
Assoc. Prof. Hinewai Parata
Programme Coordinator
Centre for Professional Learning
"""


# In FIELDS order: participant, programme, centre, hours, start, end, issue date, instructor.
WHOLE_CERTIFICATES = [
    # A borderless two-column table; the mark before the association's name is not part of it.
    (ASSOCIATION, ("Tomasz Wierzbicki", "Night Navigation for Mentors", "GUILD OF HARBOUR PILOTS", 14,
                   "2026-10-12", "2026-11-30", "2026-12-04", "Ingrid Solberg")),
    # A platform's card: a large name, a title broken over two lines, bare verbs before dates, a verify link.
    (PLATFORM, ("Oisín Mac Giolla Phádraig", "Peer Supervision: Listening, Noticing and Responding",
                "Kestrel Bay College", 9.25, "2026-02-02", "2026-03-01", "2026-03-03", "Lindiwe Khumalo")),
    # A third-person statement, its unit under the college, a writer who says they taught.
    (STATEMENT, ("Tavita Leaupepe", "Coaching Apprentices on Site", "Kestrel Bay College", 18,
                 "2026-01-05", "2026-01-30", "2026-02-09", "Hinewai Parata")),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), WHOLE_CERTIFICATES)
def test_whole_certificates_of_the_new_kinds_read_every_field(text, expected):
    assert tuple(find_facts(text).fields().values()) == expected


def test_attended_and_completed_leaves_the_verbs_out_of_the_title():
    text = (
        "This is to confirm that Ms Rangi Tahu (student number 1180) attended and successfully completed the "
        "short course Boundaries in Peer Support, which ran from 2nd March 2026 to 9th March 2026. It was "
        "taught by Prof. Dr. Ilse Verhoeven, Senior Lecturer."
    )
    facts = find_facts(text)
    assert facts.participant_name == "Rangi Tahu"
    assert facts.programme == "Boundaries in Peer Support"
    assert facts.instructor == "Ilse Verhoeven"


def test_the_writer_is_the_instructor_only_when_they_say_they_taught():
    registrar = STATEMENT.replace("Programme Coordinator", "Registrar")
    assert find_facts(registrar).instructor == "Hinewai Parata"
    not_taught = registrar.replace("I taught the course myself and assessed", "I assessed")
    assert find_facts(not_taught).instructor is None


def test_a_unit_not_in_the_letterhead_keeps_its_own_name():
    facts = find_facts("Centre for Professional Learning\nCertificate\nParticipant: Tavita Leaupepe\n")
    assert facts.training_centre == "Centre for Professional Learning"


# --- a line manager's letter ---------------------------------------------------------------------

MANAGER = """\
Ferrovia Logistics Ltd
Kind regards is not a closing here
Dear Panel,
I am the line manager of Giulia Maria Conti at Ferrovia Logistics Ltd, and I confirm that Wiremu Tane was Giulia Maria's mentor from Monday, 6 April 2026 until Friday, 25 September 2026. You may write to Giulia Maria at gconti@ferrovia.example; she expects your message.
Kind regards,
Hamish Doyle
Operations Manager
"""


def test_a_line_manager_s_letter_names_the_mentee_in_full_and_her_address_in_a_sentence():
    facts = find_letter_facts(MANAGER)
    assert (facts.mentor_name, facts.mentee_name) == ("Wiremu Tane", "Giulia Maria Conti")
    assert facts.mentee_email == "gconti@ferrovia.example"
    assert (facts.start_date, facts.end_date) == (date(2026, 4, 6), date(2026, 9, 25))
    assert facts.signer == "Hamish Doyle"


TEAM = "Wiremu Tane mentored a member of my team, Giulia Conti, for the period 06-Apr-2026 to 25-Sep-2026.\n"


@pytest.mark.parametrize(
    ("rest", "email"),
    [
        (
            "Giulia is happy to be contacted at giulia.conti@ferrovia.example.\n",
            "giulia.conti@ferrovia.example",
        ),
        # An address near the mentee's first name whose own name is someone else's is not hers.
        (
            "The sessions were planned with care, reviewed halfway through, and closed with a written summary.\n"
            "Giulia asked me to write; reach me at h.doyle@ferrovia.example.\n",
            None,
        ),
    ],
)
def test_a_member_of_my_team_between_the_mentor_and_the_mentee_and_her_address(rest, email):
    facts = find_letter_facts(f"{TEAM}{rest}Yours sincerely,\nHamish Doyle\n")
    assert (facts.mentor_name, facts.mentee_name, facts.mentee_email) == (
        "Wiremu Tane",
        "Giulia Conti",
        email,
    )
    assert (facts.start_date, facts.end_date) == (date(2026, 4, 6), date(2026, 9, 25))


# --- a forwarded email ---------------------------------------------------------------------------

FORWARDED = """\
From: Wiremu Tane <wiremu.tane@post.example>
To: Panel <panel@board.example>
Date: Mon, 5 Oct 2026 09:00:00 +0000
Subject: Fwd: Reference
Content-Type: text/plain; charset=utf-8

Hi,
Passing on my reference as requested.
Thanks,
Wiremu

---------- Forwarded message ---------
> From: Hamish Doyle <h.doyle@ferrovia.example>
> Date: Fri, Oct 2, 2026 at 4:10 PM
> Subject: Reference
>
> I confirm that Wiremu Tane mentored Giulia Conti (giulia.conti@ferrovia.example)
> from 6 April 2026 to 25 September 2026.
>
> Best regards,
> Hamish Doyle
> Operations Manager
"""


def test_a_forwarded_message_quoted_with_marks_is_read_and_its_writer_signs(tmp_path):
    path = Path(tmp_path, "forwarded.eml")
    path.write_text(FORWARDED, encoding="utf-8")
    blocks = read_email_blocks(path, Limits())
    facts = find_letter_facts(blocks_text(blocks), blocks)
    assert (facts.mentor_name, facts.mentee_name) == ("Wiremu Tane", "Giulia Conti")
    assert facts.mentee_email == "giulia.conti@ferrovia.example"
    assert (facts.start_date, facts.end_date) == (date(2026, 4, 6), date(2026, 9, 25))
    assert facts.signer == "Hamish Doyle"


def test_a_reply_s_quoted_history_is_kept_apart_and_unread_when_the_reply_confirms_nothing(tmp_path):
    reply = FORWARDED.replace("---------- Forwarded message ---------\n", "On Fri Hamish wrote:\n")
    path = Path(tmp_path, "reply.eml")
    path.write_text(reply, encoding="utf-8")
    message = BytesParser(policy=default_policy).parsebytes(path.read_bytes())
    assert message["subject"] == "Fwd: Reference"
    blocks = read_email_blocks(path, Limits())
    assert any(block.source == QUOTED and "Giulia Conti" in block.text for block in blocks)
    facts = find_letter_facts(blocks_text(blocks), blocks)
    assert facts.mentee_name is None and facts.signer == "Wiremu Tane"


# --- numeric dates read by the country in the address -------------------------------------------

BODY = "Tavita Leaupepe completed the course from 04/03/2026 to 05/06/2026."
LETTER_BODY = "Wiremu Tane mentored Giulia Conti from 04/03/2026 to 05/06/2026.\nKind regards,\nHamish Doyle"
MONTH_FIRST, DAY_FIRST, UNREAD = ("2026-04-03", "2026-05-06"), ("2026-03-04", "2026-06-05"), (None, None)


@pytest.mark.parametrize(
    ("address", "body", "expected"),
    [
        ("88 Lake Street, Madison, WI 53703", BODY, MONTH_FIRST),
        ("1 Main Street · Boise · USA", BODY, MONTH_FIRST),
        ("41 Harbour Road · Kestrel Bay 7020 · New Zealand", BODY, DAY_FIRST),
        ("Quay Street\nGalway\nIreland", BODY, DAY_FIRST),
        ("Via Roma 4 · Torino · Italy", LETTER_BODY, DAY_FIRST),
        ("1 Main Street · Boise · USA", LETTER_BODY, MONTH_FIRST),
        # A date that proves its own order wins over the country.
        ("1 Main Street · Boise · USA", f"{BODY} Issued 25/06/2026.", DAY_FIRST),
        # No country, both conventions, or a country in a sentence rather than an address: left unread.
        ("Kestrel Bay College", BODY, UNREAD),
        ("Dublin · Ireland\nBoston · USA", BODY, UNREAD),
        ("Our programme was praised in the United States press", BODY, UNREAD),
        ("Our programme was praised in the United States press", LETTER_BODY, UNREAD),
    ],
)
def test_numeric_dates_follow_the_country_of_the_address_or_stay_unread(address, body, expected):
    text = f"Ferrovia Logistics Ltd\n{address}\n{body}\n"
    reader = find_letter_facts if body.startswith("Wiremu") else find_facts
    found = reader(text).fields()
    assert (found["start_date"], found["end_date"]) == expected


# --- what recognition leaves on scans and photos ---------------------------------------------------


def test_a_link_or_a_smudge_beside_the_signer_s_role_does_not_hide_the_signer():
    for role_line in (
        "Tutor | https:/iquaylearn.example/verity/7KQ2 Verify this certificate at",
        "Tutor | wry",
        "Tutor | quaylearn.example/v/7KQ2",
    ):
        facts = find_facts(f"Ingrid Solberg\nDr. Ingrid Solberg | Verify this certificate at\n{role_line}\n")
        assert facts.instructor == "Ingrid Solberg", role_line


def test_a_word_beside_the_role_still_makes_the_line_something_else():
    assert find_facts("Ingrid Solberg\nRegistrar | Harbour Road Campus\n").signers == []
    assert find_facts("Ingrid Solberg\nRegistrar | wry\n").signers == ["Ingrid Solberg"]


def test_a_speck_over_the_letterhead_is_not_half_of_the_name():
    facts = find_facts("Pk\nKestrel Bay University\nCertificate\nParticipant: Tavita Leaupepe\n")
    assert facts.training_centre == "Kestrel Bay University"


def test_a_lone_numeric_date_follows_the_order_the_other_dates_prove_or_the_country_after_a_dash():
    body = "Tavita Leaupepe was enrolled on our course Rope Work from 14/10/2026 until 01/02/2027."
    assert find_facts(f"Kestrel Bay College\n05/03/2027\n{body}\n").issue_date == date(2027, 3, 5)
    dashed = "Kestrel Bay College\nPrivate Bag 12 - Pretoria 0028 - South Africa\n05/03/2027\n"
    assert find_facts(dashed).issue_date == date(2027, 3, 5)
    assert find_facts("Kestrel Bay College\n05/03/2027\n").issue_date is None


def test_a_hyphenated_name_broken_at_the_line_end_is_joined():
    text = (
        "I confirm that Wiremu Tane mentored Giulia Conti-\nBellandi from 6 April 2026 to 25 September 2026."
    )
    assert find_letter_facts(text).mentee_name == "Giulia Conti-Bellandi"


def test_after_the_following_programme_a_person_s_name_is_not_a_title():
    facts = find_facts("Awarded on completion of the following programme\nTavita Leaupepe\n")
    assert facts.programme is None


def test_dates_in_a_column_whose_labels_were_lost_give_no_date_of_issue():
    column = (
        "Guild of Harbour Pilots\nSaturday, | 7 March 2026\nMonday, | 27 April 2026\nFriday, | 8 May 2026\n"
    )
    assert find_facts(column).issue_date is None
    assert find_facts(
        "Guild of Harbour Pilots\n12 Quay Road\nFriday, 8 May 2026\nDear Panel,\n"
    ).issue_date == date(2026, 5, 8)
