"""Faults survived: the broker down, SMTP refusing or dropping connections, two tabs submitting at once, database connections dropped."""

from __future__ import annotations

import os
import threading

import dramatiq
import pytest
from sqlalchemy import func, select, text

from portal import outbox
from portal.db import db
from portal.enums import ApplicationState, EmailStatus
from portal.launcher import start_embedded_redis, stop_process
from portal.models.applications import Application
from portal.models.audit import AuditEntry
from portal.models.outbox import EmailMessage
from tests.factories import applications as data
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


def _worker(broker) -> dramatiq.Worker:
    worker = dramatiq.Worker(broker, worker_threads=2, worker_timeout=50)
    worker.start()
    return worker


def _drain(broker, worker) -> None:
    while True:  # a job may queue another on a queue already joined
        join_queues(broker)
        worker.join()
        if not pending_messages(broker):
            return


def test_nothing_is_lost_when_the_broker_is_down_while_an_applicant_submits(
    app_config, _schema, tmp_path, smtp_server
):
    redis_process, socket_path = start_embedded_redis(tmp_path / "broker", log=lambda message: None)
    app_config["BROKER_URL"] = f"unix://{socket_path}"
    try:
        with running_app(app_config) as app:
            from portal.tasks.broker import current_broker

            broker = current_broker()
            client = app.test_client()
            sign_in(client, make_user("ada.applicant@example.com", name="Ada Lovelace"))
            application_id = data.start_application(client)
            data.fill_application(client, application_id, tmp_path)

            stop_process(redis_process)  # the broker goes away
            response = client.post(f"/applications/{application_id}/submit")
            assert response.status_code == 302  # the applicant is not bothered
            assert db.session.get(Application, application_id).state != ApplicationState.DRAFT
            pending = outbox.pending_count()
            assert pending > 0

            redis_process, socket_path = start_embedded_redis(tmp_path / "broker", log=lambda message: None)
            for _ in range(3):  # the first sweep may meet a stale pooled connection
                outbox.sweep(grace_seconds=0)
                if outbox.pending_count() == 0:
                    break
            assert outbox.pending_count() == 0
            worker = _worker(broker)
            try:
                _drain(broker, worker)
            finally:
                stop_worker(broker, worker)
            received = smtp_server.to("ada.applicant@example.com")
            assert [m["Subject"] for m in received].count(
                f"We have received your application – CPM-{application_id:06d}"
            ) == 1
    finally:
        stop_process(redis_process)


class UnreliableSink(MailSink):
    """An SMTP server that fails the first ``failures`` messages in the way ``how`` says:

    - "refuse": a temporary refusal (421) at DATA;
    - "drop": the connection closed at DATA, before the message is accepted;
    - "drop_after": the message accepted (250), then the connection closed before QUIT is answered.
    """

    def __init__(self, how: str, failures: int):
        super().__init__()
        self.how, self.failures = how, failures

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            failing = self.failures > 0
            self.failures -= failing
        if failing and self.how == "refuse":
            return "421 Service not available, try again later"
        if failing and self.how == "drop":
            server.transport.close()
            return "421 Closing"
        if failing:  # "drop_after": the message is taken; the goodbye will be lost
            session.drop_at_quit = True
        return await super().handle_DATA(server, session, envelope)

    async def handle_QUIT(self, server, session, envelope):
        if getattr(session, "drop_at_quit", False):
            server.transport.close()
            self.dropped_at_quit = True
        return "221 Bye"


@pytest.mark.parametrize(
    "how, failures, attempts",
    [
        ("refuse", 2, 3),  # retried until accepted
        ("drop", 2, 3),  # a dropped connection is retried like a refusal
        ("drop_after", 1, 1),  # accepted then dropped: sent, never sent again
    ],
)
def test_an_smtp_server_that_refuses_or_drops_gets_the_email_exactly_once(
    app_config, _schema, monkeypatch, how, failures, attempts
):
    # One message a connection, so that the goodbye follows each message at once (a pooled connection says
    # it only when retired; tests/workers/test_smtp_pool.py drops those between and during messages).
    app_config["SMTP_MESSAGES_PER_CONNECTION"] = 1
    with serving_smtp(UnreliableSink(how, failures), app_config) as sink:
        with running_app(app_config):
            from portal.notifications import send_email
            from portal.tasks.broker import current_broker
            from portal.tasks.mail import deliver_email
            from portal.workflows.accounts.operations import reset_token

            # Retry quickly here; production backs off from seconds to minutes.
            monkeypatch.setitem(deliver_email.options, "min_backoff", 20)
            monkeypatch.setitem(deliver_email.options, "max_backoff", 100)
            user = make_user("patient@example.com")
            email = send_email(
                "password_reset", user.email, related=user, user=user, token=reset_token(user), hours=2
            )
            db.session.commit()
            broker = current_broker()
            worker = _worker(broker)
            try:
                _drain(broker, worker)
            finally:
                stop_worker(broker, worker)
            db.session.expire_all()
            email = db.session.get(EmailMessage, email.id)
            assert email.status == EmailStatus.SENT and email.attempts == attempts
            assert len(sink.to("patient@example.com")) == 1
            assert getattr(sink, "dropped_at_quit", False) == (how == "drop_after")


def test_two_tabs_submitting_the_same_application_take_effect_once(app, client, applicant, tmp_path):
    sign_in(client, applicant)
    application_id = data.start_application(client)
    data.fill_application(client, application_id, tmp_path)
    cookie = client.get_cookie("session").value
    statuses: list[int] = []

    def submit() -> None:
        tab = app.test_client()
        tab.set_cookie("session", cookie)
        statuses.append(tab.post(f"/applications/{application_id}/submit").status_code)

    tabs = [threading.Thread(target=submit) for _ in range(2)]
    for tab in tabs:
        tab.start()
    for tab in tabs:
        tab.join()
    assert all(code in (302, 422) for code in statuses), statuses
    db.session.expire_all()
    submits = db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "submit")
    )
    received = db.session.scalar(
        select(func.count()).select_from(EmailMessage).where(EmailMessage.template == "application_received")
    )
    assert submits == 1 and received == 1


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgresql"),
    reason="needs DATABASE_URL pointing at PostgreSQL (set by .ci/run)",
)
def test_dropped_database_connections_fail_cleanly_and_the_next_request_works(applicant_client):
    application_id = data.start_application(applicant_client)
    db.session.remove()  # the test's own session lets go of its connection, like any finished request
    # What a database restart looks like from the portal: every connection it holds is cut.
    with db.engine.connect() as admin:
        admin.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
        admin.commit()
    response = applicant_client.post(f"/applications/{application_id}/about", data=data.about())
    assert response.status_code in (302, 503)
    response = applicant_client.post(f"/applications/{application_id}/about", data=data.about())
    assert response.status_code == 302
    assert db.session.get(Application, application_id).postal_address is not None
