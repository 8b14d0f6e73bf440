"""What must hold before a payment starts review and before a reviewer approves: the transition guards.

Each guard takes the application and returns the problems as sentences (none when it holds), so the same
function refuses the transition and fills the reviewer's checklist.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.db import db
from portal.enums import DocumentStatus
from portal.models.applications import Application
from portal.models.documents import Document
from portal.models.payments import Payment
from portal.workflows.credentials.queries import qualifying_prerequisite
from portal.workflows.references.queries import confirmed_reference_count
from portal.workflows.registry import catalogue

SETTLED = (DocumentStatus.READ, DocumentStatus.CHECKED_BY_HAND)


def fee_paid(application: Application) -> list[str]:
    payment = db.session.scalar(select(Payment).where(Payment.application_id == application.id))
    if payment is None:
        return ["The fee has not been paid yet."]
    return []


def references_confirmed(application: Application) -> list[str]:
    if application.is_renewal:
        return []
    required = catalogue()[application.credential_code].references
    confirmed = confirmed_reference_count(application)
    if confirmed < required:
        return [f"{required} confirmed references are needed; {confirmed} have been confirmed so far."]
    return []


def unsettled_documents(application: Application) -> list[Document]:
    return list(
        db.session.scalars(
            select(Document)
            .where(Document.application_id == application.id, Document.status.not_in(SETTLED))
            .order_by(Document.id)
        )
    )


def documents_settled(application: Application) -> list[str]:
    return [
        f"“{document.original_name}” has not been read or checked by hand ({document.status.label.lower()})."
        for document in unsettled_documents(application)
    ]


def prerequisite_held(application: Application, today: date | None = None) -> list[str]:
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
        (
            f"The {code} held for a full cycle is neither a credential issued by this portal nor checked by a "
            f"reviewer yet."
        )
    ]


def sections_reopened(application: Application) -> list[str]:
    if not application.reopened_sections:
        return ["Choose at least one section for the applicant to change."]
    return []


APPROVAL_GUARDS = (fee_paid, references_confirmed, documents_settled, prerequisite_held)
