"""A programme's guide (who does what, what mentoring is and is not, confidentiality) and who has read it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import db, utcnow
from portal.models.programmes import Programme
from portal.models.users import User


class ProgrammeGuide(db.Model):
    """The guide a coordinator edits for one programme; a programme without one shows the defaults."""

    __tablename__ = "programme_guides"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), unique=True)
    mentor_responsibilities: Mapped[str] = mapped_column(Text)
    mentee_responsibilities: Mapped[str] = mapped_column(Text)
    coordinator_responsibilities: Mapped[str] = mapped_column(Text)
    mentoring_is: Mapped[str] = mapped_column(Text)
    mentoring_is_not: Mapped[str] = mapped_column(Text)
    confidentiality: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    programme: Mapped[Programme] = relationship()


class GuideAcknowledgement(db.Model):
    """A person's one acknowledgement that they have read a programme's guide."""

    __tablename__ = "guide_acknowledgements"
    __table_args__ = (UniqueConstraint("programme_id", "user_id", name="uq_guide_acknowledgements_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    acknowledged_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
