"""Shared fixtures: the app on a real database and a real Redis broker, clients, users by role, a worker, SMTP."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from portal import create_app
from portal.db import db
from portal.enums import Role
from portal.launcher import start_embedded_redis, stop_process
from portal.models.users import User
from tests.helpers import (
    MailSink,
    join_queues,
    make_user,
    pending_messages,
    running_app,
    serving_smtp,
    sign_in,
    stop_worker,
)


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


@pytest.fixture
def app(_schema, app_config):
    with running_app(app_config) as app:
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


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


@pytest.fixture
def applicant_client(client, applicant):
    sign_in(client, applicant)
    return client


_booted: list = []


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


@pytest.fixture
def smtp_server(app_config):
    """An aiosmtpd server; the app built after this fixture sends to it."""
    with serving_smtp(MailSink(), app_config) as sink:
        yield sink
