"""The outbox and email delivery with a real broker, a real worker and a real SMTP server."""

from __future__ import annotations

import threading
from pathlib import Path

import dramatiq
from dramatiq.middleware import CurrentMessage
from sqlalchemy import select

from portal import jobs, notifications, outbox
from portal.db import db
from portal.enums import EmailStatus
from portal.models.outbox import EmailMessage, OutboxMessage
from portal.notifications import send_email
from portal.workflows.accounts.operations import reset_token
from tests.helpers import make_user


def _reset_email(user) -> EmailMessage:
    return send_email("password_reset", user.email, related=user, user=user, token=reset_token(user), hours=2)


def test_a_committed_email_is_sent_by_the_worker_over_smtp(smtp_server, app, worker):
    user = make_user("mail.me@example.com")
    email = _reset_email(user)
    db.session.commit()
    worker.drain()
    received = smtp_server.to("mail.me@example.com")
    assert len(received) == 1
    message = received[0]
    assert message["Subject"] == "Reset your password"
    assert message["Message-ID"] and message["Date"] and message["Reply-To"]
    assert message.is_multipart()
    assert {part.get_content_type() for part in message.iter_parts()} == {"text/plain", "text/html"}
    db.session.expire_all()
    email = db.session.get(EmailMessage, email.id)
    assert email.status == EmailStatus.SENT and email.attempts == 1
    assert db.session.scalar(select(OutboxMessage)).dispatched_at is not None


def test_a_rolled_back_transaction_sends_nothing(smtp_server, app, worker):
    user = make_user("rolled.back@example.com")
    _reset_email(user)
    db.session.rollback()
    worker.drain()
    assert smtp_server.to("rolled.back@example.com") == []
    assert db.session.scalar(select(OutboxMessage)) is None


def test_a_redelivered_message_does_not_send_the_email_twice(smtp_server, app, worker):
    user = make_user("once@example.com")
    email = _reset_email(user)
    db.session.commit()
    worker.drain()
    outbox.dispatch([row.id for row in db.session.scalars(select(OutboxMessage))])  # nothing left to send
    outbox.send_job(dramatiq.get_broker(), jobs.DELIVER_EMAIL, [email.id])  # a redelivery of the same job
    worker.drain()
    assert len(smtp_server.to("once@example.com")) == 1


def test_an_email_whose_worker_keeps_dying_is_given_up_and_recorded(smtp_server, app):
    from portal.tasks.mail import MAX_ATTEMPTS, send_recorded_email  # actors are declared once the app is

    user = make_user("crash.loop@example.com")
    email = _reset_email(user)
    # Each redelivery after a killed worker claimed it once more, uncounted by Dramatiq's retries.
    email.attempts = MAX_ATTEMPTS
    db.session.commit()
    send_recorded_email(email.id)
    db.session.expire_all()
    email = db.session.get(EmailMessage, email.id)
    assert (
        email.status == EmailStatus.FAILED and f"given up after {MAX_ATTEMPTS} attempts" in email.last_error
    )
    assert smtp_server.to("crash.loop@example.com") == []


def test_messages_written_while_the_broker_is_down_are_sent_by_the_sweep(
    smtp_server, app, worker, monkeypatch
):
    user = make_user("later@example.com")

    class Unreachable:
        def get_actor(self, name):
            raise ConnectionError("broker unreachable")

    with monkeypatch.context() as patch:
        patch.setattr(dramatiq, "get_broker", lambda: Unreachable())
        _reset_email(user)
        db.session.commit()
    row = db.session.scalar(select(OutboxMessage))
    assert row.dispatched_at is None and row.dispatch_attempts == 1 and "unreachable" in row.last_error
    assert outbox.sweep(grace_seconds=0) == 1
    worker.drain()
    assert len(smtp_server.to("later@example.com")) == 1


def test_without_smtp_each_email_is_written_as_an_eml_file(app, worker, tmp_path):
    user = make_user("eml@example.com")
    _reset_email(user)
    db.session.commit()
    worker.drain()
    files = list(Path(app.config["MAIL_DIR"]).glob("*.eml"))
    assert len(files) == 1 and b"reset-password" in files[0].read_bytes()


def test_an_outbox_row_is_run_by_the_actor_it_names_on_that_actors_queue(app, worker):
    broker = dramatiq.get_broker()
    runs: list[tuple] = []
    ran = threading.Event()

    def probe(number: int, word: str) -> None:
        runs.append((number, word, CurrentMessage.get_current_message().queue_name))
        ran.set()

    # Declared here on a queue the worker already consumes, under a name no other code uses.
    dramatiq.actor(probe, actor_name="outbox_probe", queue_name="programmes", broker=broker)
    try:
        row = outbox.enqueue("outbox_probe", 7, "seven")
        db.session.commit()
        worker.drain()
        assert ran.wait(10)
        assert runs == [(7, "seven", "programmes")]
        db.session.expire_all()
        assert db.session.get(OutboxMessage, row.id).dispatched_at is not None
    finally:
        broker.actors.pop("outbox_probe", None)


def test_a_row_for_an_actor_nobody_declared_stays_unsent_with_the_reason(app):
    row = outbox.enqueue("no_such_job", 1)
    db.session.commit()
    db.session.expire_all()
    row = db.session.get(OutboxMessage, row.id)
    assert row.dispatched_at is None and row.dispatch_attempts == 1 and "no_such_job" in row.last_error
    assert outbox.pending_count() == 1


def test_the_follow_up_registered_for_what_an_email_is_about_runs_once_it_is_sent(
    smtp_server, app, worker, monkeypatch
):
    monkeypatch.setattr(notifications, "_delivery_handlers", dict(notifications._delivery_handlers))
    followed_up: list[tuple] = []

    @notifications.on_delivery("users")
    def note(email: EmailMessage) -> None:
        followed_up.append((email.id, email.status))

    user = make_user("followed.up@example.com")
    email = _reset_email(user)
    db.session.commit()
    worker.drain()
    assert followed_up == [(email.id, EmailStatus.SENT)]
    assert len(smtp_server.to("followed.up@example.com")) == 1
