"""The credential expiry actor: marks expired credentials and sends each expiry reminder once."""

from __future__ import annotations

import logging

import dramatiq

from portal import jobs
from portal.tasks.scheduler import PERIODIC, run_sweep
from portal.workflows.credentials.operations import sweep_expiry

log = logging.getLogger(__name__)

# Hourly: the sweep asks the database what is due, so a missed run is caught up by the next.
PERIODIC[jobs.SWEEP_CREDENTIALS] = 3600


@dramatiq.actor(
    actor_name=jobs.SWEEP_CREDENTIALS,
    queue_name="default",
    max_retries=3,
    min_backoff=10_000,
    max_backoff=300_000,
    time_limit=300_000,
)
def sweep_credentials() -> None:
    result = run_sweep(sweep_expiry)
    if result.expired or result.reminded:
        log.info("credential sweep: %d expired, %d reminded", result.expired, result.reminded)
