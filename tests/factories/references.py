"""Submitted applications with referees, and the links taken out of the emails sent to them."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from portal.db import db
from portal.models.applications import Application
from portal.models.outbox import EmailMessage
from portal.models.references import ReferenceRequest
from tests.factories import applications as data

LINK = re.compile(r"https?://[^/\s]+(/references/[A-Za-z0-9_-]+)")


def submit(client, folder: Path, **fill) -> Application:
    """Start, fill and submit an application over HTTP as the signed-in applicant."""
    application_id = data.start_application(client)
    data.fill_application(client, application_id, folder, **fill)
    response = client.post(f"/applications/{application_id}/submit")
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.get(Application, application_id)


def link_in(text: str) -> str:
    """The referee link's path in an email's text."""
    found = LINK.search(text)
    assert found, text
    return found.group(1)


def recorded_link(recipient: str, template: str = "reference_request") -> str:
    """The link in the latest recorded (not yet delivered) email of ``template`` to ``recipient``."""
    email = db.session.scalars(
        select(EmailMessage)
        .where(EmailMessage.recipient == recipient, EmailMessage.template == template)
        .order_by(EmailMessage.id.desc())
    ).first()
    assert email is not None, f"no {template} email to {recipient}"
    return link_in(email.text_body)


def request_to(recipient: str) -> ReferenceRequest:
    """The latest request to ``recipient``."""
    db.session.expire_all()
    return db.session.scalars(
        select(ReferenceRequest)
        .where(ReferenceRequest.referee_email == recipient)
        .order_by(ReferenceRequest.id.desc())
    ).first()


def emails_to(recipient: str, template: str | None = None) -> list[EmailMessage]:
    query = select(EmailMessage).where(EmailMessage.recipient == recipient)
    if template:
        query = query.where(EmailMessage.template == template)
    return list(db.session.scalars(query.order_by(EmailMessage.id)))
