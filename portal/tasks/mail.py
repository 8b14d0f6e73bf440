"""The email delivery actor: sends one recorded email, retrying transient failures, never twice."""

from __future__ import annotations

import logging
import smtplib
import uuid
from email.errors import MessageError

import dramatiq
from dramatiq.middleware import CurrentMessage
from flask import current_app
from sqlalchemy import Connection, or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from portal import jobs, outbox
from portal.db import db, utcnow
from portal.enums import EmailStatus
from portal.mailer import TRANSIENT_SMTP, build_mime, deliver
from portal.models.outbox import EmailMessage
from portal.notifications import record_deliveries, record_delivery
from portal.tasks.broker import is_final_attempt
from portal.tasks.claims import CLAIM_LEASE, claimable

log = logging.getLogger(__name__)
MAX_RETRIES = 8
# Attempts of any kind, redeliveries after a worker died included.
MAX_ATTEMPTS = 2 * (MAX_RETRIES + 1)
# Far longer than one attempt may run (time limit 120 s): an older claim belongs to a job that is gone.


def send_recorded_email(email_id: int, *, final_attempt: bool = False, job_id: str | None = None) -> None:
    """Deliver the email row ``email_id`` unless it is gone, sent, failed or being sent; record the outcome."""
    send_recorded_emails([email_id], final_attempt=final_attempt, job_id=job_id)


