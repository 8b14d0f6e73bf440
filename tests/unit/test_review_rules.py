"""The review rules on a database: the review clock, the approval guards and conflicts of interest."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from portal.config import PROJECT_ROOT
from portal.db import db
from portal.enums import (
    ApplicationKind,
    ApplicationState,
    DocumentPurpose,
    DocumentStatus,
    PaymentMethod,
    Role,
)
from portal.models.documents import Document
from portal.models.payments import Payment
from portal.workflows.audit import STAFF_ONLY_MOVES
from portal.workflows.credentials.rules import add_years
from portal.workflows.review import guards as approval
from portal.workflows.review.rules import (
    clock,
    conflicts,
    cross_check_summary,
    letter_acceptance_problem,
    paused_days,
    resumed_due,
)
from portal.workflows.transitions import BY_ACTION
from tests.factories import review as flow
from tests.helpers import make_user

CATALOGUE = PROJECT_ROOT / "portal" / "workflows" / "catalogue.toml"
PAID = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


# --- the review clock ----------------------------------------------------------------------------------


def test_the_clock_counts_days_waited_and_is_overdue_only_after_the_target(app, applicant):
    made = flow.application(applicant, paid_at=PAID, review_due_at=PAID + timedelta(weeks=4))
    at = clock(made, PAID + timedelta(days=27, hours=23))
    assert (at.waited_days, at.target_weeks, at.days_left, at.overdue) == (27, 4, 1, False)
    assert clock(made, PAID + timedelta(weeks=4)).overdue is False  # due at that moment, not past it
    late = clock(made, PAID + timedelta(days=30))
    assert (late.waited_days, late.days_left, late.overdue) == (30, -2, True)
    assert late.summary == "30 of 28 days – overdue"


def test_the_clock_stops_at_the_decision_and_waits_while_the_applicant_has_the_move(app, applicant):
    made = flow.application(applicant, paid_at=PAID, review_due_at=PAID + timedelta(weeks=4))
    made.state = ApplicationState.RETURNED
    assert clock(made, PAID + timedelta(days=40)).overdue is False
    made.state, made.decided_at = ApplicationState.APPROVED, PAID + timedelta(days=12)
    assert clock(made, PAID + timedelta(days=300)).waited_days == 12


def test_a_pause_counts_whole_days_from_the_day_of_the_question_to_the_day_of_the_answer():
    asked = datetime(2026, 3, 9, 17, 45, tzinfo=UTC)
    assert paused_days(asked, datetime(2026, 3, 9, 23, 59, tzinfo=UTC)) == 0  # answered the same day
    assert paused_days(asked, datetime(2026, 3, 10, 8, 0, tzinfo=UTC)) == 1  # the next morning
    assert paused_days(asked, datetime(2026, 3, 16, 10, 0, tzinfo=UTC)) == 7
    assert paused_days(asked, datetime(2026, 3, 1, tzinfo=UTC)) == 0  # never backwards
    due = datetime(2026, 3, 30, 9, 0, tzinfo=UTC)
    assert resumed_due(due, asked, datetime(2026, 3, 16, 10, 0, tzinfo=UTC)) == datetime(
        2026, 4, 6, 9, 0, tzinfo=UTC
    )
    assert resumed_due(due, asked, asked) == due


def test_the_clock_stands_still_while_a_question_is_open_and_leaves_out_the_days_it_stood(app, applicant):
    made = flow.application(applicant, paid_at=PAID, review_due_at=PAID + timedelta(weeks=4))
    made.state, made.clock_paused_at = ApplicationState.INFORMATION_REQUESTED, PAID + timedelta(days=10)
    waiting = clock(made, PAID + timedelta(days=40))
    assert (waiting.waited_days, waiting.paused, waiting.overdue) == (10, True, False)
    assert waiting.summary == "10 of 28 days – paused, waiting for the applicant"
    # Answered 30 days after the question: the date moved by them, and the days waited leave them out.
    made.state, made.clock_paused_at, made.clock_paused_days = ApplicationState.IN_REVIEW, None, 30
    made.review_due_at = PAID + timedelta(weeks=4, days=30)
    running = clock(made, PAID + timedelta(days=45))
    assert (running.waited_days, running.target_weeks, running.days_left, running.overdue) == (
        15,
        4,
        13,
        False,
    )
    assert clock(made, PAID + timedelta(days=59)).overdue is True


def test_the_clock_has_not_started_before_payment(app, applicant):
    at = clock(flow.application(applicant, state=ApplicationState.AWAITING_PAYMENT), PAID)
    assert at.started_at is None and at.summary == "Not started (waiting for payment)" and not at.overdue


# --- the approval guards ----------------------------------------------------------------------------


def test_every_approval_guard_is_in_the_transition_table():
    names = [guard.__name__ for guard in BY_ACTION["approve"].guards]
    assert names == [
        "not_conflicted",
        "approvals_complete",
        "not_the_first_approver",
        "fee_paid",
        "membership_settled",
        "disputes_resolved",
        "references_confirmed",
        "supervisor_confirmed",
        "supervision_confirmed",
        "documents_settled",
        "prerequisite_held",
    ]
    first = [guard.__name__ for guard in BY_ACTION["approve_first"].guards]
    assert first == ["not_conflicted", "another_approval_needed", *names[3:]]
    assert [guard.__name__ for guard in BY_ACTION["record_payment"].guards] == ["not_conflicted", "fee_paid"]
    assert [guard.__name__ for guard in BY_ACTION["return"].guards] == ["not_conflicted", "sections_reopened"]
    for action in ("reject", "resume_review", "request_information", "close_question"):
        assert [guard.__name__ for guard in BY_ACTION[action].guards] == ["not_conflicted"]


def test_every_transition_the_applicant_sees_emails_them_from_a_template_pair():
    for transition in BY_ACTION.values():
        if transition.action in STAFF_ONLY_MOVES:  # a first approval: the applicant hears of the decision
            assert transition.notify is None
            continue
        assert transition.notify, transition.action
        for extension in ("txt", "html"):
            assert (PROJECT_ROOT / "templates" / "emails" / f"{transition.notify}.{extension}").exists()


def test_the_fee_guard_needs_a_recorded_payment(app, applicant):
    made = flow.application(applicant)
    assert approval.fee_paid(made) == ["The fee has not been paid yet."]
    db.session.add(
        Payment(
            application=made,
            provider="manual",
            method=PaymentMethod.CARD,
            amount=Decimal(250),
            currency="USD",
            transaction_reference="T",
            received_on=date(2026, 1, 5),
        )
    )
    db.session.flush()
    assert approval.fee_paid(made) == []


def test_the_references_guard_counts_confirmed_references_except_for_renewals(app, applicant):
    made = flow.application(applicant, code="CMM")
    assert approval.references_confirmed(made) == [
        "5 confirmed references are needed; 0 have been confirmed so far."
    ]
    made.kind = ApplicationKind.RENEWAL
    assert approval.references_confirmed(made) == []


@pytest.mark.parametrize(
    "status, settled",
    [
        (DocumentStatus.QUEUED, False),
        (DocumentStatus.NEEDS_ATTENTION, False),
        (DocumentStatus.MANUAL, False),
        (DocumentStatus.READ, True),
        (DocumentStatus.CHECKED_BY_HAND, True),
    ],
)
def test_documents_must_be_read_or_checked_by_hand(app, applicant, status, settled):
    made = flow.application(applicant)
    db.session.add(
        Document(
            application_id=made.id,
            purpose=DocumentPurpose.CERTIFICATE,
            storage_key="k" * 32,
            original_name="c.pdf",
            file_type="pdf",
            size_bytes=1,
            sha256="0" * 64,
            status=status,
        )
    )
    db.session.flush()
    problems = approval.documents_settled(made)
    assert (problems == []) is settled
    if not settled:
        assert problems == [f"“c.pdf” has not been read or checked by hand ({status.label.lower()})."]


def test_the_prerequisite_is_a_portal_credential_held_a_full_cycle_or_a_reviewers_check(app, applicant):
    assert approval.prerequisite_held(flow.application(applicant, code="CPM")) == []  # CPM needs none
    made = flow.application(applicant, code="CMM")
    assert (
        approval.prerequisite_held(made)
        and "neither a credential issued by this portal" in approval.prerequisite_held(made)[0]
    )
    made.prerequisite_checked_at = PAID
    assert approval.prerequisite_held(made) == []
    made.prerequisite_checked_at = None
    today = date.today()
    recent = flow.issued(applicant, add_years(today, -2) + timedelta(days=1))
    assert approval.prerequisite_held(made, today=today) != []  # one day short of a full cycle
    flow.issued(applicant, add_years(today, -2))
    assert approval.prerequisite_held(made, today=today) == []
    assert recent.credential_code == "CPM"


def test_a_revoked_portal_credential_does_not_satisfy_the_prerequisite(app, applicant, admin):
    from portal.workflows.credentials.operations import revoke

    held = flow.issued(applicant, date(2015, 1, 1))
    made = flow.application(applicant, code="CMM")
    assert approval.prerequisite_held(made) == []
    revoke(held, admin, "Forged.")
    assert approval.prerequisite_held(made) != []


def test_returning_needs_a_section_to_reopen(app, applicant):
    made = flow.application(applicant)
    assert approval.sections_reopened(made) == ["Choose at least one section for the applicant to change."]
    made.reopened_sections = ["about"]
    assert approval.sections_reopened(made) == []


# --- conflicts of interest ------------------------------------------------------------------------------


def test_conflicts_name_every_role_the_reviewer_holds_and_none_for_a_stranger(app, applicant):
    reviewer = make_user("Rita.Reviewer@example.org", Role.REVIEWER, "Rita Reviewer")
    made = flow.application(applicant, supervisor_email=" rita.reviewer@EXAMPLE.org ")
    assert conflicts(made, reviewer) == [
        f"Rita Reviewer appears on {made.reference} as the supervisor, so cannot review it."
    ]
    stranger = make_user("sam.stranger@example.org", Role.REVIEWER)
    assert conflicts(made, stranger) == []


def test_a_letter_is_accepted_without_a_reason_only_when_its_cross_check_passed():
    read, queued = DocumentStatus.READ, DocumentStatus.QUEUED
    assert cross_check_summary(read, ["confirmed", "confirmed", "not_found"]) == (
        "read: 2 confirmed, 1 not found in the cross-check"
    )
    assert cross_check_summary(queued, []) == "not read by the portal (queued for reading)"
    assert letter_acceptance_problem(read, ["confirmed"], None) is None
    for status, outcomes in ((read, ["confirmed", "contradicted"]), (read, []), (queued, [])):
        assert "say why you accept it" in letter_acceptance_problem(status, outcomes, "  ")
        assert letter_acceptance_problem(status, outcomes, "Checked with the signer.") is None
