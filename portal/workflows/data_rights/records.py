"""A person's own copy of their data: ``data.json`` with everything the portal holds about them, and their files.

Left out, on purpose: other people's personal data and what was written about the person in confidence —
a referee's comment, letter and the addresses their answer came from, staff's notes of verification calls,
and the trust signals reviewers see (comparing where answers and sign-ins came from): revealing them would
defeat the checks they exist for, and confidential references are exempt from the right of access. The
partner's own declarations and evaluations in a mentoring pairing are theirs, and are left out too.
"""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from tempfile import SpooledTemporaryFile
from typing import IO, Any

from sqlalchemy import func, or_, select

from portal.db import db
from portal.documents.storage import current_storage
from portal.models.applications import Application
from portal.models.audit import AuditEntry
from portal.models.credentials import IssuedCredential
from portal.models.data_rights import DataRequest
from portal.models.documents import Document
from portal.models.members import MembershipCheck
from portal.models.outbox import EmailMessage
from portal.models.programmes import MentorProfile, Pairing, SupervisionSession
from portal.models.references import ReferenceRequest, StaffVerification
from portal.models.review import ApplicationMessage, ReviewNote
from portal.models.users import User
from portal.workflows.admin.records import file_name, json_text, row
from portal.workflows.audit import action_label, applicant_timeline

# Staff's ids on the person's records: internal, and about the staff rather than the person.
_STAFF_IDS = {
    "reviewer_id",
    "prerequisite_checked_by_id",
    "dispute_resolved_by_id",
    "revoked_by_id",
    "recorded_by_id",
    "verified_by_id",
    "uploaded_by_id",
}
# Of a reference request: what the person declared and what became of it; never the referee's own words,
# letter or addresses, nor the signals reviewers compare.
_REFERENCE_FIELDS = (
    "id",
    "engagement_id",
    "referee_name",
    "referee_email",
    "referee_relationship",
    "declared_mentor_name",
    "declared_mentee_name",
    "declared_start_date",
    "declared_end_date",
    "declared_setting",
    "status",
    "created_at",
    "sent_at",
    "reminders_sent",
    "expires_at",
    "answered_at",
    "corrected_start_date",
    "corrected_end_date",
    "corrected_role",
)
_VERIFICATION_FIELDS = ("engagement_id", "contact_name", "method", "contacted_on", "confirmed", "recorded_at")


def _clean(obj, *drop: str) -> dict[str, Any]:
    return {key: value for key, value in row(obj).items() if key not in _STAFF_IDS and key not in drop}


def _pick(obj, fields: tuple[str, ...]) -> dict[str, Any]:
    values = row(obj)
    return {key: values[key] for key in fields}


def _all(query) -> list:
    return list(db.session.scalars(query))


def documents_of(application_ids: list[int]) -> list[Document]:
    """The person's uploaded files: every document of their applications but referees' letters, which are
    written for the credentialing team (the same rule as the download page)."""
    if not application_ids:
        return []
    letters = select(ReferenceRequest.letter_id).where(
        ReferenceRequest.application_id.in_(application_ids), ReferenceRequest.letter_id.is_not(None)
    )
    return _all(
        select(Document)
        .where(Document.application_id.in_(application_ids), Document.id.not_in(letters))
        .order_by(Document.id)
    )


def _document_path(document: Document) -> str:
    return f"files/application-{document.application_id}/{document.id}-{file_name(document.original_name)}"


def _of(model, application: Application) -> list:
    """Every ``model`` row about ``application``, oldest first."""
    return _all(select(model).where(model.application_id == application.id).order_by(model.id))


def _application(application: Application, documents: list[Document]) -> dict[str, Any]:
    references = _of(ReferenceRequest, application)
    verifications = _of(StaffVerification, application)
    notes = _of(ReviewNote, application)
    messages = _of(ApplicationMessage, application)
    membership = _of(MembershipCheck, application)
    return {
        "reference": application.reference,
        "application": _clean(application),
        "training_records": [_clean(record) for record in application.training_records],
        "engagements": [_clean(engagement) for engagement in application.engagements],
        "supervision_years": [_clean(year) for year in application.supervision_years],
        "documents": [
            {**_clean(document), "file": _document_path(document)}
            for document in documents
            if document.application_id == application.id
        ],
        "references": [_pick(reference, _REFERENCE_FIELDS) for reference in references],
        "staff_verifications": [_pick(item, _VERIFICATION_FIELDS) for item in verifications],
        "payment": _clean(application.payment) if application.payment else None,
        "fee_difference": _clean(application.fee_difference) if application.fee_difference else None,
        "membership_checks": [
            _pick(check, ("number", "status", "detail", "checked_at", "decided_at", "decision_reason"))
            for check in membership
        ],
        "questions_and_answers": [
            {"from": message.role, "text": message.body, "at": message.created_at} for message in messages
        ],
        "review_notes": [
            {"criterion": n.criterion_key, "text": n.text, "updated_at": n.updated_at} for n in notes
        ],
        "timeline": [
            {
                "at": entry.created_at,
                "who": entry.actor_label,
                "what": entry.action_label,
                "from": entry.from_state,
                "to": entry.to_state,
                "reason": entry.reason,
            }
            for entry in applicant_timeline(application)
        ],
    }


