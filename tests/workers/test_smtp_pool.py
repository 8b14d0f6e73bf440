"""Delivery over pooled SMTP connections, against a real SMTP server that counts its sessions: many emails go
in batches over few connections, each arrives once, and a connection dropped mid-batch costs no email and
sends none twice."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from sqlalchemy import select

from portal import jobs, mailer
from portal.db import db, utcnow
from portal.enums import EmailStatus
from portal.models.outbox import EmailMessage, OutboxMessage
from portal.notifications import send_email
from portal.workflows.accounts.operations import reset_token
from tests.helpers import MailSink, make_user, serving_smtp

PER_CONNECTION = 25


class CountingSink(MailSink):
    """Records, for each message taken, the SMTP session (one per connection) it came over."""

    def __init__(self):
        super().__init__()
        self.sessions: list[int] = []

    async def handle_DATA(self, server, session, envelope):
        answer = await super().handle_DATA(server, session, envelope)
        with self.lock:
            self.sessions.append(id(session))
        return answer

    def message_ids(self) -> Counter:
        with self.lock:
            return Counter(message["Message-ID"] for message in self.messages)


class DroppingSink(CountingSink):
    """Hangs up on a connection at chosen moments: ``drop_after``-th message taken (then, at the next MAIL
    FROM, before that message's DATA), or in the middle of the ``drop_in_data``-th message's DATA, before
    answering (the message is not taken)."""

    def __init__(self, drop_after: int | None = None, drop_in_data: int | None = None):
        super().__init__()
        self.drop_after, self.drop_in_data = drop_after, drop_in_data
        self.data_seen = 0
        self.dropped = 0

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        with self.lock:
            drop = self.drop_after is not None and len(self.messages) >= self.drop_after and not self.dropped
            self.dropped += drop
        if drop:
            server.transport.close()
            await asyncio.sleep(0)
            return "421 closing"
        envelope.mail_from, envelope.mail_options = address, mail_options
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.data_seen += 1
            drop = self.data_seen == self.drop_in_data
            self.dropped += drop
        if drop:
            server.transport.close()
            await asyncio.sleep(0)
            return "451 lost"
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def pooled_config(app_config):
    app_config.update(SMTP_MESSAGES_PER_CONNECTION=PER_CONNECTION, MAIL_BATCH_SIZE=10)
    yield app_config
    mailer.close_pools()


def _emails(count: int) -> list[int]:
    user = make_user("pool.owner@example.com")
    token = reset_token(user)
    ids = [
        send_email(
            "password_reset", f"person{n}@example.com", related=user, user=user, token=token, hours=2
        ).id
        for n in range(count)
    ]
    db.session.commit()
    return ids


def _statuses() -> Counter:
    db.session.expire_all()
    return Counter((email.status, email.attempts) for email in db.session.scalars(select(EmailMessage)))


def test_many_emails_go_in_batches_over_few_connections_each_exactly_once(pooled_config, request):
    sink = CountingSink()
    with serving_smtp(sink, pooled_config):
        request.getfixturevalue("app")
        worker = request.getfixturevalue("worker")
        ids = _emails(120)
        worker.drain()
        arrived = sink.message_ids()
        assert len(arrived) == 120 and set(arrived.values()) == {1}  # none lost, none doubled
        per_session = Counter(sink.sessions)
        # 120 messages at most 25 a connection: 5 at the least; two worker threads may each open a few.
        assert 120 // PER_CONNECTION <= len(per_session) <= 8
        assert max(per_session.values()) <= PER_CONNECTION
        assert _statuses() == {(EmailStatus.SENT, 1): 120}
        # The fan-out left the outbox as batches: far fewer broker jobs than emails, every row marked sent.
        rows = db.session.scalars(select(OutboxMessage)).all()
        assert len(rows) == len(ids) and all(row.dispatched_at is not None for row in rows)


def test_a_connection_dropped_between_messages_is_replaced_without_losing_or_doubling_one(
    pooled_config, request
):
    sink = DroppingSink(drop_after=7)
    with serving_smtp(sink, pooled_config):
        request.getfixturevalue("app")
        worker = request.getfixturevalue("worker")
        _emails(30)
        worker.drain()
        assert sink.dropped == 1
        arrived = sink.message_ids()
        assert len(arrived) == 30 and set(arrived.values()) == {1}
        # The message that met the dropped connection had not reached the server: sent at once on a fresh one.
        assert _statuses() == {(EmailStatus.SENT, 1): 30}


def test_a_connection_dropped_during_a_message_retries_only_what_was_not_taken(
    pooled_config, request, monkeypatch
):
    sink = DroppingSink(drop_in_data=5)
    with serving_smtp(sink, pooled_config):
        request.getfixturevalue("app")
        worker = request.getfixturevalue("worker")
        from portal.tasks.mail import deliver_emails

        monkeypatch.setitem(deliver_emails.options, "min_backoff", 20)
        monkeypatch.setitem(deliver_emails.options, "max_backoff", 100)
        ids = _emails(10)
        worker.drain()
        assert sink.dropped == 1
        arrived = sink.message_ids()
        assert len(arrived) == 10 and set(arrived.values()) == {1}  # the 4 taken before were not sent again
        statuses = _statuses()
        assert sum(statuses.values()) == 10 and {status for status, _ in statuses} == {EmailStatus.SENT}
        # Only the message cut off in its DATA was tried twice; the others once each.
        assert statuses[(EmailStatus.SENT, 2)] == 1
        failed_once = db.session.scalar(select(EmailMessage).where(EmailMessage.attempts == 2))
        assert failed_once.id in ids and failed_once.last_error is None


def test_a_fan_out_is_handed_to_the_broker_as_batch_jobs(app, monkeypatch):
    from portal import outbox

    sent: list[tuple[str, list]] = []
    monkeypatch.setitem(app.config, "MAIL_BATCH_SIZE", 4)
    monkeypatch.setattr(outbox, "send_job", lambda broker, name, args: sent.append((name, args)))
    ids = _emails(10)
    mail_jobs = [(name, args) for name, args in sent if name in (jobs.DELIVER_EMAIL, jobs.DELIVER_EMAILS)]
    assert mail_jobs == [
        (jobs.DELIVER_EMAILS, [ids[:4]]),
        (jobs.DELIVER_EMAILS, [ids[4:8]]),
        (jobs.DELIVER_EMAILS, [ids[8:]]),
    ]


def test_a_job_that_died_after_sending_records_the_follow_up_without_sending_again(pooled_config, request):
    from portal.tasks.mail import send_recorded_emails

    sink = CountingSink()
    with serving_smtp(sink, pooled_config):
        request.getfixturevalue("app")
        ids = _emails(3)
        # The job sent the first email, recorded it as sent, and its worker died before the follow-up.
        first = db.session.get(EmailMessage, ids[0])
        first.status, first.claimed_by, first.claimed_at, first.attempts = (
            EmailStatus.SENT,
            "job-a",
            utcnow(),
            1,
        )
        first.sent_at = utcnow()
        db.session.commit()
        followed_up: list[int] = []
        monkeypatch = request.getfixturevalue("monkeypatch")
        monkeypatch.setattr(
            "portal.tasks.mail.record_deliveries",
            lambda emails: followed_up.extend(email.id for email in emails),
        )
        send_recorded_emails(ids, job_id="job-b")  # another job leaves the claimed row alone
        assert ids[0] not in followed_up and sorted(followed_up) == ids[1:]
        send_recorded_emails(ids, job_id="job-a")  # the dead worker's job, redelivered
        assert ids[0] in followed_up
        # Only the two it had not sent went to the server, once each.
        assert len(sink.message_ids()) == 2 and set(sink.message_ids().values()) == {1}
        db.session.expire_all()
        assert db.session.get(EmailMessage, ids[0]).claimed_by is None
