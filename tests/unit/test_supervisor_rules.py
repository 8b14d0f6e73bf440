"""The rules of supervisor declarations and of every answer by link, on plain data."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from portal.enums import SupervisionFocus, SupervisorConflict
from portal.workflows.external_requests.rules import AnswerFacts, Level, LinkState, link_state
from portal.workflows.supervisors.rules import (
    DeclarationTrustFacts,
    SupervisorAnswer,
    answer_problems,
    assess_trust,
)

SENT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TODAY = date(2026, 3, 5)


def facts(email: str = "sam@supervision.example", **answer) -> DeclarationTrustFacts:
    return DeclarationTrustFacts(
        supervisor_email=email,
        applicant_emails=("ada@lovelace.example", ""),
        answer=AnswerFacts(**answer),
    )


def test_an_independent_supervisor_answering_in_their_own_time_raises_nothing():
    trust = assess_trust(
        facts(requested_at=SENT, answered_at=SENT + timedelta(days=2), answer_ip="198.51.100.9")
    )
    assert trust.signals == () and trust.level == Level.GREEN


def test_the_applicants_own_address_or_domain_and_free_mail_are_signals():
    assert assess_trust(facts("Ada@Lovelace.example")).level == Level.RED
    same_domain = assess_trust(facts("boss@lovelace.example"))
    assert same_domain.level == Level.AMBER and "lovelace.example" in same_domain.signals[0].reason
    free = assess_trust(facts("sam@gmail.com"))
    assert [s.reason for s in free.signals] == ["A free email address (gmail.com)."]


def test_a_quick_answer_from_the_applicants_network_is_weighed_like_a_referees():
    trust = assess_trust(
        facts(
            requested_at=SENT,
            answered_at=SENT + timedelta(minutes=3),
            answer_ip="203.0.113.5",
            applicant_ip="203.0.113.5",
            answer_user_agent="Firefox/120",
            applicant_user_agent="Firefox/120",
        )
    )
    reasons = [signal.reason for signal in trust.signals]
    assert trust.level == Level.RED
    assert "Answered 3 minutes after the request was sent." in reasons
    assert "Answered from the same network address and browser as the applicant's last sign-in." in reasons


def test_a_declared_conflict_is_a_signal_with_its_name():
    trust = assess_trust(
        DeclarationTrustFacts(
            supervisor_email="sam@supervision.example",
            applicant_emails=("ada@lovelace.example",),
            answer=AnswerFacts(),
            conflicts=(SupervisorConflict.LINE_MANAGER.value,),
        )
    )
    assert [s.reason for s in trust.signals] == ["The supervisor declared a conflict: line manager."]


def test_a_declaration_needs_every_part_and_a_refusal_its_reason():
    full = SupervisorAnswer(
        confirms=True,
        supervising_since=date(2024, 9, 1),
        focus=SupervisionFocus.BOTH,
        practising_mentor=True,
        knows_imc_standards=True,
        sessions_last_year=5,
    )
    assert answer_problems(full, TODAY) == {}
    assert set(answer_problems(SupervisorAnswer(confirms=True), TODAY)) == {
        "supervising_since",
        "focus",
        "practising_mentor",
        "knows_imc_standards",
        "sessions_last_year",
    }
    later = SupervisorAnswer(**{**full.__dict__, "supervising_since": TODAY + timedelta(days=1)})
    assert set(answer_problems(later, TODAY)) == {"supervising_since"}
    assert set(answer_problems(SupervisorAnswer(confirms=False, comment="  "), TODAY)) == {"comment"}
    assert answer_problems(SupervisorAnswer(confirms=False, comment="Not my mentee."), TODAY) == {}


def test_a_link_is_open_only_while_it_stands_waits_and_has_time_left():
    now = SENT + timedelta(days=1)
    common = {
        "found": True,
        "usable": True,
        "answered": False,
        "waiting": True,
        "expires_at": SENT + timedelta(days=21),
    }
    assert link_state(**common, now=now) == LinkState.OPEN
    assert link_state(**{**common, "answered": True}, now=now) == LinkState.ANSWERED
    assert link_state(**{**common, "usable": False, "answered": True}, now=now) == LinkState.UNUSABLE
    assert link_state(**{**common, "found": False}, now=now) == LinkState.UNUSABLE
    assert link_state(**common, now=SENT + timedelta(days=21)) == LinkState.UNUSABLE
