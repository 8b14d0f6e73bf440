"""Reviewing: a reviewer's note on each checklist criterion, and the standard reasons an admin keeps."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import db, enum_column, utcnow
from portal.enums import ReasonKind
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
