"""Reviewing: a reviewer's note on each checklist criterion, the standard reasons an admin keeps, and the
messages a reviewer and the applicant exchange about an application."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import db, enum_column, utcnow
from portal.enums import MessageRole, ReasonKind
from portal.models.documents import Document
from portal.models.users import User


class ReviewNote(db.Model):
    __tablename__ = "review_notes"
    __table_args__ = (UniqueConstraint("application_id", "criterion_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    criterion_key: Mapped[str] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    author: Mapped[User | None] = relationship()


class StandardReason(db.Model):
    """Wording an admin keeps for decisions a reviewer makes often; retired ones stay for the record."""

    __tablename__ = "standard_reasons"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ReasonKind] = mapped_column(enum_column(ReasonKind, 20))
    title: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ApplicationMessage(db.Model):
    """One message of the thread on an application: a reviewer's question, or the applicant's answer.

    A question is open (the applicant owes the answer) until ``closed_at``: set when the applicant answers
    it, or when a reviewer closes it without an answer."""

    __tablename__ = "application_messages"
    __table_args__ = (
        Index("ix_application_messages_application", "application_id", "created_at"),
        CheckConstraint("role = 'reviewer' OR closed_at IS NULL", name="only_questions_close"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    role: Mapped[MessageRole] = mapped_column(enum_column(MessageRole, 20))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]

    author: Mapped[User | None] = relationship()
    attachments: Mapped[list[Document]] = relationship(order_by="Document.id", viewonly=True)

    @property
    def is_open_question(self) -> bool:
        return self.role == MessageRole.REVIEWER and self.closed_at is None
