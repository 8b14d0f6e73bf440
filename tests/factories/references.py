"""The requests sent to referees, and the links taken out of the emails sent to them."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal.db import db
from portal.models.outbox import EmailMessage
from portal.models.references import ReferenceRequest

LINK = re.compile(r"https?://[^/\s]+(/references/[A-Za-z0-9_-]+)")


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
