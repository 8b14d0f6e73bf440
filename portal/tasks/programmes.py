"""The mentoring programmes' periodic sweep: reminders before each checkpoint, each sent once."""

from __future__ import annotations

import dramatiq

from portal import jobs
from portal.tasks.scheduler import PERIODIC, run_sweep
from portal.workflows.programmes.operations import send_checkpoint_reminders

# Hourly: a reminder goes out days ahead, so an hour late is on time, and a missed run is caught up.
PERIODIC[jobs.REMIND_CHECKPOINTS] = 3600


@dramatiq.actor(
    actor_name=jobs.REMIND_CHECKPOINTS,
    queue_name="programmes",
    max_retries=3,
    min_backoff=10_000,
    max_backoff=300_000,
    time_limit=300_000,
)
def remind_checkpoints() -> None:
    """Idempotent: each checkpoint is claimed before its reminder is written; a rerun sends nothing twice."""
    run_sweep(send_checkpoint_reminders)
