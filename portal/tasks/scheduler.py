"""The single scheduler: sends unsent outbox rows and triggers the periodic sweeps on the broker.

Each periodic job is an idempotent sweep that asks the database what is due, so a missed run is caught up
by the next one and a second scheduler would do no harm.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from typing import TypeVar

import dramatiq
from flask import Flask

from portal import outbox
from portal.db import db

log = logging.getLogger(__name__)
T = TypeVar("T")

# actor name -> seconds between runs. Jobs add themselves here as features need them.
PERIODIC: dict[str, int] = {}


def run_sweep(sweep: Callable[[], T]) -> T:
    """Run one periodic sweep in a transaction of its own: committed, or rolled back and raised so that
    Dramatiq retries it (the sweeps are idempotent, and the next run catches up whatever is still due)."""
    try:
        result = sweep()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return result


def tick(app: Flask, last_run: dict[str, float], now: float) -> None:
    """One pass: the outbox sweep, then every periodic actor that is due."""
    with app.app_context():
        sent = outbox.sweep(grace_seconds=app.config["OUTBOX_SWEEP_SECONDS"])
        if sent:
            log.info("outbox sweep sent %d message(s)", sent)
    for actor_name, every in PERIODIC.items():
        if now - last_run.get(actor_name, 0) >= every:
            try:
                outbox.send_job(dramatiq.get_broker(), actor_name, [])
                last_run[actor_name] = now
            except Exception as error:  # broker unreachable: try again next tick
                log.warning("could not trigger %s: %s", actor_name, error)


def run_forever(app: Flask, stop: threading.Event | None = None) -> None:
    stop = stop or threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    interval = max(1, app.config["OUTBOX_SWEEP_SECONDS"] // 3)
    last_run: dict[str, float] = {}
    log.info("scheduler started (every %ss)", interval)
    while not stop.is_set():
        try:
            tick(app, last_run, time.monotonic())
        except Exception:  # a database hiccup must not end the scheduler
            log.exception("scheduler tick failed")
        stop.wait(interval)
    log.info("scheduler stopped")
