"""The document actor: reads one uploaded file in the sandbox and records facts and cross-checks."""

from __future__ import annotations

import dramatiq

from portal import jobs
from portal.db import db
from portal.tasks.broker import is_final_attempt
from portal.workflows.documents.operations import mark_unreadable, read_document

MAX_RETRIES = 3


@dramatiq.actor(
    actor_name=jobs.PROCESS_DOCUMENT,
    queue_name="documents",
    max_retries=MAX_RETRIES,
    min_backoff=2_000,
    max_backoff=60_000,
    time_limit=180_000,
)
def process_document(document_id: int) -> None:
    try:
        read_document(document_id)
        db.session.commit()
    except Exception as error:
        db.session.rollback()
        if is_final_attempt(MAX_RETRIES):
            mark_unreadable(document_id, f"Reading failed after {MAX_RETRIES + 1} attempts: {error}")
            db.session.commit()
        raise
