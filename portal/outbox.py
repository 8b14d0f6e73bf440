"""The outbox: jobs are rows written with the data they are about, sent to the broker after commit.

A row names its job by actor name (``portal.jobs``) and is sent right after its transaction commits, through
Dramatiq's configured broker, to the queue the actor was declared on; the scheduler's sweep sends any row
still unsent (the broker was down, the process died between commit and send). Actors are idempotent, so the
rare double send of a row is harmless. Nothing here imports the actors: workflows and notifications queue
jobs without depending on ``portal.tasks``.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import dramatiq
import dramatiq.errors
from flask import current_app, has_app_context
from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError

from portal import jobs
from portal.db import after_commit, db, utcnow
from portal.models.outbox import OutboxMessage
from portal.redis_clients import Circuit

log = logging.getLogger(__name__)


def enqueue(actor_name: str, *args: Any) -> OutboxMessage:
    """Write a job for the actor named ``actor_name`` (a ``portal.jobs`` name) with ``args``, JSON values.

    It leaves for the broker once the transaction commits, and never if it rolls back.
    """
    message = OutboxMessage(actor_name=actor_name, args=list(args))
    db.session.add(message)
    db.session.flush()
    session = db.session()
    pending = session.info.setdefault("outbox_pending", [])
    if not pending:
        after_commit(session, lambda: dispatch(session.info.pop("outbox_pending", [])))
    pending.append(message.id)
    return message


def dispatch(message_ids: list[int], *, probe: bool = False) -> int:
    """Send these outbox rows to the broker and mark them sent. Returns how many went.

    While the broker's circuit is open (it failed moments ago) nothing is tried, unless ``probe``: the
    sweep tries anyway, so it is the sweep that finds the broker back.

    Runs after the data's commit, so a database that fails now must not fail the request: the rows are
    committed and the sweep sends (or marks) them once the database is back.
    """
    if not message_ids:
        return 0
    try:
        return _dispatch(message_ids, probe)
    except SQLAlchemyError as error:
        log.warning("outbox messages %s left to the sweep: %s", message_ids, error)
        return 0


def send_job(broker: dramatiq.Broker, actor_name: str, args: list[Any]) -> dramatiq.Message:
    """Send one job to ``broker`` by actor name, on the queue that actor was declared with."""
    queue_name = broker.get_actor(actor_name).queue_name  # ActorNotFound when no such actor is declared
    return broker.enqueue(
        dramatiq.Message(
            queue_name=queue_name, actor_name=actor_name, args=tuple(args), kwargs={}, options={}
        )
    )


def _dispatch(message_ids: list[int], probe: bool) -> int:
    circuit = broker_circuit()
    if circuit is not None and circuit.is_open() and not probe:
        return 0  # the broker failed moments ago: the rows wait for the sweep rather than for a timeout
    broker = dramatiq.get_broker()
    sent: list[int] = []
    with db.engine.connect() as connection:
        rows = connection.execute(
            select(OutboxMessage.id, OutboxMessage.actor_name, OutboxMessage.args).where(
                OutboxMessage.id.in_(message_ids), OutboxMessage.dispatched_at.is_(None)
            )
        ).all()
        for row_ids, actor_name, args in _batched(rows):
            try:
                send_job(broker, actor_name, args)
            except Exception as error:  # the broker is unreachable or the actor unknown: the sweep retries
                log.warning("outbox messages %s (%s) not sent: %s", row_ids, actor_name, error)
                connection.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id.in_(row_ids))
                    .values(
                        dispatch_attempts=OutboxMessage.dispatch_attempts + 1, last_error=str(error)[:2000]
                    )
                )
                if not isinstance(error, dramatiq.errors.ActorNotFound):
                    if circuit is not None:
                        circuit.failed(error)
                    break  # the next rows would each wait for the same timeout
            else:
                sent.extend(row_ids)
        if sent and circuit is not None:
            circuit.succeeded()
        # Marked together: one statement and one commit for the batch. A process that dies before this
        # leaves the rows to the sweep, which sends them again; the actors do their work once whatever.
        if sent:
            connection.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(sent))
                .values(dispatched_at=utcnow(), dispatch_attempts=OutboxMessage.dispatch_attempts + 1)
            )
        connection.commit()
    return len(sent)


def _batched(rows) -> list[tuple[list[int], str, list[Any]]]:
    """The broker jobs for these rows: (row ids, actor name, args). Rows of a job that has a batch form
    (``jobs.BATCHES``) go together, up to the batch size, as one job with the list of their first arguments;
    every other row is a job of its own."""
    jobs_out: list[tuple[list[int], str, list[Any]]] = []
    batches: dict[str, list[tuple[int, Any]]] = {}
    for row_id, actor_name, args in rows:
        batch = jobs.BATCHES.get(actor_name)
        size = current_app.config.get(batch[1], 1) if batch and has_app_context() else 1
        if size > 1 and len(args) == 1:
            batches.setdefault(actor_name, []).append((row_id, args[0]))
        else:
            jobs_out.append(([row_id], actor_name, args))
    for actor_name, items in batches.items():
        batch_name, setting = jobs.BATCHES[actor_name]
        size = current_app.config[setting]
        for start in range(0, len(items), size):
            chunk = items[start : start + size]
            if len(chunk) == 1:
                jobs_out.append(([chunk[0][0]], actor_name, [chunk[0][1]]))
            else:
                jobs_out.append(([row_id for row_id, _ in chunk], batch_name, [[arg for _, arg in chunk]]))
    return jobs_out


def broker_circuit() -> Circuit | None:
    """The running app's circuit for the broker (None outside an app): open while the broker is failing."""
    return current_app.extensions.get("broker_circuit") if has_app_context() else None


def sweep(grace_seconds: int = 10, batch: int = 500) -> int:
    """Send rows older than ``grace_seconds`` that are still unsent. Returns how many went."""
    cutoff = utcnow() - timedelta(seconds=grace_seconds)
    ids = list(
        db.session.scalars(
            select(OutboxMessage.id)
            .where(OutboxMessage.dispatched_at.is_(None), OutboxMessage.created_at <= cutoff)
            .order_by(OutboxMessage.id)
            .limit(batch)
        )
    )
    db.session.rollback()
    return dispatch(ids, probe=True)


def pending_count() -> int:
    return db.session.scalar(
        select(db.func.count()).select_from(OutboxMessage).where(OutboxMessage.dispatched_at.is_(None))
    )
