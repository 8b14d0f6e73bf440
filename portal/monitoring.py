"""What operators ask of the running portal: which worker processes are alive."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from portal.db import db, utcnow
from portal.models.operations import WorkerHeartbeat


def live_workers() -> int:
    """Worker processes that reported within the last three heartbeats."""
    cutoff = utcnow() - timedelta(seconds=3 * current_app.config["HEARTBEAT_SECONDS"])
    return (
        db.session.scalar(
            select(func.count()).select_from(WorkerHeartbeat).where(WorkerHeartbeat.last_seen_at >= cutoff)
        )
        or 0
    )
