"""The data-rights actors: build a person's copy of their data, and the hourly sweep (export files that were
downloaded or expired, warnings about stale drafts, and their erasure)."""

from __future__ import annotations

import logging

import dramatiq

from portal import jobs
from portal.db import db
from portal.tasks.broker import is_final_attempt
from portal.tasks.scheduler import PERIODIC, run_sweep
from portal.workflows.data_rights.operations import build_export, record_export_failure
from portal.workflows.data_rights.operations import sweep_data_rights as sweep

log = logging.getLogger(__name__)
MAX_RETRIES = 3

# Hourly: drafts are kept for months and links for days, so an hour late is on time; a missed run catches up.
PERIODIC[jobs.SWEEP_DATA_RIGHTS] = 3600


@dramatiq.actor(
    actor_name=jobs.BUILD_DATA_EXPORT,
    queue_name="default",
    max_retries=MAX_RETRIES,
    min_backoff=10_000,
    max_backoff=300_000,
    time_limit=600_000,
)
def build_data_export(request_id: int) -> None:
    """Idempotent: only a request still queued is built; after the last retry it is marked failed, and the
    person told, rather than left waiting."""
    try:
        build_export(request_id)
        db.session.commit()
    except Exception as error:
        db.session.rollback()
        if is_final_attempt(MAX_RETRIES):
            record_export_failure(
                request_id, f"Building the copy failed after {MAX_RETRIES + 1} attempts: {error}"
            )
            db.session.commit()
        raise


@dramatiq.actor(
    actor_name=jobs.SWEEP_DATA_RIGHTS,
    queue_name="default",
    max_retries=3,
    min_backoff=10_000,
    max_backoff=300_000,
    time_limit=300_000,
)
def sweep_data_rights() -> None:
    result = run_sweep(sweep)
    if result.warned or result.erased or result.exports_cleared or result.retention_ended:
        log.info(
            "data-rights sweep: %d drafts warned, %d erased, %d export files removed, %d records past retention",
            result.warned,
            result.erased,
            result.exports_cleared,
            result.retention_ended,
        )
