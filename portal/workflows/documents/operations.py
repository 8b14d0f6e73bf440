"""What the portal does with a document once stored: read it, cross-check it, let a person settle it."""

from __future__ import annotations

from datetime import date
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from portal import jobs, outbox
from portal.dates import number
from portal.db import after_rollback, db, utcnow
from portal.documents.crosscheck import (
    DeclaredEngagement,
    DeclaredTraining,
    check_certificate,
    check_reference_letter,
)
from portal.documents.pipeline import extract
from portal.documents.sniff import RejectedFile, sniff
from portal.documents.storage import TooLarge, current_storage
from portal.enums import DocumentPurpose, DocumentStatus
from portal.models.applications import Application, Engagement, TrainingRecord
from portal.models.documents import Document
from portal.models.references import ReferenceRequest
from portal.models.users import User
from portal.workflows.documents import reasons
from portal.workflows.documents.rules import UploadRejected, _display_name, without_nul
from portal.workflows.engine import TransitionRefused, apply_transition


def read_document(document_id: int) -> Document | None:
    """Extract and cross-check a queued document. Does nothing for a document gone or already read."""

    document = db.session.get(Document, document_id)
    if document is None or document.status != DocumentStatus.QUEUED:
        return document
    document.processing_attempts += 1
    extraction = extract(current_storage().path(document.storage_key))
    facts = without_nul(extraction.fields)
    if extraction.status != "read":
        reason = without_nul(extraction.reason)
        _settle(document, "hand_over", reason, facts=facts, checks=[])
        return document

    checks = []
    if document.purpose == DocumentPurpose.CERTIFICATE:
        training = db.session.scalar(
            select(TrainingRecord).where(TrainingRecord.certificate_id == document.id)
        )
        if training is not None:
            declared = DeclaredTraining(
                participant_name=training.application.full_name or training.application.applicant.full_name,
                programme=training.programme_name,
                training_centre=training.centre_name,
                hours=training.hours,
                start_date=training.start_date,
                end_date=training.end_date,
                instructor=training.instructor_name,
            )
            checks = check_certificate(extraction.facts, declared, text=extraction.text)
    elif document.purpose == DocumentPurpose.REFERENCE_LETTER:
        engagement = db.session.scalar(select(Engagement).where(Engagement.letter_id == document.id))
        if engagement is None:  # a letter the referee uploaded with their answer
            engagement = db.session.scalar(
                select(Engagement)
                .join(ReferenceRequest, ReferenceRequest.engagement_id == Engagement.id)
                .where(ReferenceRequest.letter_id == document.id)
            )
        if engagement is not None:
            declared = DeclaredEngagement(
                mentor_name=engagement.application.full_name or engagement.application.applicant.full_name,
                mentee_name=engagement.mentee_name,
                mentee_email=engagement.mentee_email,
                start_date=engagement.start_date,
                end_date=engagement.end_date or date.today(),  # an ongoing engagement runs to today
            )
            checks = check_reference_letter(extraction.text, declared)
    contradicted = [check for check in checks if check.outcome == "contradicted"]
    reason = None
    if contradicted:
        reason = "Does not match what was declared: " + ", ".join(c.label for c in contradicted)
    _settle(
        document,
        "flag" if contradicted else "read",
        reason,
        facts=facts,
        checks=without_nul([check.to_dict() for check in checks]),
    )
    return document


def _settle(document: Document, action: str, reason: str | None, **values) -> None:
    """The worker's verdict on a queued document, unless someone queued it again meanwhile."""
    try:
        apply_transition(
            document, action, None, reason, status_reason=reason, processed_at=utcnow(), **values
        )
    except TransitionRefused:
        pass  # no longer queued: another reading (or a person) settled it first


def mark_unreadable(document_id: int, reason: str) -> None:
    """Record that reading failed for good, so a person checks the document by hand."""
    document = db.session.get(Document, document_id)
    if document is not None and document.status == DocumentStatus.QUEUED:
        _settle(document, "hand_over", without_nul(reason)[:2000])


def reprocess(document: Document, actor: User | None) -> None:
    """Queue a document for reading again (a reviewer's request). Flushes, never commits."""
    _requeue(document, actor)


def reprocess_after_change(document: Document) -> None:
    """The declared record changed: read and cross-check the document again against the new answers."""
    _requeue(document, None)


def _requeue(document: Document, actor: User | None) -> None:
    apply_transition(document, "reprocess", actor, status_reason=None, facts=None, checks=None)
    outbox.enqueue(jobs.PROCESS_DOCUMENT, document.id)


def check_by_hand(document: Document, actor: User, note: str | None) -> None:
    """A reviewer read the document and compared it with the answers themselves. Flushes, never commits."""
    if document.status == DocumentStatus.CHECKED_BY_HAND:
        return
    note = (note or "").strip() or None
    # Without a note, the worker's reason stays, for the record of why it needed a person.
    apply_transition(document, "check_by_hand", actor, note, **({"status_reason": note} if note else {}))


def accept_upload(
    application: Application,
    stream: BinaryIO,
    filename: str,
    purpose: DocumentPurpose,
    uploaded_by: User | None,
) -> Document:
    """Store the file, check what it is, add its Document row and its reading job. Flushes, never commits."""
    storage = current_storage()
    max_bytes = current_app.config["MAX_UPLOAD_BYTES"]
    try:
        stored = storage.save(stream, max_bytes=max_bytes)
    except TooLarge as error:
        raise UploadRejected(
            _("The file is larger than %(size)s MB.", size=number(max_bytes / 1048576))
        ) from error
    try:
        file_type = sniff(storage.path(stored.key))
    except RejectedFile as error:
        storage.delete(stored.key)
        raise UploadRejected(reasons.shown(str(error))) from error

    document = Document(
        application_id=application.id,
        uploaded_by_id=uploaded_by.id if uploaded_by else None,
        purpose=purpose,
        storage_key=stored.key,
        original_name=_display_name(filename, file_type),
        file_type=file_type,
        size_bytes=stored.size,
        sha256=stored.sha256,
    )
    db.session.add(document)
    db.session.flush()
    # If the transaction rolls back, the stored bytes have no row: remove them.
    after_rollback(db.session(), lambda: storage.delete(stored.key))
    outbox.enqueue(jobs.PROCESS_DOCUMENT, document.id)
    return document
