"""The outbox: jobs and emails written in the same transaction as the data they are about."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import db, enum_column, utcnow
from portal.enums import EmailStatus


class OutboxMessage(db.Model):
    """One Dramatiq message to send once the transaction that wrote it has committed.

    No queue is stored: the message goes to the queue its actor is declared on when it is sent.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_pending", "dispatched_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_name: Mapped[str] = mapped_column(String(100))
    args: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    dispatched_at: Mapped[datetime | None]
    dispatch_attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


class EmailMessage(db.Model):
    """A rendered email and what became of it."""

    __tablename__ = "email_messages"
    __table_args__ = (Index("ix_email_messages_related", "related_type", "related_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    recipient: Mapped[str] = mapped_column(String(254))
    template: Mapped[str] = mapped_column(String(100))
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    related_type: Mapped[str | None] = mapped_column(String(40))
    related_id: Mapped[int | None]
    status: Mapped[EmailStatus] = mapped_column(enum_column(EmailStatus, 20), default=EmailStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    # The delivery job holding the email while it is being sent, and since when.
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
