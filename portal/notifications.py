"""Who gets which email when: renders ``templates/emails/<name>.txt`` and ``.html``, records it, queues it."""
from __future__ import annotations

from typing import Any

from flask import current_app, render_template

from portal.db import db
from portal.models.applications import Application
from portal.models.outbox import EmailMessage
from portal.tasks.outbox import enqueue


def send_email(template: str, recipient: str, related=None, **context: Any) -> EmailMessage:
    """Render and record an email to ``recipient``; it is sent after the transaction commits."""
    context.setdefault("base_url", current_app.config["BASE_URL"].rstrip("/"))
    text = render_template(f"emails/{template}.txt", **context)
    subject, _, body = text.partition("\n")
    if not subject.startswith("Subject: "):
        raise ValueError(f"emails/{template}.txt must start with a 'Subject: ' line")
    email = EmailMessage(
        recipient=recipient,
        template=template,
        subject=subject.removeprefix("Subject: ").strip(),
        text_body=body.lstrip("\n"),
        html_body=render_template(f"emails/{template}.html", **context),
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
