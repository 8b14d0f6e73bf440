"""The email delivery actor: sends one recorded email, retrying transient failures, never twice."""
from __future__ import annotations

import logging
import smtplib

import dramatiq

from portal.tasks.broker import is_final_attempt
from flask import current_app

from portal.db import db, utcnow
from portal.mailer import TRANSIENT_SMTP, build_mime, deliver
from portal.models.outbox import EmailMessage, EmailStatus

log = logging.getLogger(__name__)
MAX_RETRIES = 8


def send_recorded_email(email_id: int, *, final_attempt: bool = False) -> None:
    """Deliver the email row ``email_id`` unless it is gone or already sent; record the outcome."""
    email = db.session.get(EmailMessage, email_id, with_for_update=True)
    if email is None or email.status == EmailStatus.SENT:
        db.session.rollback()
        return
    email.attempts += 1
    try:
        deliver(build_mime(email, current_app.config), current_app.config)
    except smtplib.SMTPRecipientsRefused as error:
        email.status, email.last_error = EmailStatus.FAILED, f"recipient refused: {error.recipients}"
        db.session.commit()
        return
    except TRANSIENT_SMTP + (smtplib.SMTPException,) as error:
        email.last_error = f"{type(error).__name__}: {error}"[:2000]
        if final_attempt:
            email.status = EmailStatus.FAILED
        db.session.commit()
        raise
    email.status, email.sent_at, email.last_error = EmailStatus.SENT, utcnow(), None
    db.session.commit()


@dramatiq.actor(queue_name="mail", max_retries=MAX_RETRIES, min_backoff=5_000, max_backoff=600_000,
                time_limit=120_000)
def deliver_email(email_id: int) -> None:
    send_recorded_email(email_id, final_attempt=is_final_attempt(MAX_RETRIES))
