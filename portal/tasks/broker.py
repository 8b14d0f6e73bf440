"""Builds the Dramatiq broker from ``BROKER_URL`` before any actor is declared, and gives actors an app context."""

from __future__ import annotations

import threading

import dramatiq
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import CurrentMessage
from flask import Flask

from portal.mailer import close_pools
from portal.redis_clients import connect
from portal.tasks.heartbeat import HeartbeatMiddleware

_lock = threading.Lock()
_state: dict = {"url": None, "broker": None, "middleware": None}


class AppContextMiddleware(dramatiq.Middleware):
    """Runs every message inside the Flask app's context; the context's teardown removes the DB session."""

    def __init__(self, app: Flask):
        self.app = app
        self._local = threading.local()

    def before_process_message(self, broker, message):
        context = self.app.app_context()
        context.push()
        self._local.context = context

    def after_process_message(self, broker, message, *, result=None, exception=None):
        self._pop()

    def after_skip_message(self, broker, message):
        self._pop()

    def after_worker_shutdown(self, broker, worker):
        # The SMTP connections this process kept open end with a goodbye, not when the process dies (or, in
        # one that goes on, never).
        close_pools()

    def _pop(self) -> None:
        context = getattr(self._local, "context", None)
        if context is not None:
            self._local.context = None
            context.pop()


# Out of dramatiq.brokers.redis.MAINTENANCE_SCALE (1,000,000).
MAINTENANCE_CHANCE = 20_000


def build_broker(url: str, *, heartbeat_seconds: int = 60, timeout: float = 2.0) -> dramatiq.Broker:
    """A broker for ``redis://``, ``rediss://``, ``unix://`` (a Redis socket) or ``amqp://`` URLs.

    ``heartbeat_seconds`` (Redis only): how long a worker may go without a command to Redis before the
    messages it took are requeued, by another worker's occasional maintenance pass, for someone else to run.
    ``timeout`` (Redis only): the longest wait for Redis to connect or answer, so a hung server fails a send
    (the outbox keeps the row) instead of holding the request. Dramatiq polls Redis (no blocking reads), so
    a worker's fetches stay well inside it.
    """
    if url.startswith(("redis://", "rediss://", "unix://")):
        # A live worker's consumers poll every second even when its threads are busy, so anything well above
        # that only ever catches dead workers; shorter risks running a live worker's jobs twice.
        # Requeuing happens in a maintenance pass that rides on a random share of fetches; Dramatiq's default
        # (0.1%) leaves a dead worker's jobs waiting ten minutes or more on a quiet queue, 2% about a minute.
        # The client is built here: given a URL, Dramatiq makes a pool without timeouts and drops the options.
        return RedisBroker(
            client=connect(url, timeout),
            heartbeat_timeout=heartbeat_seconds * 1000,
            dead_message_ttl=7 * 24 * 3600 * 1000,
            maintenance_chance=MAINTENANCE_CHANCE,
        )
    if url.startswith(("amqp://", "amqps://")):
        return RabbitmqBroker(url=url, confirm_delivery=True)
    raise ValueError(f"Unsupported BROKER_URL scheme: {url.split(':', 1)[0]}")


def setup_broker(app: Flask) -> dramatiq.Broker:
    """Make the app's broker the global one (once per URL per process) and declare the actors on it."""
    url = app.config["BROKER_URL"]
    with _lock:
        if _state["url"] != url:
            broker = build_broker(
                url,
                heartbeat_seconds=app.config["BROKER_HEARTBEAT_SECONDS"],
                timeout=app.config["REDIS_TIMEOUT_SECONDS"],
            )
            app_middleware = [AppContextMiddleware(app), HeartbeatMiddleware(app)]
            broker.add_middleware(CurrentMessage())
            for middleware in app_middleware:
                broker.add_middleware(middleware)
            dramatiq.set_broker(broker)
            _state.update(url=url, broker=broker, middleware=app_middleware)
            # Declaring an actor binds it to the broker current at that moment (Dramatiq's default one if
            # none is set yet), so the actors are imported only once this broker is the global one.
            from portal.tasks import actors  # noqa: PLC0415

            actors.bind(broker)
        else:
            # The same process built another app (tests do): jobs run in the newest one.
            for middleware in _state["middleware"]:
                middleware.app = app
        return _state["broker"]


def current_broker() -> dramatiq.Broker:
    return _state["broker"] or dramatiq.get_broker()


def is_final_attempt(max_retries: int) -> bool:
    """True while the current message runs its last allowed attempt, so the failure can be recorded."""
    message = CurrentMessage.get_current_message()
    return message is not None and message.options.get("retries", 0) >= max_retries
