"""The outbox and email delivery with a real broker, a real worker and a real SMTP server."""

from __future__ import annotations

from sqlalchemy import select

from portal.db import db
from portal.enums import EmailStatus
from portal.models.outbox import EmailMessage, OutboxMessage
from portal.notifications import send_email
from portal.tasks import outbox
from tests.conftest import make_user


def _reset_email(user) -> EmailMessage:
    from portal.workflows.accounts.operations import reset_token

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
    from portal.tasks.broker import current_broker

    current_broker().get_actor("deliver_email").send(email.id)  # a redelivery of the same job
    worker.drain()
    assert len(smtp_server.to("once@example.com")) == 1


def test_an_email_whose_worker_keeps_dying_is_given_up_and_recorded(smtp_server, app):
    from portal.tasks.mail import MAX_ATTEMPTS, send_recorded_email

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
    from portal.tasks import broker as broker_module

    user = make_user("later@example.com")

    class Unreachable:
        def get_actor(self, name):
            raise ConnectionError("broker unreachable")

    with monkeypatch.context() as patch:
        patch.setattr(broker_module, "current_broker", lambda: Unreachable())
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
    from pathlib import Path

    files = list(Path(app.config["MAIL_DIR"]).glob("*.eml"))
    assert len(files) == 1 and b"reset-password" in files[0].read_bytes()
