"""The review rules on plain data and a database: the review clock, the approval guards, conflicts of interest,
credential status and numbers, and the catalogue's renewal rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from portal.config import PROJECT_ROOT
from portal.db import db
from portal.enums import (
    ApplicationKind,
    ApplicationState,
    CentreStatus,
    CredentialStatus,
    DocumentPurpose,
    DocumentStatus,
    PaymentMethod,
    Role,
    TrainingMode,
)
from portal.models.applications import Application, TrainingRecord
from portal.models.credentials import IssuedCredential
from portal.models.documents import Document
from portal.models.payments import Payment
from portal.workflows.catalogue import CatalogueError, load_catalogue
from portal.workflows.credentials.rules import add_years, new_number, normalise_number
from portal.workflows.payments.rules import review_due
from portal.workflows.review import guards as approval
from portal.workflows.review.rules import clock, conflicts
from portal.workflows.transitions import BY_ACTION
from tests.conftest import make_user
from tests.factories import review as flow

CATALOGUE = PROJECT_ROOT / "portal" / "workflows" / "catalogue.toml"
PAID = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def application(
    owner, code: str = "CPM", state=ApplicationState.IN_REVIEW, centres=(CentreStatus.ACCREDITED,), **values
) -> Application:
    made = Application(
        applicant=owner,
        credential_code=code,
        state=state,
        submitted_at=PAID,
        full_name="Ada",
        contact_email=owner.email,
        **values,
    )
    for status in centres:
        made.training_records.append(
            TrainingRecord(
                centre_name="C",
                centre_status=status,
                programme_name="P",
                hours=Decimal(35),
                mode=TrainingMode.ONLINE,
                start_date=date(2024, 1, 1),
                end_date=date(2024, 2, 1),
                instructor_name="I",
                instructor_email="i@example.org",
            )
        )
    db.session.add(made)
    db.session.flush()
    return made


# --- the review clock ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "centres, weeks",
    [
        ((CentreStatus.ACCREDITED,), 4),
        ((CentreStatus.ENDORSED,), 6),
        ((CentreStatus.NON_ACCREDITED,), 10),
        ((CentreStatus.ACCREDITED, CentreStatus.ENDORSED), 6),
        ((CentreStatus.ENDORSED, CentreStatus.NON_ACCREDITED, CentreStatus.ACCREDITED), 10),
        ((), 10),  # no training declared (a renewal): the longest target
    ],
)
def test_the_expected_decision_is_the_payment_date_plus_the_slowest_centres_target(
    app, applicant, centres, weeks
):
    made = application(applicant, centres=centres, paid_at=PAID)
    assert review_due(made) == PAID + timedelta(weeks=weeks)


def test_the_clock_counts_days_waited_and_is_overdue_only_after_the_target(app, applicant):
    made = application(applicant, paid_at=PAID, review_due_at=PAID + timedelta(weeks=4))
    at = clock(made, PAID + timedelta(days=27, hours=23))
    assert (at.waited_days, at.target_weeks, at.days_left, at.overdue) == (27, 4, 1, False)
    assert clock(made, PAID + timedelta(weeks=4)).overdue is False  # due at that moment, not past it
    late = clock(made, PAID + timedelta(days=30))
    assert (late.waited_days, late.days_left, late.overdue) == (30, -2, True)
    assert late.summary == "30 of 28 days – overdue"


def test_the_clock_stops_at_the_decision_and_waits_while_the_applicant_has_the_move(app, applicant):
    made = application(applicant, paid_at=PAID, review_due_at=PAID + timedelta(weeks=4))
    made.state = ApplicationState.RETURNED
    assert clock(made, PAID + timedelta(days=40)).overdue is False
    made.state, made.decided_at = ApplicationState.APPROVED, PAID + timedelta(days=12)
    assert clock(made, PAID + timedelta(days=300)).waited_days == 12


def test_the_clock_has_not_started_before_payment(app, applicant):
    at = clock(application(applicant, state=ApplicationState.AWAITING_PAYMENT), PAID)
    assert at.started_at is None and at.summary == "Not started (waiting for payment)" and not at.overdue


# --- the approval guards ----------------------------------------------------------------------------


def test_every_approval_guard_is_in_the_transition_table():
    names = [guard.__name__ for guard in BY_ACTION["approve"].guards]
    assert names == [
        "not_conflicted",
        "fee_paid",
        "disputes_resolved",
        "references_confirmed",
        "documents_settled",
        "prerequisite_held",
    ]
    assert [guard.__name__ for guard in BY_ACTION["record_payment"].guards] == ["not_conflicted", "fee_paid"]
    assert [guard.__name__ for guard in BY_ACTION["return"].guards] == ["not_conflicted", "sections_reopened"]
    for action in ("reject", "resume_review"):
        assert [guard.__name__ for guard in BY_ACTION[action].guards] == ["not_conflicted"]


def test_every_transition_emails_the_applicant_from_a_template_pair():
    for transition in BY_ACTION.values():
        assert transition.notify, transition.action
        for extension in ("txt", "html"):
            assert (PROJECT_ROOT / "templates" / "emails" / f"{transition.notify}.{extension}").exists()


def test_the_fee_guard_needs_a_recorded_payment(app, applicant):
    made = application(applicant)
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
    made = application(applicant, code="CMM")
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
    made = application(applicant)
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
    assert approval.prerequisite_held(application(applicant, code="CPM")) == []  # CPM needs none
    made = application(applicant, code="CMM")
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
    made = application(applicant, code="CMM")
    assert approval.prerequisite_held(made) == []
    revoke(held, admin, "Forged.")
    assert approval.prerequisite_held(made) != []


def test_returning_needs_a_section_to_reopen(app, applicant):
    made = application(applicant)
    assert approval.sections_reopened(made) == ["Choose at least one section for the applicant to change."]
    made.reopened_sections = ["about"]
    assert approval.sections_reopened(made) == []


# --- conflicts of interest ------------------------------------------------------------------------------


def test_conflicts_name_every_role_the_reviewer_holds_and_none_for_a_stranger(app, applicant):
    reviewer = make_user("Rita.Reviewer@example.org", Role.REVIEWER, "Rita Reviewer")
    made = application(applicant, supervisor_email=" rita.reviewer@EXAMPLE.org ")
    assert conflicts(made, reviewer) == [
        f"Rita Reviewer appears on {made.reference} as the supervisor, so cannot review it."
    ]
    stranger = make_user("sam.stranger@example.org", Role.REVIEWER)
    assert conflicts(made, stranger) == []


# --- credentials ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "today, status",
    [
        (date(2027, 10, 3), CredentialStatus.VALID),  # 91 days before expiry
        (date(2027, 10, 4), CredentialStatus.EXPIRING_SOON),  # 90 days before
        (date(2028, 1, 2), CredentialStatus.EXPIRING_SOON),  # the day of expiry
        (date(2028, 1, 3), CredentialStatus.EXPIRED),
    ],
)
def test_credential_status_by_date(today, status):
    credential = IssuedCredential(issued_on=date(2026, 1, 2), expires_on=date(2028, 1, 2))
    assert credential.status_on(today, 90) == status
    credential.revoked_at = datetime(2026, 6, 1, tzinfo=UTC)
    assert credential.status_on(today, 90) == CredentialStatus.REVOKED


def test_credential_numbers_are_random_readable_and_distinct():
    numbers = {new_number("CPM") for _ in range(2000)}
    assert len(numbers) == 2000
    for number in list(numbers)[:50]:
        code, *groups = number.split("-")
        assert code == "CPM" and [len(g) for g in groups] == [4, 4, 4]
        assert not set("".join(groups)) & set("ILOU")
    assert normalise_number(" cpm-7k3m-q9xd-2hfp ") == "CPM-7K3M-Q9XD-2HFP"


def test_years_are_added_calendar_wise():
    assert add_years(date(2024, 2, 29), 2) == date(2026, 2, 28)
    assert add_years(date(2025, 3, 1), 2) == date(2027, 3, 1)
    assert add_years(date(2026, 3, 1), -2) == date(2024, 3, 1)


# --- the catalogue's renewal and expiry rules ---------------------------------------------------------------


def test_the_catalogue_carries_renewal_and_expiry_rules():
    catalogue = load_catalogue(CATALOGUE)
    for code in ("CPM", "CMM"):
        renewal = catalogue[code].renewal
        assert renewal.supervision_sessions_per_year == 5 and renewal.requires_declaration
        assert (renewal.opens_days_before_expiry, renewal.closes_days_after_expiry) == (180, 90)
    assert catalogue.expiry.expiring_soon_days == 90 and catalogue.expiry.reminder_days == (90, 30)


@pytest.mark.parametrize(
    "mutation, message",
    [
        (
            lambda text: text.replace(
                "[credentials.CPM.renewal]\nsupervision_sessions_per_year = 5\n",
                "[credentials.CPM.renewal]\n",
            ),
            "renewal is missing supervision_sessions_per_year",
        ),
        (
            lambda text: text.replace("opens_days_before_expiry = 180", "opens_days_before_expiry = -1", 1),
            "renewal: numbers must be positive",
        ),
        (
            lambda text: text.replace("reminder_days = [90, 30]", "reminder_days = [90, 0]"),
            "days must be positive",
        ),
    ],
)
def test_a_malformed_renewal_or_expiry_rule_is_refused(tmp_path: Path, mutation, message):
    path = tmp_path / "catalogue.toml"
    path.write_text(mutation(CATALOGUE.read_text()))
    with pytest.raises(CatalogueError, match=message):
        load_catalogue(path)
