"""The mentoring programmes' jobs: reminders before each checkpoint, and each chapter's quarterly report,
each sent once."""

from __future__ import annotations

import dramatiq

from portal import jobs
from portal.db import db
from portal.tasks.scheduler import PERIODIC, run_sweep
from portal.workflows.programmes.chapters.operations import queue_chapter_reports, send_chapter_report
from portal.workflows.programmes.operations import send_checkpoint_reminders

# Hourly: a reminder goes out days ahead, so an hour late is on time, and a missed run is caught up.
PERIODIC[jobs.REMIND_CHECKPOINTS] = 3600
# Daily: a quarter's reports go out on the first run after it ends; later runs find them sent.
PERIODIC[jobs.QUEUE_CHAPTER_REPORTS] = 86_400


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


@dramatiq.actor(
    actor_name=jobs.QUEUE_CHAPTER_REPORTS,
    queue_name="programmes",
    max_retries=3,
    min_backoff=10_000,
    max_backoff=300_000,
    time_limit=300_000,
)
def queue_chapter_reports_job() -> None:
    """Queues a report job per chapter not yet reported on for the quarter just ended (through the outbox)."""
    run_sweep(queue_chapter_reports)


@dramatiq.actor(
    actor_name=jobs.SEND_CHAPTER_REPORT,
    queue_name="programmes",
    max_retries=5,
    min_backoff=10_000,
    max_backoff=300_000,
    time_limit=300_000,
)
def send_chapter_report_job(chapter_id: int, quarter: str) -> None:
    """Idempotent: the report row is claimed before its emails are written; a rerun sends nothing."""
    try:
        send_chapter_report(chapter_id, quarter)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
