"""What must hold before a payment starts review and before a reviewer approves: the transition guards.

Each guard takes the application and the person acting (None for the portal itself) and returns the
problems as sentences (none when it holds), so the same function refuses the transition and fills the
reviewer's checklist.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from portal.db import db
from portal.enums import ApplicationState, DeclarationStatus, DocumentStatus, MembershipStatus
from portal.models.applications import Application
from portal.models.audit import AuditEntry
from portal.models.documents import Document
from portal.models.payments import Payment
from portal.models.references import ReferenceRequest
from portal.models.users import User
from portal.workflows.applications.queries import confirmed_sessions
from portal.workflows.credentials.queries import qualifying_prerequisite
from portal.workflows.credentials.rules import cycle_years
from portal.workflows.membership.queries import check_of
from portal.workflows.references.queries import confirmed_reference_count, disputed_engagements
from portal.workflows.registry import catalogue
from portal.workflows.review.rules import conflicts
from portal.workflows.supervisors.queries import current_declaration

SETTLED = (DocumentStatus.READ, DocumentStatus.CHECKED_BY_HAND)


def not_conflicted(application: Application, actor: User | None) -> list[str]:
    """A reviewer or admin who appears on the application (applicant, referee, supervisor, mentee) may not
    move it; the portal itself may."""
    if actor is None:
        return []
    return conflicts(application, actor)


def document_not_conflicted(document: Document, actor: User | None) -> list[str]:
    """Staff who appear on a document's application may not check it or have it read again."""
    if actor is None:
        return []
    return conflicts(db.session.get(Application, document.application_id), actor)


def reference_not_conflicted(reference: ReferenceRequest, actor: User | None) -> list[str]:
    """Staff who appear on the application may not resend or replace its referees' requests (its applicant
    may, as the applicant)."""
    if actor is None or actor.id == reference.application.applicant_id:
        return []
    return conflicts(reference.application, actor)


def fee_paid(application: Application, actor: User | None = None) -> list[str]:
    payment = db.session.scalar(select(Payment).where(Payment.application_id == application.id))
    if payment is None:
        return [_("The fee has not been paid yet.")]
    return []


def references_confirmed(application: Application, actor: User | None = None) -> list[str]:
    if application.is_renewal:
        return []
    required = catalogue()[application.credential_code].references
    confirmed = confirmed_reference_count(application)
    if confirmed < required:
        return [
            _(
                "%(required)s confirmed references are needed; %(confirmed)s have been confirmed so far.",
                required=required,
                confirmed=confirmed,
            )
        ]
    return []


def supervisor_confirmed(application: Application, actor: User | None = None) -> list[str]:
    """Where the catalogue requires it, the named supervisor has confirmed their declaration themselves."""
    if application.is_renewal or not catalogue()[application.credential_code].supervisor_declaration_required:
        return []
    declaration = current_declaration(application)
    if declaration is None:
        return [
            _(
                "The supervisor has not been asked for their declaration: approval waits until they confirm it."
            )
        ]
    if declaration.status == DeclarationStatus.CONFIRMED:
        return []
    if declaration.status == DeclarationStatus.DECLINED:
        return [
            _(
                "%(name)s declined the supervisor's declaration: approval waits until a supervisor confirms it "
                "(the applicant can name another).",
                name=declaration.supervisor_name,
            )
        ]
    return [
        _(
            "%(name)s has not confirmed the supervisor's declaration yet: approval waits until the supervisor "
            "confirms it.",
            name=declaration.supervisor_name,
        )
    ]


def supervision_confirmed(application: Application, actor: User | None = None) -> list[str]:
    """A renewal's yearly supervision counts are the sessions the supervisor confirmed from their link, not
    the numbers the holder typed: each year of the cycle needs the catalogue's number of confirmed sessions."""
    if not application.is_renewal or application.renews_credential is None:
        return []
    required = catalogue()[application.credential_code].renewal.supervision_sessions_per_year
    confirmed = confirmed_sessions(application)
    return [
        _(
            "Year %(year)s: %(confirmed)s supervision sessions confirmed by the supervisor, %(required)s needed. "
            "The holder logs each session in the portal and the supervisor confirms it from the emailed link.",
            year=year.number,
            confirmed=confirmed.get(year.number, 0),
            required=required,
        )
        for year in cycle_years(application.renews_credential)
        if confirmed.get(year.number, 0) < required
    ]


def disputes_resolved(application: Application, actor: User | None = None) -> list[str]:
    """Every engagement a referee declined or corrected has been accepted or excluded by a reviewer."""
    return [
        _(
            "The referee disputed the engagement with %(name)s: accept it with a reason or exclude it before "
            "deciding.",
            name=engagement.mentee_name,
        )
        for engagement in disputed_engagements(application)
    ]


