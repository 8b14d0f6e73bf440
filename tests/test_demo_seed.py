"""The demo data generator loads complete, valid applications in bulk."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from portal.db import db
from portal.demo import DEMO_PASSWORD, seed
from portal.enums import ApplicationState, MembershipStatus
from portal.models.applications import Application
from portal.models.credentials import IssuedCredential
from portal.models.documents import Document
from portal.models.members import Member, MembershipCheck
from portal.models.payments import Payment
from portal.models.references import ReferenceRequest
from portal.workflows.accounts.operations import authenticate
from portal.workflows.applications.eligibility import assess
from portal.workflows.credentials.operations import sweep_expiry
from portal.workflows.credentials.rules import status
from portal.workflows.references.operations import sweep_references
from portal.workflows.review import guards as approval
from tests.helpers import client_for, page

S = ApplicationState


def test_seeded_applications_are_complete_and_their_applicants_can_sign_in(app):
    assert seed(60) == 60
    assert db.session.scalar(select(func.count()).select_from(Application)) == 60
    states = set(db.session.scalars(select(Application.state)))
    assert ApplicationState.IN_REVIEW in states and ApplicationState.DRAFT in states
    submitted = db.session.scalars(
        select(Application).where(Application.state != ApplicationState.DRAFT)
    ).all()
    for application in submitted:
        assert assess(application).missing == [], application.reference  # certificates and prerequisite too
    assert authenticate("demo1@example.org", DEMO_PASSWORD) is not None
    assert seed(5) == 5  # a second run adds more without colliding


def test_seeded_data_goes_through_the_workflow_as_real_use_would(app, reviewer):
    seed(400)
    applications = db.session.scalars(select(Application)).all()
    by_state = {state: [a for a in applications if a.state == state] for state in S}
    assert all(
        by_state[state]
        for state in (
            S.DRAFT,
            S.AWAITING_PAYMENT,
            S.IN_REVIEW,
            S.RETURNED,
            S.RESUBMITTED,
            S.APPROVED,
            S.REJECTED,
        )
    )
    paid = [a for a in applications if a.paid_at is not None]
    for application in paid:
        assert approval.fee_paid(application) == [] and approval.documents_settled(application) == []
        assert application.review_due_at > application.paid_at
    assert db.session.scalar(select(func.count()).select_from(Payment)) == len(paid)
    # Members are in the register; a few open claims are left for a reviewer, none of the approved ones.
    assert db.session.scalar(select(func.count()).select_from(Member)) > 0
    checks = {check.application_id: check for check in db.session.scalars(select(MembershipCheck))}
    assert {check.status for check in checks.values()} == {
        MembershipStatus.VERIFIED,
        MembershipStatus.UNVERIFIED,
    }
    for application in by_state[S.APPROVED]:
        assert approval.membership_settled(application) == [], application.reference
    assert all(a.id in checks for a in applications if a.is_member and a.state != S.DRAFT)
    for application in by_state[S.AWAITING_PAYMENT] + by_state[S.IN_REVIEW]:
        asked = {
            r.engagement_id
            for r in db.session.scalars(
                select(ReferenceRequest).where(ReferenceRequest.application_id == application.id)
            )
        }
        assert asked == {e.id for e in application.engagements if e.referee_email}

    credentials = db.session.scalars(select(IssuedCredential)).all()
    assert len(credentials) == len(by_state[S.APPROVED])
    assert {status(c).value for c in credentials} >= {"valid", "expired"}
    credential = next(c for c in credentials if c.revoked_at is None and c.expires_on > date.today())
    shown = page(client_for(app).get(f"/verify/{credential.number}"))
    assert credential.holder_name in shown and "This credential is valid" in shown

    # Nothing is left overdue for the scheduler: its first sweeps send no burst of emails to demo addresses.
    assert sweep_expiry().expired == sweep_expiry().reminded == 0
    assert sweep_references().expired == sweep_references().reminded == 0
    db.session.rollback()

    staff = client_for(app, reviewer)
    application = by_state[S.IN_REVIEW][0]
    assert application.reference in page(staff.get(f"/review/{application.id}"))
    document = db.session.scalar(select(Document).where(Document.application_id == application.id))
    owner = client_for(app, application.applicant)
    owner.post("/account/sign-in", data={"email": application.applicant.email, "password": DEMO_PASSWORD})
    with owner.get(f"/applications/documents/{document.id}") as download:
        assert download.status_code == 200 and download.data.startswith(b"%PDF-")