def send_recorded_emails(
    email_ids: list[int], *, final_attempt: bool = False, job_id: str | None = None
) -> None:
    """Deliver each of these email rows unless it is gone, sent, failed or being sent; record each outcome.

    The rows are claimed by one conditional UPDATE committed before SMTP is spoken to, so a second job for
    the same email (the outbox sweep and the after-commit send racing, a duplicate message) leaves it alone.
    Only the job holding the claim, when redelivered because its worker died or retried, or any job once
    the claim is stale, takes it again. Each email is recorded as sent, in one autocommitted statement, as
    soon as the server has taken it, so nothing taken is sent again. A transient failure records that email for a retry,
    releases the ones not yet tried, and raises: the retry of this job sends what is left.
    """
    job_id = job_id or uuid.uuid4().hex
    now = utcnow()
    db.session.execute(
        update(EmailMessage)
        .where(
            EmailMessage.id.in_(email_ids),
            claimable(
                EmailMessage, [EmailMessage.status == EmailStatus.QUEUED], EmailStatus.SENDING, job_id, now
            ),
        )
        .values(
            status=EmailStatus.SENDING, claimed_by=job_id, claimed_at=now, attempts=EmailMessage.attempts + 1
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    # Each email's outcome below changes only what this job wrote itself: the rows loaded here stay loaded,
    # rather than each being read again after every commit.
    session = db.session()
    expire_on_commit, session.expire_on_commit = session.expire_on_commit, False
    sent: list[EmailMessage] = []
    try:
        mine = list(
            db.session.scalars(
                select(EmailMessage)
                .where(
                    EmailMessage.id.in_(email_ids),
                    EmailMessage.status.in_([EmailStatus.SENDING, EmailStatus.SENT]),
                    or_(EmailMessage.claimed_by == job_id, EmailMessage.claimed_at < now - CLAIM_LEASE),
                )
                .order_by(EmailMessage.id)
                .execution_options(populate_existing=True)
            )
        )
        # Sent by an earlier run of this job (or a job now gone) whose follow-up was not recorded yet.
        sent += [email for email in mine if email.status == EmailStatus.SENT]
        # Nothing was written: this ends the read, so that (on SQLite) the marks' own connection below finds
        # no lock held by this session.
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as marks:
            for position, email in enumerate(mine):
                if email.status != EmailStatus.SENDING:
                    continue
                try:
                    if _send_one(email, final_attempt, marks):
                        sent.append(email)
                except TRANSIENT_SMTP + (smtplib.SMTPException,):
                    untried = [other for other in mine[position + 1 :] if other.status == EmailStatus.SENDING]
                    _release(untried, requeue=final_attempt)
                    raise
    finally:
        try:
            _follow_up(sent)
        finally:
            session.expire_on_commit = expire_on_commit


def _follow_up(emails: list[EmailMessage]) -> None:
    """What each sent email is about follows up (a referee's request counts as sent), all in one transaction;
    the claim is cleared with it, so a job that dies before this commit leaves them for its redelivery."""
    if not emails:
        return
    for email in emails:
        email.claimed_by = email.claimed_at = None
    record_deliveries(emails)
    db.session.commit()


def _send_one(email: EmailMessage, final_attempt: bool, marks: Connection) -> bool:
    """Send one claimed email; True once the server has taken it (its follow-up still to record). ``marks``
    is a connection in autocommit: the mark that the server took it is one statement, durable once it
    returns, with no BEGIN and COMMIT of its own to wait for."""
    if email.attempts > MAX_ATTEMPTS:
        # Retries are capped by Dramatiq, but a job whose worker dies each time comes back uncounted.
        _record(email, EmailStatus.FAILED, f"given up after {email.attempts - 1} attempts")
        return False
    try:
        mime = build_mime(email, current_app.config)
    except (ValueError, TypeError, MessageError) as error:
        # Rebuilding will fail the same way: recorded failed, with the reason, for staff and the applicant.
        _record(email, EmailStatus.FAILED, f"the message could not be built: {error}"[:2000])
        return False
    try:
        deliver(mime, current_app.config)
    except smtplib.SMTPRecipientsRefused as error:
        _record(email, EmailStatus.FAILED, f"recipient refused: {error.recipients}")
        return False
    except TRANSIENT_SMTP + (smtplib.SMTPException,) as error:
        # Released, so that the retry can claim it again.
        _record(
            email,
            EmailStatus.FAILED if final_attempt else EmailStatus.QUEUED,
            f"{type(error).__name__}: {error}"[:2000],
        )
        raise
    # Taken by the server: recorded at once, in one statement, so that no retry sends it again. The claim
    # stays until the follow-up is recorded with the rest of the batch.
    sent_at = utcnow()
    marks.execute(
        update(EmailMessage)
        .where(EmailMessage.id == email.id)
        .values(status=EmailStatus.SENT, sent_at=sent_at, last_error=None)
    )
    for name, value in (("status", EmailStatus.SENT), ("sent_at", sent_at), ("last_error", None)):
        set_committed_value(email, name, value)
    return True


def _release(emails: list[EmailMessage], *, requeue: bool) -> None:
    """Give back emails claimed but not tried; on the job's last attempt each gets a job of its own."""
    if not emails:
        return
    db.session.execute(
        update(EmailMessage)
        .where(
            EmailMessage.id.in_([email.id for email in emails]), EmailMessage.status == EmailStatus.SENDING
        )
        .values(
            status=EmailStatus.QUEUED,
            claimed_by=None,
            claimed_at=None,
            attempts=EmailMessage.attempts - 1,
        )
        .execution_options(synchronize_session=False)
    )
    if requeue:
        for email in emails:
            outbox.enqueue(jobs.DELIVER_EMAIL, email.id)
    db.session.commit()


def _record(email: EmailMessage, status: EmailStatus, error: str | None = None) -> None:
    email.status, email.last_error = status, error
    email.claimed_by = email.claimed_at = None
    if status == EmailStatus.SENT:
        email.sent_at = utcnow()
    if status in (EmailStatus.SENT, EmailStatus.FAILED):
        record_delivery(email)  # what the email is about follows up, in the same transaction
    db.session.commit()


_OPTIONS = {
    "queue_name": "mail",
    "max_retries": MAX_RETRIES,
    "min_backoff": 5_000,
    "max_backoff": 600_000,
}


@dramatiq.actor(actor_name=jobs.DELIVER_EMAIL, time_limit=120_000, **_OPTIONS)
def deliver_email(email_id: int) -> None:
    message = CurrentMessage.get_current_message()
    send_recorded_email(
        email_id,
        final_attempt=is_final_attempt(MAX_RETRIES),
        job_id=message.message_id if message is not None else None,
    )


@dramatiq.actor(actor_name=jobs.DELIVER_EMAILS, time_limit=120_000, **_OPTIONS)
def deliver_emails(email_ids: list[int]) -> None:
    """Many emails in one job (the outbox batches a fan-out), over this process's pooled SMTP connections."""
    message = CurrentMessage.get_current_message()
    send_recorded_emails(
        email_ids,
        final_attempt=is_final_attempt(MAX_RETRIES),
        job_id=message.message_id if message is not None else None,
    )
