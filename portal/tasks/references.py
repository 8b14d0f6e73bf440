"""The sweep of every request answered by link (referees, supervisors' declarations, supervision sessions):
reminds those who have not answered and expires requests that ran out."""

from __future__ import annotations

import logging

import dramatiq

from portal import jobs
from portal.tasks.scheduler import PERIODIC, run_sweep
from portal.workflows.external_requests.operations import sweep_all

# Each kind registers itself with the sweep when its operations module is imported.
from portal.workflows.programmes import operations as _sessions  # noqa: F401
from portal.workflows.references import operations as _references  # noqa: F401
from portal.workflows.supervisors import operations as _declarations  # noqa: F401

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
    results = run_sweep(sweep_all)
    for kind, result in results.items():
        if result.reminded or result.expired:
            log.info("%s sweep: %d reminded, %d expired", kind, result.reminded, result.expired)
