"""Experience by category: a programme's categories (with targets) and what a mentee logs against them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import db, enum_column, utcnow
from portal.enums import ExperienceState
from portal.models.programmes import Pairing, Programme
from portal.models.users import User


class ExperienceCategory(db.Model):
    __tablename__ = "experience_categories"
    __table_args__ = (CheckConstraint("target_hours IS NULL OR target_hours > 0", name="target_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    target_hours: Mapped[int | None]  # over the term; none set means progress is shown without a target

    programme: Mapped[Programme] = relationship()


class ExperienceEntry(db.Model):
    __tablename__ = "experience_entries"
    __table_args__ = (
        Index("ix_experience_entries_pairing", "pairing_id", "started_on"),
        CheckConstraint("hours > 0", name="hours_positive"),
        CheckConstraint("ended_on >= started_on", name="dates_ordered"),
        CheckConstraint(
            "(state = 'acknowledged') = (acknowledged_at IS NOT NULL)", name="acknowledged_when_acknowledged"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairings.id", ondelete="CASCADE"))
    category_id: Mapped[int] = mapped_column(ForeignKey("experience_categories.id", ondelete="CASCADE"))
    started_on: Mapped[date]
    ended_on: Mapped[date]
    hours: Mapped[int]
    description: Mapped[str] = mapped_column(Text)
    state: Mapped[ExperienceState] = mapped_column(
        enum_column(ExperienceState, 20), default=ExperienceState.LOGGED
    )
    logged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    acknowledged_at: Mapped[datetime | None]

    pairing: Mapped[Pairing] = relationship()
    category: Mapped[ExperienceCategory] = relationship()
    logged_by: Mapped[User | None] = relationship()
