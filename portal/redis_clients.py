"""Every Redis client the portal makes (broker, rate limiter, page cache), each with timeouts and a circuit.

A Redis that stops answering (a paused server, a network partition) must cost a request at most one timeout,
and then nothing for a while: the ``Circuit`` stands a use aside for a few seconds after a failure, and each
use decides what standing aside means (the outbox leaves rows for the sweep, the page cache renders pages).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

log = logging.getLogger(__name__)


def connection_options(timeout: float) -> dict[str, Any]:
    """Options for a redis-py client: a connect and read timeout, and one retry on a dropped connection only.

    A connection dropped (Redis restarted) is tried once more on a new one; a timeout is not retried, since a
    server that did not answer in time will not answer a second asking sooner. redis-py's default retries
    three times with back-off, which multiplies every timeout.
    """
    return {
        "socket_timeout": timeout,
        "socket_connect_timeout": timeout,
        "retry": Retry(NoBackoff(), 1, supported_errors=(redis.ConnectionError,)),
        "health_check_interval": 30,
    }


def connect(url: str, timeout: float) -> redis.Redis:
    """A client for ``url`` (``redis://``, ``rediss://`` or ``unix://``) with :func:`connection_options`."""
    return redis.Redis.from_url(url, **connection_options(timeout))


class Circuit:
    """Open for ``pause_seconds`` after a failure: callers skip the service meanwhile instead of waiting."""

    def __init__(self, name: str, pause_seconds: float):
        self.name, self.pause_seconds = name, pause_seconds
        self._open_until = 0.0
        self._lock = threading.Lock()

    def is_open(self) -> bool:
        return time.monotonic() < self._open_until

    def failed(self, error: BaseException) -> None:
        with self._lock:
            if not self.is_open():
                log.warning(
                    "%s unavailable, standing aside for %.0f s: %s", self.name, self.pause_seconds, error
                )
            self._open_until = time.monotonic() + self.pause_seconds

    def succeeded(self) -> None:
        self._open_until = 0.0
