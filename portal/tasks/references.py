"""The referee sweep: reminds referees who have not answered and expires requests that ran out."""

from __future__ import annotations

import logging

import dramatiq

from portal import jobs
from portal.tasks.scheduler import PERIODIC, run_sweep
from portal.workflows.references.operations import sweep_references as sweep

log = logging.getLogger(__name__)

# Hourly: reminders and expiry are counted in days, so an hour late is on time; a missed run is caught up.
PERIODIC[jobs.SWEEP_REFERENCES] = 3600


@dramatiq.actor(
    actor_name=jobs.SWEEP_REFERENCES,
    queue_name="references",
    max_retries=3,
    min_backoff=10_000,
    max_backoff=300_000,
    time_limit=300_000,
)
def sweep_references() -> None:
    """Idempotent: each request is claimed by a conditional UPDATE before its email is written."""
    result = run_sweep(sweep)
    if result.reminded or result.expired:
        log.info("reference sweep: %d reminded, %d expired", result.reminded, result.expired)
