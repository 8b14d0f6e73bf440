"""Worker heartbeats: each worker process records that it is alive, so operators and /health can tell."""

from __future__ import annotations

import logging
import os
import socket
import threading

import dramatiq
from flask import Flask
from sqlalchemy import delete, insert, update

from portal.db import db, utcnow
from portal.models.operations import WorkerHeartbeat

log = logging.getLogger(__name__)


def beat(hostname: str, pid: int) -> None:
    """Record one heartbeat for this process (update its row, or create it on the first beat)."""
    with db.engine.begin() as connection:
        updated = connection.execute(
            update(WorkerHeartbeat)
            .where(WorkerHeartbeat.hostname == hostname, WorkerHeartbeat.pid == pid)
            .values(last_seen_at=utcnow())
        ).rowcount
        if not updated:
            connection.execute(
                insert(WorkerHeartbeat).values(
                    hostname=hostname, pid=pid, started_at=utcnow(), last_seen_at=utcnow()
                )
            )


class HeartbeatMiddleware(dramatiq.Middleware):
    """Beats every ``HEARTBEAT_SECONDS`` from a thread of its own while the worker runs."""

    def __init__(self, app: Flask):
        self.app = app
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def after_worker_boot(self, broker, worker):
        self._beat()  # the first beat before the worker takes messages, so it is seen at once
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)
        self._thread.start()

    def before_worker_shutdown(self, broker, worker):
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        try:
            with self.app.app_context(), db.engine.begin() as connection:
                connection.execute(
                    delete(WorkerHeartbeat).where(
                        WorkerHeartbeat.hostname == socket.gethostname(), WorkerHeartbeat.pid == os.getpid()
                    )
                )
        except Exception:  # shutting down: a stale row simply ages out
            log.debug("could not remove heartbeat", exc_info=True)

    def _run(self) -> None:
        while not self._stop.wait(self.app.config["HEARTBEAT_SECONDS"]):
            self._beat()

    def _beat(self) -> None:
        try:
            with self.app.app_context():
                beat(socket.gethostname(), os.getpid())
        except Exception:  # the database is away for a moment: try again next beat
            log.warning("worker heartbeat failed", exc_info=True)
