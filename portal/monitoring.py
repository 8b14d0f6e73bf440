"""What operators ask of the running portal: which worker processes are alive, whether the broker answers."""

from __future__ import annotations

from datetime import timedelta

import dramatiq
from flask import current_app
from sqlalchemy import func, select

from portal.db import db, utcnow
from portal.models.operations import WorkerHeartbeat
from portal.outbox import broker_circuit


def live_workers() -> int:
    """Worker processes that reported within the last three heartbeats."""
    cutoff = utcnow() - timedelta(seconds=3 * current_app.config["HEARTBEAT_SECONDS"])
    return (
        db.session.scalar(
            select(func.count()).select_from(WorkerHeartbeat).where(WorkerHeartbeat.last_seen_at >= cutoff)
        )
        or 0
    )


def broker_state() -> str:
    """ "ok", "unreachable" (jobs wait in the outbox), or "not checked" (a broker without a client to ask).

    Asks Redis once, bounded by its timeout; while the broker's circuit is open it does not ask again.
    """
    circuit = broker_circuit()
    if circuit is not None and circuit.is_open():
        return "unreachable"
    client = getattr(dramatiq.get_broker(), "client", None)
    if client is None:
        return "not checked"
    try:
        client.ping()
    except Exception as error:  # timeouts, refused or dropped connections: all mean the same here
        if circuit is not None:
            circuit.failed(error)
        return "unreachable"
    return "ok"
