"""Records for admins: one application's dossier as a ZIP, and the credentials and applications as CSV."""

from __future__ import annotations

import json
import zipfile
from tempfile import SpooledTemporaryFile
from typing import IO, Any

from sqlalchemy import inspect, or_, select
from sqlalchemy.orm import joinedload

from portal.db import db
from portal.documents.storage import current_storage
from portal.models.applications import Application
from portal.models.audit import AuditEntry
from portal.models.credentials import IssuedCredential
from portal.models.documents import Document
from portal.models.outbox import EmailMessage
from portal.models.references import ReferenceRequest
from portal.models.review import ApplicationMessage, ReviewNote
from portal.spreadsheets import csv_text, plain
from portal.workflows.credentials.rules import status

# Secrets and internals that have no place in a record handed out of the portal.
_NEVER = {"token_hash", "storage_key", "password_hash", "session_token"}


def _row(obj) -> dict[str, Any]:
    return {
        attr.key: plain(getattr(obj, attr.key))
        for attr in inspect(obj).mapper.column_attrs
        if attr.key not in _NEVER
    }


def _json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=plain)


def dossier(application: Application) -> IO[bytes]:
    """Every answer, document, reference answer, payment, note, question and answer, email and audit entry of
    ``application``."""
    documents = list(
        db.session.scalars(
            select(Document).where(Document.application_id == application.id).order_by(Document.id)
        )
    )
    references = list(
        db.session.scalars(
            select(ReferenceRequest)
            .where(ReferenceRequest.application_id == application.id)
            .order_by(ReferenceRequest.id)
        )
    )
    credential = db.session.scalar(
        select(IssuedCredential).where(IssuedCredential.application_id == application.id)
    )
    subjects = [
        ("applications", [application.id]),
        ("documents", [d.id for d in documents]),
        ("reference_requests", [r.id for r in references]),
        ("credentials", [credential.id] if credential else []),
    ]
    audit = list(
        db.session.scalars(
            select(AuditEntry)
            .where(
                or_(
                    *[
                        (AuditEntry.subject_type == kind) & AuditEntry.subject_id.in_(ids)
                        for kind, ids in subjects
                        if ids
                    ]
                )
            )
            .order_by(AuditEntry.created_at, AuditEntry.id)
        )
    )
    emails = list(
        db.session.scalars(
            select(EmailMessage)
            .where(EmailMessage.related_type == "applications", EmailMessage.related_id == application.id)
            .order_by(EmailMessage.id)
        )
    )
    notes = list(db.session.scalars(select(ReviewNote).where(ReviewNote.application_id == application.id)))
    messages = list(
        db.session.scalars(
            select(ApplicationMessage)
            .where(ApplicationMessage.application_id == application.id)
            .order_by(ApplicationMessage.id)
        )
    )

    answers = {
        "reference": application.reference,
        "application": _row(application),
        "training_records": [_row(record) for record in application.training_records],
        "engagements": [_row(engagement) for engagement in application.engagements],
        "supervision_years": [_row(year) for year in application.supervision_years],
    }
    storage = current_storage()
    buffer = SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 (the caller streams and closes it)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("application.json", _json(answers))
        archive.writestr("documents.json", _json([_row(document) for document in documents]))
        for document in documents:
            path = storage.path(document.storage_key)
            if path.exists():
                archive.write(path, f"documents/{document.id}-{_file_name(document.original_name)}")
        archive.writestr("references.json", _json([_row(reference) for reference in references]))
        archive.writestr("payment.json", _json(_row(application.payment) if application.payment else None))
        archive.writestr("credential.json", _json(_row(credential) if credential else None))
        archive.writestr("review_notes.json", _json([_row(note) for note in notes]))
        archive.writestr("messages.json", _json([_row(message) for message in messages]))
        archive.writestr(
            "emails.csv",
            csv_text(
                ["created_at", "recipient", "template", "subject", "status", "sent_at"],
                ([e.created_at, e.recipient, e.template, e.subject, e.status, e.sent_at] for e in emails),
            ),
        )
        archive.writestr(
            "audit.csv",
            csv_text(
                [
                    "created_at",
                    "actor",
                    "subject_type",
                    "subject_id",
                    "action",
                    "from_state",
                    "to_state",
                    "reason",
                ],
                (
                    [
                        a.created_at,
                        a.actor_label,
                        a.subject_type,
                        a.subject_id,
                        a.action,
                        a.from_state,
                        a.to_state,
                        a.reason,
                    ]
                    for a in audit
                ),
            ),
        )
    buffer.seek(0)
    return buffer


def _file_name(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "._- " else "_" for ch in name)[:120] or "document"


# For a person's own copy of their data (workflows/data_rights): rows, JSON and file names made the same way.
row, json_text, file_name = _row, _json, _file_name


def credentials_csv() -> str:
    rows = db.session.scalars(
        select(IssuedCredential)
        .options(joinedload(IssuedCredential.holder), joinedload(IssuedCredential.application))
        .order_by(IssuedCredential.issued_on, IssuedCredential.id)
    )
    return csv_text(
        [
            "number",
            "credential",
            "holder",
            "holder_email",
            "training_hours",
            "issued_on",
            "expires_on",
            "status",
            "revoked_at",
            "revoked_reason",
            "application",
        ],
        (
            [
                c.number,
                c.credential_code,
                c.holder_name,
                c.holder.email,
                c.training_hours,
                c.issued_on,
                c.expires_on,
                status(c),
                c.revoked_at,
                c.revoked_reason,
                c.application.reference,
            ]
            for c in rows
        ),
    )


def applications_csv() -> str:
    rows = db.session.scalars(
        select(Application)
        .options(joinedload(Application.applicant), joinedload(Application.reviewer))
        .order_by(Application.id)
    )
    return csv_text(
        [
            "reference",
            "kind",
            "credential",
            "state",
            "applicant",
            "applicant_email",
            "created_at",
            "submitted_at",
            "fee",
            "currency",
            "paid_at",
            "review_due_at",
            "decided_at",
            "reviewer",
        ],
        (
            [
                a.reference,
                a.kind,
                a.credential_code,
                a.state,
                a.full_name or a.applicant.full_name,
                a.applicant.email,
                a.created_at,
                a.submitted_at,
                a.fee_amount,
                a.fee_currency,
                a.paid_at,
                a.review_due_at,
                a.decided_at,
                a.reviewer.email if a.reviewer else None,
            ]
            for a in rows
        ),
    )
