"""Plain helpers the test modules share: people and their clients, pages, emails, SQL, time, the app, SMTP."""

from __future__ import annotations

import html
import socket
import threading
from contextlib import contextmanager
from datetime import UTC, date, datetime, time

import pyotp
import time_machine
from flask import g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import delete, event, select, update

from portal import create_app
from portal.db import db
from portal.enums import Role
from portal.models.outbox import EmailMessage
from portal.models.users import User

PASSWORD = "correct horse battery staple"


# --- people and their browsers ------------------------------------------------------------------------------


def make_user(email: str, role: Role = Role.APPLICANT, name: str | None = None) -> User:
    from portal.workflows.accounts import operations as accounts

    user = accounts.register(
        email, PASSWORD, name or email.split("@")[0].replace(".", " ").title(), role=role
    )
    if role != Role.APPLICANT:  # staff sign in with a second factor, as they must
        accounts.set_up_two_factor(user)
    db.session.commit()
    return user


def sign_in(client, user: User, password: str = PASSWORD):
    """Sign ``user`` in, with a current one-time code when the account has two-factor sign-in."""
    response = client.post("/account/sign-in", data={"email": user.email, "password": password})
    if response.status_code == 302 and response.location.endswith("/account/sign-in/code"):
        # A code is accepted once; tests sign the same person in several times within its 30 seconds.
        db.session.execute(update(User).where(User.id == user.id).values(totp_last_step=None))
        db.session.commit()
        response = client.post("/account/sign-in/code", data={"code": pyotp.TOTP(user.totp_secret).now()})
    return response


class PersonClient(FlaskClient):
    """A test client for one person among several in a test.

    The test's app context outlives each request, and Flask-Login caches the signed-in user on ``g`` there:
    forget it before each request so every client is seen as the person its own cookie says.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            g.pop("_login_user", None)
        return super().open(*args, **kwargs)


def client_for(app, user: User | None = None) -> PersonClient:
    """A browser of its own: signed in as ``user``, or a signed-out visitor without one."""
    client = PersonClient(app, app.response_class, use_cookies=True)
    if user is not None:
        sign_in(client, user)
    return client


# --- what people see and what the portal sends --------------------------------------------------------------


def page(response) -> str:
    """The response's HTML with entities decoded, so assertions read like the text a person sees."""
    return html.unescape(response.get_data(as_text=True))


def emails(template: str | None = None, recipient: str | None = None) -> list[EmailMessage]:
    """The recorded emails, oldest first: of ``template``, to ``recipient``, or both."""
    query = select(EmailMessage)
    if template:
        query = query.where(EmailMessage.template == template)
    if recipient:
        query = query.where(EmailMessage.recipient == recipient)
    return list(db.session.scalars(query.order_by(EmailMessage.id)))


@contextmanager
def statements():
    """Every SQL statement sent to the database inside the block."""
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


# --- time ---------------------------------------------------------------------------------------------------


def at(day: date, hour: int = 10):
    """Travel to ``hour`` o'clock UTC on ``day``, the clock standing still (a decorator or a ``with`` block)."""
    return time_machine.travel(datetime.combine(day, time(hour), tzinfo=UTC), tick=False)


# --- the app and the broker ---------------------------------------------------------------------------------


@contextmanager
def running_app(config: dict):
    """An app built from ``config``, inside its context; its rows are deleted and its connections closed after."""
    app = create_app(config)
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


def stop_worker(broker, worker) -> None:
    """Stop ``worker`` and take its middleware off the broker.

    Dramatiq leaves a stopped worker's middleware on the broker; a queue declared later would then give the
    stopped worker a consumer that takes messages nobody processes.
    """
    worker.stop()
    broker.middleware[:] = [m for m in broker.middleware if getattr(m, "worker", None) is not worker]


# --- SMTP ---------------------------------------------------------------------------------------------------


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
