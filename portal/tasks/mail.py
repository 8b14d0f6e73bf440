"""The email delivery actor: sends one recorded email, retrying transient failures, never twice."""

from __future__ import annotations

import logging
import smtplib
import uuid
from datetime import timedelta
from email.errors import MessageError

import dramatiq
from dramatiq.middleware import CurrentMessage
from flask import current_app
from sqlalchemy import and_, or_, update

from portal import jobs
from portal.db import db, utcnow
from portal.enums import EmailStatus
from portal.mailer import TRANSIENT_SMTP, build_mime, deliver
from portal.models.outbox import EmailMessage
from portal.notifications import record_delivery
from portal.tasks.broker import is_final_attempt

log = logging.getLogger(__name__)
MAX_RETRIES = 8
# Attempts of any kind, redeliveries after a worker died included.
MAX_ATTEMPTS = 2 * (MAX_RETRIES + 1)
# Far longer than one attempt may run (time limit 120 s): an older claim belongs to a job that is gone.
CLAIM_LEASE = timedelta(minutes=5)


def send_recorded_email(email_id: int, *, final_attempt: bool = False, job_id: str | None = None) -> None:
    """Deliver the email row ``email_id`` unless it is gone, sent, failed or being sent; record the outcome.

    The row is claimed by a conditional UPDATE committed before SMTP is spoken to, so a second job for the
    same email (the outbox sweep and the after-commit send racing, a duplicate message) leaves it alone.
    Only the job holding the claim, when redelivered because its worker died, or any job once the claim is
    stale, takes it again.
    """
    job_id = job_id or uuid.uuid4().hex
    now = utcnow()
    claimed = db.session.execute(
        update(EmailMessage)
        .where(
            EmailMessage.id == email_id,
            or_(
                EmailMessage.status == EmailStatus.QUEUED,
                and_(
                    EmailMessage.status == EmailStatus.SENDING,
                    or_(EmailMessage.claimed_by == job_id, EmailMessage.claimed_at < now - CLAIM_LEASE),
                ),
            ),
        )
        .values(
            status=EmailStatus.SENDING, claimed_by=job_id, claimed_at=now, attempts=EmailMessage.attempts + 1
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if not claimed:
        return
    email = db.session.get(EmailMessage, email_id, populate_existing=True)
    if email.attempts > MAX_ATTEMPTS:
        # Retries are capped by Dramatiq, but a job whose worker dies each time comes back uncounted.
        _record(email, EmailStatus.FAILED, f"given up after {email.attempts - 1} attempts")
        return
    try:
        mime = build_mime(email, current_app.config)
    except (ValueError, TypeError, MessageError) as error:
        # Rebuilding will fail the same way: recorded failed, with the reason, for staff and the applicant.
        _record(email, EmailStatus.FAILED, f"the message could not be built: {error}"[:2000])
        return
    try:
        deliver(mime, current_app.config)
    except smtplib.SMTPRecipientsRefused as error:
        _record(email, EmailStatus.FAILED, f"recipient refused: {error.recipients}")
        return
    except TRANSIENT_SMTP + (smtplib.SMTPException,) as error:
        # Released, so that the retry can claim it again.
        _record(
            email,
            EmailStatus.FAILED if final_attempt else EmailStatus.QUEUED,
            f"{type(error).__name__}: {error}"[:2000],
        )
        raise
    _record(email, EmailStatus.SENT)


def _record(email: EmailMessage, status: EmailStatus, error: str | None = None) -> None:
    email.status, email.last_error = status, error
    email.claimed_by = email.claimed_at = None
    if status == EmailStatus.SENT:
        email.sent_at = utcnow()
    if status in (EmailStatus.SENT, EmailStatus.FAILED):
        record_delivery(email)  # what the email is about follows up, in the same transaction
    db.session.commit()


@dramatiq.actor(
    actor_name=jobs.DELIVER_EMAIL,
    queue_name="mail",
    max_retries=MAX_RETRIES,
    min_backoff=5_000,
    max_backoff=600_000,
    time_limit=120_000,
)
def deliver_email(email_id: int) -> None:
    message = CurrentMessage.get_current_message()
    send_recorded_email(
        email_id,
        final_attempt=is_final_attempt(MAX_RETRIES),
        job_id=message.message_id if message is not None else None,
    )
