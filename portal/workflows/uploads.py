"""Accepting an uploaded file: stream it to storage, decide its type from its bytes, queue it for reading."""
from __future__ import annotations

from typing import BinaryIO

from flask import current_app

from portal.db import after_rollback, db
from portal.documents.sniff import RejectedFile, sniff
from portal.documents.storage import TooLarge, current_storage
from portal.models.applications import Application
from portal.models.documents import Document, DocumentPurpose
from portal.models.users import User
from portal.tasks.outbox import enqueue


class UploadRejected(ValueError):
    """The upload was refused; ``str(error)`` tells the uploader why."""


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
        raise UploadRejected(f"The file is larger than {max_bytes / 1048576:g} MB.") from error
    try:
        file_type = sniff(storage.path(stored.key))
    except RejectedFile as error:
        storage.delete(stored.key)
        raise UploadRejected(str(error)) from error

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
    enqueue("process_document", document.id, queue_name="documents")
    return document


def _display_name(filename: str, file_type: str) -> str:
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    name = "".join(ch for ch in name if ch.isprintable())[:200]
    return name or f"document.{file_type}"

