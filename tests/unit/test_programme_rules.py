"""The mentoring programme's rules on plain data, and the files a pair downloads."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time, timedelta

import pytest
from docx import Document

from portal.agreements import AgreementDocument, CalendarEvent, agreement_docx, calendar
from portal.workflows.programmes import rules
from portal.workflows.programmes.rules import (
    GoalInput,
    MeetingRecord,
    PairFacts,
    PairingEvidence,
    Person,
    Progress,
    pairing_flags,
    term_start_problem,
    verification_problems,
)

START = date(2025, 1, 15)
END = rules.term_end(START, 12)


def test_the_defaults_are_cmaa_checkpoints_and_csce_terms():
    settings = rules.load_defaults()
    assert settings.term_months == 12 and settings.goals_required == 3
    assert [c.month for c in settings.checkpoints] == [1, 3, 6, 9, 12]
    assert "1-, 2- and 4-year milestones" in settings.checkpoints[1].description
    assert "professional certification" in settings.checkpoints[2].description
    meetings = settings.meetings
    assert (
        meetings.minimum_per_year,
        meetings.recommended_min_per_year,
        meetings.recommended_max_per_year,
        meetings.face_to_face_per_year,
    ) == (2, 4, 6, 1)
    assert "confidentiality" in settings.confidentiality
    assert {q.about for q in settings.questions} == {"partner", "programme"}


def test_a_checkpoint_outside_the_term_is_refused(tmp_path):
    text = rules.DEFAULTS_PATH.read_text().replace("month = 12", "month = 13")
    (tmp_path / "programmes.toml").write_text(text)
    with pytest.raises(ValueError, match="inside the 12-month term"):
        rules.load_defaults(tmp_path / "programmes.toml")


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 11, 15), 3, date(2026, 2, 15)),
        (date(2025, 3, 15), -12, date(2024, 3, 15)),
    ],
)
def test_adding_months_keeps_the_day_or_takes_the_months_last(day, months, expected):
    assert rules.add_months(day, months) == expected


def test_the_term_and_its_checkpoints_fall_on_the_last_day_of_their_month():
    assert END == date(2026, 1, 14)
    assert rules.checkpoint_due(START, 1) == date(2025, 2, 14)
    assert rules.checkpoint_due(START, 3) == date(2025, 4, 14)
    assert rules.checkpoint_due(START, 12) == END
    assert rules.months_elapsed(START, date(2025, 7, 14)) == 5
    assert rules.months_elapsed(START, date(2025, 7, 15)) == 6


def _goals(**changes) -> list[GoalInput]:
    goals = [GoalInput(f"Goal {n}", f"Metric {n}", START + timedelta(days=60 * n)) for n in (1, 2, 3)]
    for index, goal in changes.items():
        goals[int(index.removeprefix("g"))] = goal
    return goals


def test_three_smart_goals_inside_the_term_are_accepted():
    assert rules.agreement_problems(START, END, _goals(), 3) == {}
    on_the_last_day = GoalInput("Sit the exam", "Result letter", END)
    assert rules.agreement_problems(START, END, _goals(g2=on_the_last_day), 3) == {}


def test_a_goal_without_a_metric_is_refused():
    problems = rules.agreement_problems(START, END, _goals(g1=GoalInput("Lead a project", "", END)), 3)
    assert problems == {"goals-1-metric": "Say how goal 2 will be measured."}


@pytest.mark.parametrize("deadline", [START - timedelta(days=1), END + timedelta(days=1), date(2030, 1, 1)])
def test_a_deadline_outside_the_term_is_refused(deadline):
    goals = _goals(g0=GoalInput("Pass the CCM", "Certificate", deadline))
    problems = rules.agreement_problems(START, END, goals, 3)
    assert list(problems) == ["goals-0-deadline"]
    assert (
        "must fall inside the term, between 15 January 2025 and 14 January 2026"
        in problems["goals-0-deadline"]
    )


def test_fewer_than_three_goals_and_no_term_are_refused():
    problems = rules.agreement_problems(None, None, _goals()[:2], 3)
    assert {"term_start", "goals-2-description", "goals-2-metric", "goals-2-deadline"} <= set(problems)


def test_a_signature_is_the_signers_own_name():
    assert rules.names_match("  maya   MENTOR ", "Maya Mentor")
    assert not rules.names_match("M. Mentor", "Maya Mentor")


@pytest.mark.parametrize(
    "today, completed, expected",
    [
        (date(2025, 2, 1), None, Progress.UPCOMING),
        (date(2025, 2, 7), None, Progress.DUE),
        (date(2025, 2, 14), None, Progress.DUE),
        (date(2025, 2, 15), None, Progress.OVERDUE),
        (date(2025, 3, 1), date(2025, 2, 20), Progress.DONE),
    ],
)
def test_a_checkpoint_is_upcoming_due_overdue_or_done(today, completed, expected):
    assert rules.checkpoint_progress(date(2025, 2, 14), completed, today, days_before=7) == expected


def test_reminders_go_in_the_days_before_a_checkpoint_only():
    due = date(2025, 2, 14)
    assert [rules.reminder_due(due, due - timedelta(days=n), 7) for n in (8, 7, 1, 0, -1)] == [
        False,
        True,
        True,
        True,
        False,
    ]


EXPECT = rules.MeetingExpectations(2, 4, 6, 1)


def test_meetings_are_held_against_the_expectations_pro_rata():
    early = rules.meeting_expectations([], START, END, 12, EXPECT, date(2025, 5, 1))
    assert [e.progress for e in early] == [Progress.DUE, Progress.DUE]
    assert early[0].detail == "0 of at least 2 meetings by 14 January 2026 (4 to 6 recommended)"

    half_way = rules.meeting_expectations(
        [MeetingRecord(date(2025, 3, 1), False)], START, END, 12, EXPECT, date(2025, 8, 1)
    )
    assert [(e.actual, e.progress) for e in half_way] == [(1, Progress.DUE), (0, Progress.DUE)]

    behind = rules.meeting_expectations([], START, END, 12, EXPECT, date(2025, 8, 1))
    assert behind[0].progress == Progress.OVERDUE  # one meeting was expected by month 6

    held = [MeetingRecord(date(2025, 3, 1), True), MeetingRecord(date(2025, 9, 1), False)]
    met = rules.meeting_expectations(held, START, END, 12, EXPECT, date(2025, 10, 1))
    assert [e.progress for e in met] == [Progress.DONE, Progress.DONE]


def test_planned_meetings_and_meetings_outside_the_term_do_not_count():
    planned = [MeetingRecord(date(2025, 6, 1), True), MeetingRecord(START - timedelta(days=3), True)]
    result = rules.meeting_expectations(planned, START, END, 12, EXPECT, date(2025, 5, 1))
    assert [e.actual for e in result] == [0, 0]


def test_a_term_ended_short_of_its_meetings_is_overdue():
    result = rules.meeting_expectations(
        [MeetingRecord(date(2025, 3, 1), False)], START, END, 12, EXPECT, END + timedelta(days=1)
    )
    assert [e.progress for e in result] == [Progress.OVERDUE, Progress.OVERDUE]


def test_a_six_month_term_needs_half_a_years_meetings_rounded_up():
    assert [rules.expected_count(2, 6), rules.expected_count(1, 6), rules.expected_count(5, 18)] == [1, 1, 8]


def _facts(**changes) -> PairFacts:
    values = dict(
        matched_on=START - timedelta(days=10),
        term_start=START,
        last_meeting_on=START + timedelta(days=60),
        goals=3,
        overdue_checkpoints=0,
    )
    return PairFacts(**{**values, **changes})


def test_a_healthy_pair_is_not_at_risk():
    assert rules.risks(_facts(), START + timedelta(days=100)) == []


def test_pairs_at_risk_have_no_meeting_in_90_days_an_overdue_checkpoint_or_no_goals_by_month_3():
    today = START + timedelta(days=120)
    assert rules.risks(_facts(last_meeting_on=START + timedelta(days=29)), today) == ["No meeting in 90 days"]
    assert rules.risks(_facts(last_meeting_on=None, term_start=None, goals=0), today) == [
        "No meeting yet, 130 days in",
        "No goals agreed by month 3",
    ]
    assert rules.risks(_facts(overdue_checkpoints=2), today) == ["2 checkpoints overdue"]
    assert rules.risks(_facts(goals=0, term_start=None), START + timedelta(days=30)) == []


def test_results_count_and_average_answers_without_naming_anyone():
    questions = [
        rules.Question("prepared", "partner", "Prepared?"),
        rules.Question("recommend", "programme", "Recommend?"),
    ]
    results = rules.question_results(
        [{"prepared": 5, "recommend": 3}, {"prepared": 4}, {"prepared": 9}], questions, 5
    )
    assert (results[0].responses, results[0].average, results[0].distribution) == (2, 4.5, (0, 0, 0, 1, 1))
    assert (results[1].responses, results[1].average) == (1, 3.0)


# The files a pair downloads -----------------------------------------------------------------------------


def test_the_agreement_downloads_as_a_word_document_with_its_terms_goals_and_signatures():
    signed = datetime(2025, 1, 10, 9, 30, tzinfo=UTC)
    data = agreement_docx(
        AgreementDocument(
            programme="CMIT Mentor Programme",
            mentor="Maya Mentor",
            mentee="Ada Lovelace",
            term_start=START,
            term_end=END,
            confidentiality="Both operate under a condition of confidentiality.",
            goals=[("Pass the CCM exam", "Result letter", date(2025, 11, 1))],
            meetings="Twice a year at least.",
            signatures=[("Mentor", "Maya Mentor", signed), ("Protégé", "Ada Lovelace", signed)],
            reference="Pairing 7",
        )
    )
    document = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [cell.text for row in document.tables[0].rows for cell in row.cells]
    assert "Mentor: Maya Mentor" in text and "Protégé: Ada Lovelace" in text
    assert "From 15 January 2025 to 14 January 2026" in text and "condition of confidentiality" in text
    assert "Protégé: Ada Lovelace, accepted on 10 January 2025 at 09:30 UTC" in text
    assert ["1", "Pass the CCM exam", "Result letter", "1 November 2025"] == cells[4:8]


def test_a_meeting_invitation_is_an_rfc_5545_calendar():
    event = CalendarEvent(
        uid="meeting-3",
        summary="Mentoring meeting – Maya, Ada; CMIT",
        description="Line one\nTwo",
        day=date(2025, 3, 4),
        starts_at=time(14, 30),
        duration=timedelta(minutes=90),
        stamp=datetime(2025, 2, 1, 12, 0, tzinfo=UTC),
        organizer=("Maya Mentor", "maya@example.com"),
        attendees=[("Ada Lovelace", "ada@example.com")],
    )
    text = calendar([event], "portal.example", "Mentoring meeting")
    lines = text.split("\r\n")
    assert text.endswith("\r\n") and lines[0] == "BEGIN:VCALENDAR" and "METHOD:REQUEST" in lines
    assert "UID:meeting-3@portal.example" in lines and "DTSTART:20250304T143000" in lines
    assert "DURATION:PT90M" in lines and "DTSTAMP:20250201T120000Z" in lines
    assert "SUMMARY:Mentoring meeting – Maya\\, Ada\\; CMIT" in lines
    assert "DESCRIPTION:Line one\\nTwo" in lines
    assert 'ORGANIZER;CN="Maya Mentor":mailto:maya@example.com' in lines
    unfolded = text.replace("\r\n ", "")
    assert (
        'ATTENDEE;CN="Ada Lovelace";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:'
        "mailto:ada@example.com"
    ) in unfolded


def test_checkpoints_are_all_day_events_and_long_lines_fold_at_75_octets():
    event = CalendarEvent(
        uid="checkpoint-1",
        summary="Checkpoint, month 3: " + "é" * 60,
        description="",
        day=date(2025, 4, 14),
        stamp=datetime(2025, 1, 1, tzinfo=UTC),
    )
    text = calendar([event], "portal.example", "Checkpoints")
    assert "METHOD:PUBLISH" in text
    assert "DTSTART;VALUE=DATE:20250414" in text and "DTEND;VALUE=DATE:20250415" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert "é" * 60 in text.replace("\r\n ", "")


# --- programme engagements count only when real ---------------------------------------------------------


def test_a_term_starts_neither_before_acceptance_nor_long_in_the_past():
    today, accepted = date(2026, 6, 15), date(2026, 6, 1)
    assert term_start_problem(today, accepted, today, 14) is None
    assert term_start_problem(date(2026, 6, 2), accepted, today, 14) is None  # within the grace
    assert "before the pairing was accepted (1 June 2026)" in term_start_problem(
        date(2025, 5, 11), accepted, today, 14
    )
    assert "more than 14 days in the past (the earliest is 1 June 2026)" in term_start_problem(
        date(2026, 5, 20), None, today, 14
    )


def test_a_coordinator_may_let_one_term_start_earlier_but_never_before_acceptance():
    today, accepted = date(2026, 6, 30), date(2026, 5, 1)
    assert "more than 14 days in the past" in term_start_problem(date(2026, 5, 10), accepted, today, 14)
    assert term_start_problem(date(2026, 5, 10), accepted, today, 14, allowed_from=date(2026, 5, 5)) is None
    assert "before 5 May 2026, the earliest the coordinator allowed" in term_start_problem(
        date(2026, 5, 3), accepted, today, 14, allowed_from=date(2026, 5, 5)
    )
    assert "before the pairing was accepted" in term_start_problem(
        date(2026, 4, 30), accepted, today, 14, allowed_from=date(2026, 4, 1)
    )
    assert "without permission" in rules.early_start_problem(date(2026, 6, 20), accepted, today, 14)
    assert "before the pairing was accepted (1 May 2026)" in rules.early_start_problem(
        date(2026, 4, 20), accepted, today, 14
    )
    assert rules.early_start_problem(date(2026, 5, 1), accepted, today, 14) is None


def _evidence(**overrides) -> PairingEvidence:
    values = {
        "term_start": date(2025, 1, 1),
        "term_end": date(2025, 12, 31),
        "meetings": 2,
        "meetings_required": 2,
        "checkpoints_done": 5,
        "checkpoints": 5,
        "completed": True,
        "party_ids": (1, 2),
    }
    return PairingEvidence(**{**values, **overrides})


def test_a_coordinator_confirms_only_a_completed_pairing_with_its_meetings_and_checkpoints():
    assert verification_problems(_evidence(), 9) == []
    assert verification_problems(_evidence(), 1) == [
        "You are a party to this pairing: another coordinator must confirm it."
    ]
    assert verification_problems(_evidence(meetings=0, checkpoints_done=1, completed=False), 9) == [
        "Only a completed pairing (its term run, both evaluations in) can be confirmed.",
        "0 of the programme's minimum 2 meetings were logged during the term.",
        "1 of 5 checkpoints were met.",
    ]


def test_pairings_that_may_be_one_person_are_flagged():
    day = datetime(2026, 1, 1, tzinfo=UTC)
    mentor = Person("ada@firm.example", day, "10.0.0.1", "Firefox")
    assert pairing_flags(
        mentor, Person("bob@firm.example", day + timedelta(days=3), "10.0.0.1", "Firefox"), frozenset()
    ) == [
        "Both accounts use the same email domain (firm.example).",
        "Both last signed in from the same network address and browser.",
        "The two accounts were created within a week of each other.",
    ]
    stranger = Person("bob@gmail.com", day + timedelta(days=300), "10.0.0.2")
    assert pairing_flags(Person("ada@gmail.com", day), stranger, frozenset({"gmail.com"})) == []
    signed_up = {"signup_address": "a1" * 32, "signup_device": "d4" * 32}
    far_apart = day + timedelta(days=300)
    assert pairing_flags(
        Person("ada@gmail.com", day, **signed_up),
        Person("bob@gmail.com", far_apart, **signed_up),
        frozenset({"gmail.com"}),
    ) == [
        "Both accounts were signed up from the same network address.",
        "Both accounts were signed up from the same browser on the same kind of device.",
    ]
    free = frozenset({"gmail.com"})
    assert pairing_flags(Person("ada@gmail.com", day), Person("bob@gmail.com", far_apart), free) == []
