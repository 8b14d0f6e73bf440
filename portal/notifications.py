"""Who gets which email when: renders ``templates/emails/<name>.txt`` and ``.html``, records it, queues it."""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

from flask import current_app, has_request_context, render_template

from portal.db import db
from portal.models.applications import Application
from portal.models.outbox import EmailMessage
from portal.tasks.outbox import enqueue


def send_email(template: str, recipient: str, related=None, **context: Any) -> EmailMessage:
    """Render and record an email to ``recipient``; it is sent after the transaction commits."""
    base_url = current_app.config["BASE_URL"].rstrip("/")
    context.setdefault("base_url", base_url)
    # Workers and the scheduler render emails too: give url_for a request to build paths from.
    with nullcontext() if has_request_context() else current_app.test_request_context(base_url=base_url):
        text = render_template(f"emails/{template}.txt", **context)
        html = render_template(f"emails/{template}.html", **context)
    subject, _, body = text.partition("\n")
    if not subject.startswith("Subject: "):
        raise ValueError(f"emails/{template}.txt must start with a 'Subject: ' line")
    email = EmailMessage(
        recipient=recipient,
        template=template,
        subject=subject.removeprefix("Subject: ").strip(),
        text_body=body.lstrip("\n"),
        html_body=html,
        related_type=getattr(related, "__tablename__", None),
        related_id=getattr(related, "id", None),
    )
    db.session.add(email)
    db.session.flush()
    enqueue("deliver_email", email.id, queue_name="mail")
    return email


def notify_applicant(application: Application, template: str, **context: Any) -> EmailMessage:
    """Email the applicant about their application."""
    recipient = application.contact_email or application.applicant.email
    return send_email(template, recipient, related=application, application=application, **context)
