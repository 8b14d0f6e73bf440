"""Shared fixtures: the app on a real database and a real Redis broker, clients, users by role, a worker, SMTP."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import delete, update

from portal import create_app
from portal.db import db
from portal.enums import Role
from portal.launcher import start_embedded_redis, stop_process
from portal.models.users import User

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session")
def broker_url(tmp_path_factory) -> Iterator[str]:
    """``BROKER_URL`` when set (CI's Redis or RabbitMQ), else the embedded Redis the launcher uses."""
    if os.environ.get("BROKER_URL"):
        yield os.environ["BROKER_URL"]
        return
    folder = Path(tmp_path_factory.mktemp("redis"))
    process, socket_path = start_embedded_redis(folder, log=lambda message: None)
    yield f"unix://{socket_path}"
    stop_process(process)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """``DATABASE_URL`` when set (CI's PostgreSQL), else a SQLite file."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'portal.db'}"


@pytest.fixture(scope="session")
def _schema(database_url, broker_url, tmp_path_factory):
    app = create_app(_overrides(database_url, broker_url, tmp_path_factory.mktemp("schema")))
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.engine.dispose()
    yield
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


def _overrides(database_url: str, broker_url: str, folder: Path) -> dict:
    return {
        "DATABASE_URL": database_url,
        "BROKER_URL": broker_url,
        "INSTANCE_PATH": str(folder / "instance"),
        "UPLOAD_DIR": str(folder / "uploads"),
        "MAIL_DIR": str(folder / "mail"),
        "SECRET_KEY": "test-secret-key",
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SMTP_HOST": "",
        "LOG_LEVEL": "WARNING",
        "HEARTBEAT_SECONDS": 3600,
        # Tests travel in time with people signed in; tests/http/test_accounts.py turns these on.
        "SESSION_IDLE_MINUTES": 0,
        "SESSION_MAX_HOURS": 0,
    }


@pytest.fixture
def app_config(database_url, broker_url, tmp_path) -> dict:
    """The overrides the ``app`` fixture uses; a test may change them before asking for ``app``."""
    return _overrides(database_url, broker_url, tmp_path)


@contextmanager
def running_app(config: dict):
    """An app built from ``config``, inside its context; its rows are deleted and its connections closed after."""
    app = create_app(config)
    from flask import g

    from portal.tasks.broker import current_broker

    def fresh_g() -> None:
        # Tests keep one app context open (for db.session), which requests would otherwise share: start each
        # request with an empty g, as a real server does, so a signed-in user never leaks between clients.
        for name in list(g):
            g.pop(name)

    app.before_request_funcs.setdefault(None, []).insert(0, fresh_g)

    current_broker().flush_all()
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
            for table in reversed(db.metadata.sorted_tables):
                db.session.execute(delete(table))
            db.session.commit()
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(_schema, app_config):
    with running_app(app_config) as app:
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


def make_user(email: str, role: Role = Role.APPLICANT, name: str | None = None) -> User:
    from portal.workflows.accounts import operations as accounts

    user = accounts.register(
        email, PASSWORD, name or email.split("@")[0].replace(".", " ").title(), role=role
    )
    if role != Role.APPLICANT:  # staff sign in with a second factor, as they must
        accounts.set_up_two_factor(user)
    db.session.commit()
    return user


@pytest.fixture
def applicant() -> User:
    return make_user("ada.applicant@example.com", name="Ada Lovelace")


@pytest.fixture
def other_applicant() -> User:
    return make_user("bob.other@example.com", name="Bob Other")


@pytest.fixture
def reviewer() -> User:
    return make_user("rita.reviewer@example.org", Role.REVIEWER, "Rita Reviewer")


@pytest.fixture
def admin() -> User:
    return make_user("adam.admin@example.org", Role.ADMIN, "Adam Admin")


def sign_in(client, user: User, password: str = PASSWORD):
    """Sign ``user`` in, with a current one-time code when the account has two-factor sign-in."""
    response = client.post("/account/sign-in", data={"email": user.email, "password": password})
    if response.status_code == 302 and response.location.endswith("/account/sign-in/code"):
        import pyotp  # noqa: PLC0415  (only staff tests need it)

        # A code is accepted once; tests sign the same person in several times within its 30 seconds.
        db.session.execute(update(User).where(User.id == user.id).values(totp_last_step=None))
        db.session.commit()
        response = client.post("/account/sign-in/code", data={"code": pyotp.TOTP(user.totp_secret).now()})
    return response


@pytest.fixture
def applicant_client(client, applicant):
    sign_in(client, applicant)
    return client


_booted: list = []


def pending_messages(broker) -> int:
    """Messages still on the broker's queues, delayed and unacknowledged ones included."""
    queues = list(broker.get_declared_queues())
    if hasattr(broker, "do_qsize"):  # Redis
        return sum(broker.do_qsize(queue) for queue in queues)
    return sum(sum(broker.get_queue_message_counts(queue)[:-1]) for queue in queues)  # RabbitMQ


def join_queues(broker, timeout_ms: int = 60_000) -> None:
    """Wait until every declared queue is empty. RabbitMQ's join needs ten idle polls in a row by default
    (a second a queue); two in a row are enough here, since the caller then checks every queue again."""
    options = {} if hasattr(broker, "do_qsize") else {"min_successes": 2, "idle_time": 50}
    for queue in list(broker.get_declared_queues()):
        broker.join(queue, timeout=timeout_ms, **options)


@pytest.fixture
def worker(app):
    """A real Dramatiq worker on the test broker, stopped after the test; ``worker.drain()`` runs all queued jobs."""
    import dramatiq

    from portal.tasks.broker import current_broker

    broker = current_broker()
    if not _booted:
        # Time limits only work once process_boot is emitted, and it may be emitted once per process.
        broker.emit_after("process_boot")
        _booted.append(broker)
    instance = dramatiq.Worker(broker, worker_threads=2, worker_timeout=50)
    instance.start()

    def drain() -> None:
        # A job may queue another on a queue already joined (a sweep's emails go to the mail queue): join
        # again until every queue is empty once the worker is idle.
        while True:
            join_queues(broker)
            instance.join()
            if not pending_messages(broker):
                return

    instance.drain = drain
    yield instance
    stop_worker(broker, instance)


def stop_worker(broker, worker) -> None:
    """Stop ``worker`` and take its middleware off the broker.

    Dramatiq leaves a stopped worker's middleware on the broker; a queue declared later would then give the
    stopped worker a consumer that takes messages nobody processes.
    """
    worker.stop()
    broker.middleware[:] = [m for m in broker.middleware if getattr(m, "worker", None) is not worker]


def free_port() -> int:
    # aiosmtpd cannot bind port 0 and report the port, so pick a free one first.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class MailSink:
    """Messages received by a real SMTP server on 127.0.0.1."""

    def __init__(self):
        self.messages: list = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        with self.lock:
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"

    def to(self, address: str) -> list:
        with self.lock:
            return [m for m in self.messages if address in m["To"]]


@contextmanager
def serving_smtp(sink: MailSink, app_config: dict):
    """``sink`` as a real SMTP server (aiosmtpd) on 127.0.0.1; apps built with ``app_config`` send to it."""
    from aiosmtpd.controller import Controller

    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    app_config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_SECURITY="none")
    try:
        yield sink
    finally:
        controller.stop()


@pytest.fixture
def smtp_server(app_config):
    """An aiosmtpd server; the app built after this fixture sends to it."""
    with serving_smtp(MailSink(), app_config) as sink:
        yield sink
