"""Who gets which email when: renders ``templates/emails/<name>.txt`` and ``.html``, records it, queues it.

Also the follow-ups to a delivery: an aggregate whose emails matter to it (a referee's request counts as sent
only once its email is) registers a handler for its table with ``on_delivery``, and the delivery worker
calls ``record_delivery`` without knowing which aggregates there are.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

from flask import current_app, has_request_context, render_template
from flask_babel import force_locale
from sqlalchemy import select

from portal import i18n, jobs, outbox
from portal.db import db
from portal.models.applications import Application
from portal.models.outbox import EmailMessage

DeliveryHandler = Callable[[EmailMessage], None]
# related_type (the table of the row an email is about) -> what to do once it is sent or has failed for good.
_delivery_handlers: dict[str, DeliveryHandler] = {}


def send_email(
    template: str, recipient: str, related=None, language: str | None = None, **context: Any
) -> EmailMessage:
    """Render and record an email to ``recipient`` in ``language`` (theirs; None: the portal's default, not
    the language of whoever's request sends it); it is sent after the transaction commits."""
    base_url = current_app.config["BASE_URL"].rstrip("/")
    context.setdefault("base_url", base_url)
    language = i18n.supported(language) or i18n.supported(current_app.config["DEFAULT_LOCALE"]) or "en"
    # Workers and the scheduler render emails too: give url_for a request to build paths from.
    with (
        nullcontext() if has_request_context() else current_app.test_request_context(base_url=base_url),
        force_locale(i18n.format_locale(language)),
    ):
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
    outbox.enqueue(jobs.DELIVER_EMAIL, email.id)
    return email


def notify_applicant(application: Application, template: str, **context: Any) -> EmailMessage:
    """Email the applicant about their application."""
    recipient = application.contact_email or application.applicant.email
    return send_email(
        template,
        recipient,
        related=application,
        language=application.applicant.locale,
        application=application,
        **context,
    )


def on_delivery(related_type: str) -> Callable[[DeliveryHandler], DeliveryHandler]:
    """Register the decorated function as the follow-up to emails about rows of the table ``related_type``.

    Registered when the aggregate's operations module is imported, which ``create_app`` does in every
    process (the views and the actors import them), so the delivery worker finds it without importing it.
    """

    def register(handler: DeliveryHandler) -> DeliveryHandler:
        registered = _delivery_handlers.get(related_type)
        if registered is not None and _name(registered) != _name(handler):  # a module reloaded is no clash
            raise ValueError(f"emails about {related_type} already go to {_name(registered)}")
        _delivery_handlers[related_type] = handler
        return handler

    return register


def record_delivery(email: EmailMessage) -> None:
    """Run the follow-up registered for what ``email`` is about, once it is sent or has failed for good.

    Called by the delivery job before it commits, in the same transaction as the email's outcome.
    """
    handler = _delivery_handlers.get(email.related_type) if email.related_type else None
    if handler is not None:
        handler(email)


def record_deliveries(emails: list[EmailMessage]) -> None:
    """:func:`record_delivery` for many emails, with the rows they are about read in one query per table."""
    wanted: dict[str, set[int]] = {}
    for email in emails:
        if email.related_type in _delivery_handlers and email.related_id is not None:
            wanted.setdefault(email.related_type, set()).add(email.related_id)
    for table, ids in wanted.items():
        model = _model_for(table)
        if model is not None:  # loaded into the session, where each follow-up's get() finds it
            db.session.scalars(select(model).where(model.id.in_(ids))).all()
    for email in emails:
        record_delivery(email)


def _model_for(table: str):
    for mapper in db.Model.registry.mappers:
        if getattr(mapper.class_, "__tablename__", None) == table:
            return mapper.class_
    return None


def _name(handler: DeliveryHandler) -> str:
    return f"{handler.__module__}.{handler.__qualname__}"