def unsettled_documents(application: Application) -> list[Document]:
    return list(
        db.session.scalars(
            select(Document)
            .where(Document.application_id == application.id, Document.status.not_in(SETTLED))
            .order_by(Document.id)
        )
    )


def documents_settled(application: Application, actor: User | None = None) -> list[str]:
    return [
        _(
            "“%(file)s” has not been read or checked by hand (%(status)s).",
            file=document.original_name,
            status=document.status.label.lower(),
        )
        for document in unsettled_documents(application)
    ]


def prerequisite_held(
    application: Application, actor: User | None = None, *, today: date | None = None
) -> list[str]:
    """A prerequisite credential held for its full cycles: issued by the portal, or declared and checked."""

    credential = catalogue()[application.credential_code]
    if credential.prerequisite is None or application.is_renewal:
        return []
    if qualifying_prerequisite(application, today) is not None:
        return []
    if application.prerequisite_checked_at is not None:
        return []
    code = credential.prerequisite.credential
    return [
        _(
            "The %(code)s held for a full cycle is neither a credential issued by this portal nor checked by a "
            "reviewer yet.",
            code=code,
        )
    ]


def membership_settled(application: Application, actor: User | None = None) -> list[str]:
    """A claim to the member rate is verified by the register or confirmed by a reviewer; one found false
    holds the review until the fee difference is paid."""
    difference = application.fee_difference
    if difference is not None and not difference.is_paid:
        return [
            _(
                "The membership claim was found false: the fee difference of %(amount)s %(currency)s has not "
                "been paid yet.",
                amount=format(difference.amount, ".2f"),
                currency=difference.currency,
            )
        ]
    if not application.is_member:
        return []
    check = check_of(application)
    if check is None:
        return [
            _(
                "The membership number %(number)s has not been checked against the register: confirm it by hand "
                "or mark the claim false.",
                number=application.member_number,
            )
        ]
    if check.status == MembershipStatus.UNVERIFIED:
        return [
            _(
                "The membership claimed (%(number)s) is not verified: %(detail)s Confirm it by hand or mark the "
                "claim false.",
                number=check.number,
                detail=check.detail,
            )
        ]
    if check.status == MembershipStatus.FALSE_CLAIM and difference is None:
        return [_("The membership claim was found false, but no fee difference has been asked for.")]
    return []


def approvals_given(application: Application) -> int:
    """Approvals recorded in this round of review: one while it waits for a second reviewer (a return or a
    rejection ends the round, so a resubmitted application starts again at none)."""
    return 1 if application.state == ApplicationState.AWAITING_SECOND_REVIEW else 0


def is_last_approval(application: Application) -> bool:
    """Whether the next approval is the last the catalogue asks for, and so issues the credential."""
    required = catalogue()[application.credential_code].approvals_required
    return approvals_given(application) + 1 >= required


def first_approval(application: Application) -> AuditEntry | None:
    """The audit entry of the approval this application is waiting to have seconded, if it is waiting."""
    if application.state != ApplicationState.AWAITING_SECOND_REVIEW:
        return None
    return db.session.scalar(
        select(AuditEntry)
        .where(
            AuditEntry.subject_type == Application.__tablename__,
            AuditEntry.subject_id == application.id,
            AuditEntry.action == "approve_first",
        )
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )


def another_approval_needed(application: Application, actor: User | None = None) -> list[str]:
    if is_last_approval(application):
        return [
            _(
                "A %(code)s needs no further approval: approving issues the credential.",
                code=application.credential_code,
            )
        ]
    return []


def approvals_complete(application: Application, actor: User | None = None) -> list[str]:
    if not is_last_approval(application):
        required = catalogue()[application.credential_code].approvals_required
        return [
            _(
                "A %(code)s is approved by %(required)s different reviewers: this approval is the first, and the "
                "credential is issued at the last.",
                code=application.credential_code,
                required=required,
            )
        ]
    return []


def not_the_first_approver(application: Application, actor: User | None = None) -> list[str]:
    first = first_approval(application)
    if actor is not None and first is not None and first.actor_id == actor.id:
        return [_("You gave this application its first approval: a different reviewer must give the second.")]
    return []


def sections_reopened(application: Application, actor: User | None = None) -> list[str]:
    if not application.reopened_sections:
        return [_("Choose at least one section for the applicant to change.")]
    return []


APPROVAL_GUARDS = (
    fee_paid,
    membership_settled,
    disputes_resolved,
    references_confirmed,
    documents_settled,
    prerequisite_held,
)