def _pairing(pairing: Pairing, user: User) -> dict[str, Any]:
    return {
        "programme": pairing.programme.name,
        "your_role": pairing.role_of(user),
        "partner": pairing.partner_of(user).full_name,
        "pairing": _clean(pairing, "mentor_id", "mentee_id", "created_by_id", "renewal_proposed_by_id"),
        "goals": [
            {
                **_clean(goal),
                "notes": [
                    {**_clean(note, "author_id"), "yours": note.author_id == user.id} for note in goal.notes
                ],
            }
            for goal in pairing.goals
        ],
        "meetings": [
            {**_clean(meeting, "logged_by_id"), "logged_by_you": meeting.logged_by_id == user.id}
            for meeting in pairing.meetings
        ],
        "checkpoints": [_clean(checkpoint, "completed_by_id") for checkpoint in pairing.checkpoints],
        # The partner's declaration and evaluation are theirs: only the person's own are included.
        "your_declarations": [_clean(d) for d in pairing.declarations if d.user_id == user.id],
        "your_evaluations": [_clean(e) for e in pairing.evaluations if e.author_id == user.id],
    }


def _account(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email,
        "full_name": user.full_name,
        "role": user.role,
        "created_at": user.created_at,
        "email_confirmed_at": user.email_confirmed_at,
        "last_login_at": user.last_login_at,
        "last_login_ip": user.last_login_ip,
        "last_login_user_agent": user.last_login_user_agent,
        "two_factor_sign_in": user.has_two_factor,
        "is_profile_public": user.is_profile_public,
        "profile_slug": user.profile_slug,
    }


def addresses_of(user: User, applications: list[Application]) -> set[str]:
    """The account's address and every contact address given in its applications."""
    return {user.email.lower()} | {a.contact_email.lower() for a in applications if a.contact_email}


def export_data(user: User) -> tuple[dict[str, Any], list[Document]]:
    """Everything the portal holds about ``user`` as plain data, and the files that go with it."""
    applications = _all(
        select(Application).where(Application.applicant_id == user.id).order_by(Application.id)
    )
    documents = documents_of([a.id for a in applications])
    profile = db.session.scalar(select(MentorProfile).where(MentorProfile.user_id == user.id))
    pairings = _all(
        select(Pairing)
        .where(or_(Pairing.mentor_id == user.id, Pairing.mentee_id == user.id))
        .order_by(Pairing.id)
    )
    audit = _all(
        select(AuditEntry)
        .where(
            or_(
                AuditEntry.actor_id == user.id,
                (AuditEntry.subject_type == User.__tablename__) & (AuditEntry.subject_id == user.id),
            )
        )
        .order_by(AuditEntry.created_at, AuditEntry.id)
    )
    data = {
        "exported_at": datetime.now(UTC),
        "account": _account(user),
        "applications": [_application(application, documents) for application in applications],
        "credentials": [
            _clean(credential)
            for credential in _all(
                select(IssuedCredential)
                .where(IssuedCredential.holder_id == user.id)
                .order_by(IssuedCredential.id)
            )
        ],
        "mentor_profile": _clean(profile) if profile else None,
        "pairings": [_pairing(pairing, user) for pairing in pairings],
        "supervision_sessions": [
            _clean(session)
            for session in _all(
                select(SupervisionSession)
                .where(SupervisionSession.mentor_id == user.id)
                .order_by(SupervisionSession.id)
            )
        ],
        "audit": [
            {
                "at": entry.created_at,
                "what": action_label(entry.action),
                "about": entry.subject_type,
                "about_id": entry.subject_id,
                "from": entry.from_state,
                "to": entry.to_state,
                "reason": entry.reason,
            }
            for entry in audit
        ],
        "emails": [
            {
                "at": e.created_at,
                "to": e.recipient,
                "subject": e.subject,
                "status": e.status,
                "sent_at": e.sent_at,
            }
            for e in _all(
                select(EmailMessage)
                .where(func.lower(EmailMessage.recipient).in_(addresses_of(user, applications)))
                .order_by(EmailMessage.id)
            )
        ],
        "data_requests": [
            {"kind": r.kind, "status": r.status, "created_at": r.created_at, "completed_at": r.completed_at}
            for r in _all(select(DataRequest).where(DataRequest.user_id == user.id).order_by(DataRequest.id))
        ],
    }
    return data, documents


_README = """Your data from the Mentor Credentials portal
===========================================

data.json   everything the portal holds about you: your account, applications (with their training records,
            engagements, references you asked for, payments, reviewers' notes and timeline), credentials,
            mentoring pairings, supervision log, the audit entries about you and the emails we sent you.
files/      the files you uploaded, by application.

Left out: what other people wrote about you in confidence (referees' comments and letters, notes of our
verification calls) and the checks reviewers make on references, as the privacy notice explains.
"""


def export_zip(user: User) -> IO[bytes]:
    """The person's data as a ZIP (``data.json``, ``README.txt`` and ``files/``), rewound and ready to store."""
    data, documents = export_data(user)
    storage = current_storage()
    buffer = SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 (the caller stores and closes it)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", _README)
        archive.writestr("data.json", json_text(data))
        for document in documents:
            path = storage.path(document.storage_key)
            if path.exists():
                archive.write(path, _document_path(document))
    buffer.seek(0)
    return buffer
